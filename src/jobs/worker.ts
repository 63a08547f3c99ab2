import type { DatabaseHandle } from "../db/connect.ts";
import { purgeExpiredKeys } from "../http/idempotency.ts";
import { refreshAllAttribution } from "../modules/attribution/attribution.service.ts";
import { foldAllPanelRollups } from "../modules/dashboard/panel-rollup.service.ts";
import { syncAllPix } from "../modules/pix/pix-sync.service.ts";
import { deliverDueWebhooks } from "../modules/webhooks/webhook.service.ts";
import type { Clock } from "../shared/clock.ts";
import { startBulkJobLoop } from "./bulk-jobs.job.ts";
import { DAILY_RUN_QUEUE, type DueRun, startDailyRunJobs } from "./daily-run.ts";
import { type MessageJobs, startMessageJobs } from "./dispatch.job.ts";
import { startScoreJobs } from "./score.job.ts";

export { DAILY_RUN_QUEUE };
export const WEBHOOK_QUEUE = "webhooks-deliver";
export const IDEMPOTENCY_PURGE_QUEUE = "idempotency-keys-purge";
export const PIX_SYNC_QUEUE = "pix-sync";
export const RECOVERY_REFRESH_QUEUE = "recovery-refresh";
export const PANEL_FOLD_QUEUE = "panel-fold";

export interface Worker {
  stop(): Promise<void>;
}

/**
 * Everything the product does on its own, on one pg-boss instance: the hourly trigger of the
 * daily run, one job per tenant and date (from 06:00 local time; see daily-run.ts), message dispatch (every minute and
 * right after a day is planned), webhook delivery (every minute), the recovery rollup's refresh and the panel rollup's fold (every minute) and the purge of idempotency keys
 * older than 24 h (hourly, and once at start). pg-boss fires each schedule
 * once per tick across all worker processes; the handlers are idempotent besides. The operators'
 * bulk jobs (letters, batch sends, exports) run in a loop of their own beside (bulk-jobs.job.ts).
 */
export async function startWorker(
  handle: DatabaseHandle,
  options: {
    clock: Clock;
    onError?: (error: Error) => void;
    onDailyRun?: (runs: DueRun[]) => void;
    /** tests: seconds before a failed tenant day is retried (default 60) */
    dailyRunRetryDelaySeconds?: number;
    /** tests: how often the daily run's queues are polled (default 5 s) */
    pollingIntervalSeconds?: number;
  },
): Promise<Worker> {
  const messages: MessageJobs = await startMessageJobs(handle, {
    clock: options.clock,
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const { boss } = messages;
  const workOptions = { pollingIntervalSeconds: 5, batchSize: 1 };

  const dailyRun = await startDailyRunJobs(boss, handle, {
    clock: options.clock,
    ...(options.dailyRunRetryDelaySeconds ? { retryDelaySeconds: options.dailyRunRetryDelaySeconds } : {}),
    ...(options.pollingIntervalSeconds ? { pollingIntervalSeconds: options.pollingIntervalSeconds } : {}),
    onDone: async (run) => {
      options.onDailyRun?.([run]);
      await messages.trigger();
    },
  });

  await boss.createQueue(WEBHOOK_QUEUE, { policy: "short", retryLimit: 3, retryDelay: 30 });
  await boss.schedule(WEBHOOK_QUEUE, "* * * * *");
  await boss.work(WEBHOOK_QUEUE, workOptions, async () => deliverDueWebhooks(handle.db, options.clock.now()));

  await boss.createQueue(IDEMPOTENCY_PURGE_QUEUE, { policy: "short", retryLimit: 3, retryDelay: 60 });
  await boss.schedule(IDEMPOTENCY_PURGE_QUEUE, "17 * * * *");
  await boss.work(IDEMPOTENCY_PURGE_QUEUE, workOptions, async () => ({
    purged: await purgeExpiredKeys(handle.db, options.clock.now()),
  }));

  // Pix (docs/pix.md): cobv of new invoices, removals, Pix Automático charges, GET /pix catch-up
  await boss.createQueue(PIX_SYNC_QUEUE, { policy: "short", retryLimit: 3, retryDelay: 60 });
  await boss.schedule(PIX_SYNC_QUEUE, "*/5 * * * *");
  await boss.work(PIX_SYNC_QUEUE, workOptions, async () => ({
    tenants: await syncAllPix(handle.db, options.clock),
  }));
  // the recovery report's rollup: the customers the hot paths marked stale, every minute
  // (docs/effectiveness.md § Recovery metrics)
  await boss.createQueue(RECOVERY_REFRESH_QUEUE, { policy: "short", retryLimit: 3, retryDelay: 30 });
  await boss.schedule(RECOVERY_REFRESH_QUEUE, "* * * * *");
  await boss.work(RECOVERY_REFRESH_QUEUE, workOptions, async () => refreshAllAttribution(handle.db));
  // the panel's overdue rollup: the customers the writes marked stale, every minute, so that a
  // panel load rarely has much to fold (docs/dashboard.md § How the panel is kept)
  await boss.createQueue(PANEL_FOLD_QUEUE, { policy: "short", retryLimit: 3, retryDelay: 30 });
  await boss.schedule(PANEL_FOLD_QUEUE, "* * * * *");
  await boss.work(PANEL_FOLD_QUEUE, workOptions, async () => foldAllPanelRollups(handle.db));
  await startScoreJobs(boss, handle.db, options.clock);
  // letters, batch sends and report exports started from the dashboard (bulk-jobs.job.ts)
  const bulkJobs = startBulkJobLoop(handle, {
    clock: options.clock,
    ...(options.onError ? { onError: options.onError } : {}),
  });

  // A process that starts after 06:00 plans today at once instead of waiting for the next tick.
  await dailyRun.trigger();
  await boss.send(IDEMPOTENCY_PURGE_QUEUE, {});
  return {
    stop: async () => {
      await bulkJobs.stop();
      await messages.stop();
    },
  };
}
