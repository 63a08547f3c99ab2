import type { DatabaseHandle } from "../db/connect.ts";
import { type BulkJobRunOptions, runNextBulkJob } from "../modules/bulk-jobs/bulk-job.service.ts";

/**
 * The bulk jobs an operator starts (letters, batch sends, report exports; bulk-jobs module) run
 * in every worker process: a supervised loop takes the next job from `bulk_jobs` (FOR UPDATE SKIP
 * LOCKED, so workers never take the same one) and runs it in chunks, then looks again. The table
 * is the queue rather than a pg-boss queue because the API process that records the job runs no
 * pg-boss of its own (`npm start --no-worker`), and the row is what the dashboard polls anyway.
 * With nothing waiting the loop looks again every `idleMs` (default 1 s): a job starts within a
 * second of the click. A failure is reported and retried after a backoff; the job it was running
 * is taken again when its lease runs out. On the embedded database (one connection for every
 * request) the loop pauses 50 ms after each chunk so that the dashboard's requests get through.
 */
export interface BulkJobLoop {
  stop(): Promise<void>;
}

export function startBulkJobLoop(
  handle: DatabaseHandle,
  options: BulkJobRunOptions & { idleMs?: number; onError?: (error: Error) => void },
): BulkJobLoop {
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const running = (async () => {
    let failures = 0;
    while (!stopped) {
      try {
        const ran = await runNextBulkJob(handle.db, {
          pauseMs: handle.kind === "pglite" ? 50 : 0,
          ...options,
        });
        failures = 0;
        if (ran) continue;
      } catch (error) {
        failures += 1;
        options.onError?.(error instanceof Error ? error : new Error(String(error)));
        await pause(Math.min(5_000, 500 * 2 ** (failures - 1)));
        continue;
      }
      await pause(options.idleMs ?? 1_000);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      (wakeUp as (() => void) | null)?.();
      await running;
    },
  };
}
