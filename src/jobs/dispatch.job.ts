import { fromPglite, PgBoss } from "pg-boss";
import type { DatabaseHandle } from "../db/connect.ts";
import { type DispatchReport, dispatchDue, recordEveryFor } from "../modules/messages/dispatcher.ts";
import type { Clock } from "../shared/clock.ts";

/**
 * The dispatch job. pg-boss keeps the trigger durable (a schedule every minute, plus a job sent
 * right after the day is planned); the handler is thin: it runs the dispatcher's own claim loop,
 * which takes planned actions and messages with FOR UPDATE SKIP LOCKED so any number of worker
 * processes can run it side by side without sending anything twice. The queue's 'short' policy
 * keeps at most one trigger waiting, so a burst of triggers costs one run.
 */
export const DISPATCH_QUEUE = "messages-dispatch";

export interface MessageJobs {
  boss: PgBoss;
  /** asks for a dispatch now (after planning a day, after a batch send) */
  trigger(): Promise<void>;
  stop(): Promise<void>;
}

export interface MessageJobOptions {
  clock: Clock;
  /** how often the worker polls for a trigger (default 2 s) */
  pollingIntervalSeconds?: number;
  /** run every minute by cron (default true) */
  schedule?: boolean;
  onReport?: (report: DispatchReport) => void;
  onError?: (error: Error) => void;
}

/** Starts pg-boss on the product's database (PGlite through fromPglite, else the connection string). */
export async function startMessageJobs(
  handle: DatabaseHandle,
  options: MessageJobOptions,
): Promise<MessageJobs> {
  const boss = handle.pglite
    ? new PgBoss({ db: fromPglite(handle.pglite), schedule: options.schedule ?? true, supervise: true })
    : new PgBoss({ connectionString: handle.url!, schedule: options.schedule ?? true, max: 4 });
  boss.on("error", (error: Error) => options.onError?.(error));
  await boss.start();
  await boss.createQueue(DISPATCH_QUEUE, {
    policy: "short",
    retryLimit: 3,
    retryDelay: 5,
    expireInSeconds: 3600,
  });
  if (options.schedule ?? true) await boss.schedule(DISPATCH_QUEUE, "* * * * *");
  await boss.work(
    DISPATCH_QUEUE,
    { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 },
    async () => {
      const report = await dispatchDue(handle.db, {
        clock: options.clock,
        recordEvery: recordEveryFor(handle.kind),
      });
      options.onReport?.(report);
      return report;
    },
  );
  return {
    boss,
    trigger: async () => {
      await boss.send(DISPATCH_QUEUE, {});
    },
    stop: () => boss.stop({ graceful: true, timeout: 30_000 }),
  };
}
