import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { type MessageJobs, startMessageJobs } from "../../src/jobs/dispatch.job.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { insertDebtor, insertPlannedActions } from "../support/message-fixtures.ts";
import { type SmtpPeer, startSmtpPeer } from "../support/message-peers.ts";
import { openTestDatabase } from "../support/test-database.ts";

let handle: DatabaseHandle;
let smtp: SmtpPeer;
let jobs: MessageJobs | undefined;
const previousSmtp = process.env.SMTP_URL;

beforeAll(async () => {
  handle = await openTestDatabase();
  smtp = await startSmtpPeer();
  process.env.SMTP_URL = smtp.url;
});
afterAll(async () => {
  await jobs?.stop();
  if (previousSmtp === undefined) delete process.env.SMTP_URL;
  else process.env.SMTP_URL = previousSmtp;
  await smtp?.close();
  await handle?.close();
});

describe("the dispatch job (pg-boss)", () => {
  it("a trigger makes a worker send what is due", { timeout: 60_000 }, async () => {
    const tenant = await insertTestTenant(handle.db);
    const morning = new Date("2026-11-23T13:00:00Z");
    for (let index = 0; index < 3; index++) {
      const debtor = await insertDebtor(handle.db, tenant.id, {
        name: `Pessoa ${index}`,
        email: `pessoa${index}@example.com`,
        invoices: [{ description: "Plano", amountCents: 30_00, dueDate: "2026-11-17" }],
      });
      await insertPlannedActions(
        handle.db,
        tenant.id,
        debtor,
        { name: "D+6", offsetDays: 6, channel: "email", template: "email.d+6" },
        { sendOn: "2026-11-23", scheduledFor: morning, sendUntil: new Date("2026-11-23T22:00:00Z") },
      );
    }
    const reports: number[] = [];
    jobs = await startMessageJobs(handle, {
      clock: new FixedClock(morning),
      schedule: false,
      pollingIntervalSeconds: 0.5,
      onReport: (report) => reports.push(report.sent),
    });
    await jobs.trigger();
    const deadline = Date.now() + 45_000;
    // The peer holds the mails before the job's run returns its report: wait for both.
    while ((smtp.received.length < 3 || !reports.includes(3)) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.received).toHaveLength(3);
    expect(reports).toContain(3);
    const states = await handle.db
      .selectFrom("messages")
      .select("state")
      .where("tenant_id", "=", tenant.id)
      .execute();
    expect(states.map((row) => row.state)).toEqual(["sent", "sent", "sent"]);
  });
});
