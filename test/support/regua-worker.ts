/**
 * A Régua worker process as production runs one on PostgreSQL, for the fault suite and the
 * dispatch benchmark: the dispatch loop (src/jobs/dispatch.job.ts) and the HTTP API in one
 * process. DATABASE_URL, SMTP_URL and, optionally, LEASE_MS, IDLE_SECONDS, NO_HTTP come from the
 * environment. It prints `{"port":…}` once serving (port 0 without HTTP), every dispatch report
 * as `{"report":…}`, and runs until killed.
 */
import { openDatabase } from "../../src/db/connect.ts";
import { buildApp } from "../../src/http/app.ts";
import { startMessageJobs } from "../../src/jobs/dispatch.job.ts";
import { systemClock } from "../../src/shared/clock.ts";

const handle = await openDatabase({ url: process.env.DATABASE_URL });
const jobs = await startMessageJobs(handle, {
  clock: systemClock,
  schedule: false,
  idleSeconds: Number(process.env.IDLE_SECONDS ?? 0.5),
  ...(process.env.LEASE_MS ? { leaseMs: Number(process.env.LEASE_MS) } : {}),
  onReport: (report) => process.stdout.write(`${JSON.stringify({ report })}\n`),
  onError: (error) => process.stderr.write(`regua worker: ${error.message}\n`),
});
let port = 0;
if (!process.env.NO_HTTP) {
  const app = await buildApp({ handle, clock: systemClock });
  await app.listen({ port: 0, host: "127.0.0.1" });
  port = (app.server.address() as { port: number }).port;
}
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.once("SIGTERM", async () => {
  await jobs.stop();
  await handle.close();
  process.exit(0);
});
