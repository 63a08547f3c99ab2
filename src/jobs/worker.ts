import type { DatabaseHandle } from "../db/connect.ts";
import { purgeExpiredKeys } from "../http/idempotency.ts";
import { deliverDueWebhooks } from "../modules/webhooks/webhook.service.ts";
import type { Clock } from "../shared/clock.ts";
import { type DueRun, runDueTenants } from "./daily-run.ts";
import { type MessageJobs, startMessageJobs } from "./dispatch.job.ts";
import { startScoreJobs } from "./score.job.ts";

export const DAILY_RUN_QUEUE = "regua-daily-run";
export const WEBHOOK_QUEUE = "webhooks-deliver";
export const IDEMPOTENCY_PURGE_QUEUE = "idempotency-keys-purge";

export interface Worker {
  stop(): Promise<void>;
}

/**
 * Everything the product does on its own, on one pg-boss instance: the hourly trigger of each
 * tenant's daily run (from 06:00 local time; see daily-run.ts), message dispatch (every minute and
 * right after a day is planned), webhook delivery (every minute) and the purge of idempotency keys
 * older than 24 h (hourly, and once at start). pg-boss fires each schedule
 * once per tick across all worker processes; the handlers are idempotent besides.
 */
export async function startWorker(
  handle: DatabaseHandle,
  options: { clock: Clock; onError?: (error: Error) => void; onDailyRun?: (runs: DueRun[]) => void },
): Promise<Worker> {
  const messages: MessageJobs = await startMessageJobs(handle, {
    clock: options.clock,
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const { boss } = messages;
  const workOptions = { pollingIntervalSeconds: 5, batchSize: 1 };

  await boss.createQueue(DAILY_RUN_QUEUE, { policy: "short", retryLimit: 3, retryDelay: 60 });
  await boss.schedule(DAILY_RUN_QUEUE, "5 * * * *");
  await boss.work(DAILY_RUN_QUEUE, workOptions, async () => {
    const runs = await runDueTenants(handle.db, options.clock.now());
    if (runs.length > 0) {
      options.onDailyRun?.(runs);
      await messages.trigger();
    }
    return { runs: runs.map((run) => ({ tenant: run.tenantSlug, date: run.date })) };
  });

  await boss.createQueue(WEBHOOK_QUEUE, { policy: "short", retryLimit: 3, retryDelay: 30 });
  await boss.schedule(WEBHOOK_QUEUE, "* * * * *");
  await boss.work(WEBHOOK_QUEUE, workOptions, async () => deliverDueWebhooks(handle.db, options.clock.now()));

  await boss.createQueue(IDEMPOTENCY_PURGE_QUEUE, { policy: "short", retryLimit: 3, retryDelay: 60 });
  await boss.schedule(IDEMPOTENCY_PURGE_QUEUE, "17 * * * *");
  await boss.work(IDEMPOTENCY_PURGE_QUEUE, workOptions, async () => ({
    purged: await purgeExpiredKeys(handle.db, options.clock.now()),
  }));

  await startScoreJobs(boss, handle.db, options.clock);

  // A process that starts after 06:00 plans today at once instead of waiting for the next tick.
  await boss.send(DAILY_RUN_QUEUE, {});
  await boss.send(IDEMPOTENCY_PURGE_QUEUE, {});
  return { stop: () => messages.stop() };
}
