import type { PgBoss } from "pg-boss";
import type { DatabaseHandle } from "../db/connect.ts";
import type { IsoDate } from "../domain/dates.ts";
import { dueDays, runTenantDayById } from "../modules/daily-run/daily-run.service.ts";
import type { DayReport } from "../modules/daily-run/daily-run.ts";
import type { Clock } from "../shared/clock.ts";

/** The hourly trigger: finds the tenants whose day is due and enqueues one job for each. */
export const DAILY_RUN_QUEUE = "regua-daily-run";
/** One job per tenant and date (singleton key `tenant/date`): the day of one tenant, alone. */
export const TENANT_DAY_QUEUE = "regua-tenant-day";

export interface DueRun {
  tenantSlug: string;
  date: IsoDate;
  report: DayReport;
}

export interface TenantDayJob {
  tenantId: string;
  tenantSlug: string;
  date: IsoDate;
}

export interface DailyRunJobOptions {
  clock: Clock;
  /** seconds before a failed tenant day is tried again (default 60, doubling: pg-boss backoff) */
  retryDelaySeconds?: number;
  /** how often the workers poll their queues (default 5 s) */
  pollingIntervalSeconds?: number;
  /** after a tenant's day committed (the worker then triggers a dispatch) */
  onDone: (run: DueRun) => Promise<void>;
}

/**
 * The daily run on pg-boss. Every hour (and once at start) the trigger enqueues, for each tenant
 * whose local clock reached 06:00 and whose day is not done, one job keyed by tenant and date: the
 * queue's 'stately' policy keeps at most one of each key waiting and one running, however many
 * triggers or worker processes there are. Each job runs its tenant's day alone (runTenantDay), so
 * a failing tenant never holds the others back; its failure is recorded with the reason
 * (`regua runs`, GET /v1/runs) and the job is retried with backoff, then again by the next
 * hourly trigger until the day is done.
 */
export async function startDailyRunJobs(
  boss: PgBoss,
  handle: DatabaseHandle,
  options: DailyRunJobOptions,
): Promise<{ trigger(): Promise<void> }> {
  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 5, batchSize: 1 };
  await boss.createQueue(TENANT_DAY_QUEUE, {
    policy: "stately",
    retryLimit: 3,
    retryDelay: options.retryDelaySeconds ?? 60,
    retryBackoff: true,
  });
  await boss.work<TenantDayJob>(TENANT_DAY_QUEUE, polling, async ([job]) => {
    const { tenantId, tenantSlug, date } = job!.data;
    const report = await runTenantDayById(handle.db, tenantId, date, options.clock.now());
    await options.onDone({ tenantSlug, date, report });
    return { tenant: tenantSlug, date, actions: report.plan.total };
  });

  await boss.createQueue(DAILY_RUN_QUEUE, { policy: "short", retryLimit: 3, retryDelay: 60 });
  await boss.schedule(DAILY_RUN_QUEUE, "5 * * * *");
  await boss.work(DAILY_RUN_QUEUE, polling, async () => {
    const due = await dueDays(handle.db, options.clock.now());
    for (const day of due) {
      const job: TenantDayJob = { tenantId: day.tenantId, tenantSlug: day.tenantSlug, date: day.date };
      await boss.send(TENANT_DAY_QUEUE, job, { singletonKey: `${day.tenantId}/${day.date}` });
    }
    return { queued: due.map((day) => ({ tenant: day.tenantSlug, date: day.date })) };
  });
  return {
    trigger: async () => {
      await boss.send(DAILY_RUN_QUEUE, {});
    },
  };
}
