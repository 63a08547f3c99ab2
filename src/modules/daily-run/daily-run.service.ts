import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { inTransaction } from "../../db/transaction.ts";
import { type IsoDate, timeIn, todayIn } from "../../domain/dates.ts";
import {
  dailyRunLastSuccess,
  dailyRunStepDuration,
  dailyRunsTotal,
  timed,
} from "../../observability/metrics.ts";
import { catchUpMissedWindows } from "../actions/catch-up.ts";
import { type PlanOptions, planDay } from "../actions/planner.ts";
import { applyAgreementLifecycle } from "../agreements/agreement.service.ts";
import { announceOverdueInvoices } from "../invoices/overdue-events.ts";
import { applyDailyStanding } from "../standing/standing-day.service.ts";
import { getTenant, listTenants } from "../tenants/tenant.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { findDoneRuns, findRuns, markDone, markFailed, startAttempt } from "./daily-run.repository.ts";
import type { DailyRunRow, DailyRunSummary } from "./daily-run.table.ts";
import type { DailyRun, DayReport, TRunsQuery } from "./daily-run.ts";

export interface DayOptions extends PlanOptions {
  /**
   * Looks at every open invoice for overdue announcements and decides the standing of every
   * customer, instead of only those the days or their changes could move since the last run: the
   * oracle the run is tested against (the same changes, events and webhooks).
   */
  exhaustive?: boolean;
}

/** The local hour from which a tenant's day is run (its messages then wait for the contact window). */
export const DAILY_RUN_LOCAL_HOUR = 6;

/**
 * One day of the régua for one tenant, in the order the rules need:
 *  1. agreements the calendar moved (a lapsed or broken one gives its invoices back to the régua);
 *  2. planned actions whose contact window passed unsent (the system was down) move to the next
 *     window inside the catch-up period;
 *  3. the day's actions, with the missed days before it (planner);
 *  4. invoices that became overdue (invoice.overdue), before standing, so that an endpoint hears
 *     of the overdue invoice before the suspension it causes (and before standing consumes the
 *     stale marks both read);
 *  5. standing, as of the later of `date` and today: running a past day never moves it backwards;
 *     only the customers the days or their changes could move are decided (standing-day.service.ts).
 * `options.now` is the instant of the run (the injected clock); without it the run happens at the
 * start of `date` (scenario tests moving day by day).
 */
export async function runDay(
  db: Executor,
  tenant: Tenant,
  date: IsoDate,
  options: DayOptions = {},
): Promise<DayReport> {
  const now = options.now ?? new Date(`${date}T12:00:00Z`);
  const today = options.now ? todayIn(tenant.timeZone, options.now) : date;
  const step = <T>(name: string, work: () => Promise<T>) =>
    timed(dailyRunStepDuration, { tenant: tenant.slug, step: name }, work);
  const agreements = await step("agreements", () => applyAgreementLifecycle(db, tenant, date, now));
  const caughtUp = options.now
    ? await step("catch_up", () => catchUpMissedWindows(db, tenant, options.now!, options.catchUpDays))
    : { moved: 0, skipped: 0 };
  const plan = await step("planner", () => planDay(db, tenant, date, options));
  const overdue = await step("overdue_events", () =>
    announceOverdueInvoices(db, tenant, date, options.now, { everyInvoice: options.exhaustive ?? false }),
  );
  const standingDate = today > date ? today : date;
  const standing = await step("standing", () =>
    applyDailyStanding(db, tenant, standingDate, {
      ...(options.now ? { now: options.now } : {}),
      everyCustomer: options.exhaustive ?? false,
    }),
  );
  return { tenantId: tenant.id, date, standingDate, plan, standing, agreements, overdue, caughtUp };
}

/**
 * Runs a tenant's day and records it: the day is 'done' only when every step committed, because
 * the steps and the status share one transaction; a failure rolls the steps back and records
 * 'failed' with its reason, then rethrows so that the job is retried.
 */
export async function runTenantDay(
  db: Executor,
  tenant: Tenant,
  date: IsoDate,
  now: Date,
): Promise<DayReport> {
  await startAttempt(db, tenant.id, date, now);
  try {
    const report = await inTransaction(db, async (trx) => {
      const report = await runDay(trx, tenant, date, { now });
      await markDone(trx, tenant.id, date, now, summaryOf(report));
      return report;
    });
    dailyRunsTotal.inc({ tenant: tenant.slug, status: "done" });
    // wall time, not the injected clock: alerts compare it with Prometheus's own time()
    dailyRunLastSuccess.set({ tenant: tenant.slug }, Date.now() / 1000);
    return report;
  } catch (error) {
    dailyRunsTotal.inc({ tenant: tenant.slug, status: "failed" });
    await markFailed(db, tenant.id, date, now, reasonOf(error));
    throw error;
  }
}

/** `runTenantDay` for a job's payload, which names the tenant by id. */
export async function runTenantDayById(
  db: Kysely<Database>,
  tenantId: string,
  date: IsoDate,
  now: Date,
): Promise<DayReport> {
  return runTenantDay(db, await getTenant(db, tenantId), date, now);
}

export interface DueDay {
  tenantId: string;
  tenantSlug: string;
  date: IsoDate;
}

/**
 * The tenants whose local clock has reached the run hour and whose day is not done yet (never run,
 * running when a worker died, or failed): the hourly trigger enqueues one job for each. Tenants are
 * few: the loop is over tenants, never over invoices.
 */
export async function dueDays(db: Executor, now: Date): Promise<DueDay[]> {
  const candidates: DueDay[] = [];
  for (const tenant of await listTenants(db)) {
    if (Number(timeIn(tenant.timeZone, now).slice(0, 2)) < DAILY_RUN_LOCAL_HOUR) continue;
    candidates.push({ tenantId: tenant.id, tenantSlug: tenant.slug, date: todayIn(tenant.timeZone, now) });
  }
  const done = await findDoneRuns(db, candidates);
  return candidates.filter((candidate) => !done.has(`${candidate.tenantId}/${candidate.date}`));
}

/** The tenant's recorded runs, latest day first (`regua runs`, GET /v1/runs). */
export async function listRuns(db: Executor, tenantId: string, query: TRunsQuery): Promise<DailyRun[]> {
  return (await findRuns(db, tenantId, query)).map(runFromRow);
}

function runFromRow(row: DailyRunRow): DailyRun {
  return {
    date: row.day,
    status: row.status,
    attempts: row.attempts,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
    summary: row.summary,
  };
}

function summaryOf(report: DayReport): DailyRunSummary {
  return {
    plannedDays: report.plan.plannedDays,
    actions: report.plan.total,
    agreementMoves: report.agreements.length,
    standingChanges: report.standing.reduce((sum, change) => sum + change.count, 0),
    overdue: report.overdue,
  };
}

/** What an operator reads of a failure: the error's own message (a database error names its constraint). */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 1000 ? `${message.slice(0, 997)}...` : message;
}
