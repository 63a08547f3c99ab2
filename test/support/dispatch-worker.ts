/**
 * A dispatcher in a process of its own, for the test that kills a worker mid-batch:
 * DATABASE_URL, SMTP_URL, TENANT_ID and LEASE_MS come from the environment.
 */
import { openDatabase } from "../../src/db/connect.ts";
import { dispatchDue } from "../../src/modules/messages/dispatcher.ts";
import { systemClock } from "../../src/shared/clock.ts";

const handle = await openDatabase({ url: process.env.DATABASE_URL });
const report = await dispatchDue(handle.db, {
  clock: systemClock,
  tenantId: process.env.TENANT_ID!,
  batchSize: 40,
  concurrency: 8,
  leaseMs: Number(process.env.LEASE_MS),
});
process.stdout.write(`${JSON.stringify(report)}\n`);
await handle.close();
