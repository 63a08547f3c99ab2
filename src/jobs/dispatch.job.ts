import { fromPglite, PgBoss } from "pg-boss";
import type { DatabaseHandle } from "../db/connect.ts";
import { type DispatchReport, dispatchDue, recordingFor } from "../modules/messages/dispatcher.ts";
import type { Clock } from "../shared/clock.ts";

/**
 * Dispatch in a worker process. Every worker runs a dispatch loop of its own (DispatchLoop): it
 * drains what is due — planned actions and messages taken with FOR UPDATE SKIP LOCKED, so any
 * number of workers claim their own batches side by side and never the same message — then
 * waits a few seconds, or less when woken. A dead worker's claims are taken over by the others
 * within one lease (seconds; see messages/message-leases.ts). A failed drain (the database out of
 * reach) is logged and tried again after a short backoff: the process stays up.
 *
 * The pg-boss queue `messages-dispatch` only wakes loops up: `trigger()` (after a day is planned,
 * after a batch send) wakes this process's loop at once and sends a job, which wakes the loop of
 * whichever worker takes it; a schedule sends one every minute besides.
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
  /** how often pg-boss looks for a wake-up job from another process (default 2 s) */
  pollingIntervalSeconds?: number;
  /** how long the loop waits, with nothing due, before looking again (default 2 s) */
  idleSeconds?: number;
  /** lease of claimed messages (default 10 s; see message-leases.ts) */
  leaseMs?: number;
  /** send a wake-up job every minute by cron, and run this instance's schedules (default true) */
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
    expireInSeconds: 60,
  });
  if (options.schedule ?? true) await boss.schedule(DISPATCH_QUEUE, "* * * * *");
  const loop = new DispatchLoop(handle, options);
  await boss.work(
    DISPATCH_QUEUE,
    { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 },
    async () => {
      loop.wake();
      return { woken: true };
    },
  );
  loop.start();
  return {
    boss,
    trigger: async () => {
      loop.wake();
      await boss.send(DISPATCH_QUEUE, {});
    },
    stop: async () => {
      await loop.stop();
      await boss.stop({ graceful: true, timeout: 30_000 });
    },
  };
}

/** Waits after consecutive failed drains: 0.5 s doubling up to 5 s (a database restart takes a few). */
function failureBackoffMs(failures: number): number {
  return Math.min(5_000, 500 * 2 ** Math.max(0, failures - 1));
}

/**
 * One worker's dispatch loop, supervised: every drain is awaited, every failure caught, reported
 * and followed by a backoff; nothing it starts can end the process.
 */
export class DispatchLoop {
  private readonly handle: DatabaseHandle;
  private readonly options: MessageJobOptions;
  private stopped = false;
  private running: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;

  constructor(handle: DatabaseHandle, options: MessageJobOptions) {
    this.handle = handle;
    this.options = options;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Ends the wait at once (or skips the next one when a drain is under way). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Lets the drain under way finish (its outcomes recorded), then ends the loop. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      this.woken = false;
      try {
        const report = await dispatchDue(this.handle.db, {
          clock: this.options.clock,
          ...recordingFor(this.handle.kind),
          ...(this.options.leaseMs ? { leaseMs: this.options.leaseMs } : {}),
        });
        failures = 0;
        if (report.claimed > 0 || report.queued > 0) this.options.onReport?.(report);
      } catch (error) {
        failures += 1;
        this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
        await this.pause(failureBackoffMs(failures));
        continue;
      }
      if (!this.woken) await this.pause((this.options.idleSeconds ?? 2) * 1000);
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = null;
        done();
      };
    });
  }
}
