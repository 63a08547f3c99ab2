import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { Dispatcher } from "../../src/modules/messages/dispatcher.ts";
import { insertPortalKey } from "../../src/modules/portal/portal.repository.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { sealSecret } from "../../src/shared/secret-box.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { insertEmailBacklog } from "../support/message-fixtures.ts";
import { type SmtpPeer, startSmtpPeer } from "../support/message-peers.ts";
import { openTestDatabase } from "../support/test-database.ts";

let handle: DatabaseHandle;
let smtp: SmtpPeer;

beforeAll(async () => {
  handle = await openTestDatabase();
  smtp = await startSmtpPeer();
});
afterAll(async () => {
  await smtp?.close();
  await handle?.close();
});

describe("one creditor whose messages cannot be prepared", () => {
  it("does not hold up the others: its messages wait with the reason, the others go out", async () => {
    const now = new Date("2026-11-23T13:00:00Z");
    const until = new Date("2026-11-23T22:00:00Z");
    const broken = await insertTestTenant(handle.db);
    const healthy = await insertTestTenant(handle.db);
    // the portal links' signing key of one creditor was sealed under another REGUA_SECRET_KEY
    await insertPortalKey(handle.db, broken.id, sealSecret("chave", randomBytes(32)));
    await insertEmailBacklog(handle.db, broken.id, 30, now, until);
    await insertEmailBacklog(handle.db, healthy.id, 30, now, until);

    const dispatcher = new Dispatcher(handle.db, {
      clock: new FixedClock(now),
      smtpUrl: smtp.url,
      emailFrom: "Credora <cobranca@credora.com.br>",
      batchSize: 20,
    });
    const report = await dispatcher.drain();
    await dispatcher.close();

    expect(report.sent).toBe(30);
    expect(smtp.messageIds).toHaveLength(30);
    const states = async (tenantId: string) =>
      handle.db
        .selectFrom("messages")
        .select(["state", "reason", "next_attempt_at"])
        .where("tenant_id", "=", tenantId)
        .execute();
    expect((await states(healthy.id)).every((message) => message.state === "sent")).toBe(true);
    const waiting = await states(broken.id);
    expect(waiting).toHaveLength(30);
    for (const message of waiting) {
      expect(message.state).toBe("queued");
      expect(message.reason).toContain("não foi possível preparar a mensagem");
      expect(message.reason).toContain("REGUA_SECRET_KEY");
      expect(message.next_attempt_at!.getTime()).toBeGreaterThan(now.getTime());
    }
  });
});
