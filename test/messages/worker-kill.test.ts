import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { dispatchDue } from "../../src/modules/messages/dispatcher.ts";
import { systemClock } from "../../src/shared/clock.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { insertEmailBacklog } from "../support/message-fixtures.ts";
import { type SmtpPeer, startSmtpPeer } from "../support/message-peers.ts";
import { onPostgres, openTestDatabase } from "../support/test-database.ts";

const MESSAGES = 200;
const LEASE_MS = 1500;

// Two processes on one database: the embedded PGlite is single-process by design.
describe.skipIf(!onPostgres)(
  "a worker killed in the middle of a batch (PostgreSQL only: PGlite is single-process)",
  () => {
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

    it("loses no message and sends none twice (counted by Message-ID at the SMTP peer)", {
      timeout: 120_000,
    }, async () => {
      const tenant = await insertTestTenant(handle.db);
      const now = Date.now();
      await insertEmailBacklog(
        handle.db,
        tenant.id,
        MESSAGES,
        new Date(now - 60_000),
        new Date(now + 3_600_000),
      );
      smtp.delayMs = 15;

      const child = spawn(process.execPath, ["test/support/dispatch-worker.ts"], {
        env: {
          ...process.env,
          DATABASE_URL: handle.url,
          SMTP_URL: smtp.url,
          TENANT_ID: tenant.id,
          LEASE_MS: String(LEASE_MS),
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on("exit", (_code, signal) => resolve(signal)),
      );
      while (smtp.received.length < 60) {
        if (child.exitCode !== null) throw new Error("the worker finished before it could be killed");
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");
      const atKill = smtp.received.length;
      expect(atKill).toBeLessThan(MESSAGES);
      const states = await handle.db
        .selectFrom("messages")
        .select(({ fn }) => ["state", fn.countAll<number>().as("count")])
        .where("tenant_id", "=", tenant.id)
        .groupBy("state")
        .execute();
      // the crash left messages claimed ('sending') or not yet started
      expect(states.some((row) => row.state === "sending" || row.state === "queued")).toBe(true);

      // a new worker takes over once the dead one's lease has run out
      await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 200));
      smtp.delayMs = 0;
      await dispatchDue(handle.db, {
        clock: systemClock,
        tenantId: tenant.id,
        smtpUrl: smtp.url,
        leaseMs: LEASE_MS,
      });

      const messages = await handle.db
        .selectFrom("messages")
        .select(["action_id", "state"])
        .where("tenant_id", "=", tenant.id)
        .execute();
      expect(messages).toHaveLength(MESSAGES);
      expect(messages.every((message) => message.state === "sent")).toBe(true);
      const expected = new Set(messages.map((message) => `<${message.action_id}@regua.local>`));
      const delivered = new Set(smtp.messageIds);
      // no message lost: every message reached the peer, under its action id
      expect(delivered).toEqual(expected);
      // none twice: a copy can only be a send whose outcome the killed worker had not recorded yet,
      // and it carries the same Message-ID, so a receiver that honours it keeps one
      const copies = smtp.messageIds.length - delivered.size;
      // (at most twice its 8 sends in flight: a send starts only while fewer are unrecorded, see sendAll)
      expect(copies).toBeLessThanOrEqual(2 * 8);
      console.info(`worker killed after ${atKill} e-mails; ${copies} resent copies with the same Message-ID`);
    });
  },
);
