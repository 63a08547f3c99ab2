import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { inTransaction, withHashJoins } from "../../db/transaction.ts";
import { BRAZILIAN_STATES } from "../../domain/brazil.ts";
import { BusinessCalendar } from "../../domain/calendar.ts";
import { addDays, type IsoDate, timeIn, todayIn } from "../../domain/dates.ts";
import { dueDatesForStepOn, firstContactSlot, reminderDeadline } from "../../domain/dunning-schedule.ts";
import { loadPolicyMatcher, type PolicyMatcher } from "../policies/governing-policy.sql.ts";
import { type ContactWindow, listPolicies, loadContactWindows } from "../policies/policy.service.ts";
import type { Policy, PolicyStep } from "../policies/policy.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { decidedActions, insertPlannedActions, type PlannerParameters } from "./planner.sql.ts";

/**
 * Glossary: planning a day decides, for every open invoice, which régua steps fall on that day
 * and writes one action per invoice, step and channel — planned with the instant it may go out
 * (`scheduled_for`, inside the debtor's legal contact hours) or skipped with the reason.
 */
export const DEFAULT_CATCH_UP_DAYS = 3;

/** The reasons' words live in the message catalogue; re-exported for the planner's readers. */
export { SKIP_REASONS } from "../../i18n/pt-BR/skip-reasons.ts";

export interface PlanOptions {
  /** Missed days before `date` planned too, when the planner did not run on them (default 3). */
  catchUpDays?: number;
  /** When the run happened (recorded in planner_runs); defaults to the start of `date`. */
  now?: Date;
  /**
   * Re-plans `date` for one customer only (no missed days, no planner_runs record): the dispatcher
   * calls it when a contact turns out unusable, so the fallback steps that now apply get planned.
   */
  customerId?: string;
}

export interface ActionCount {
  channel: string;
  status: string;
  skipReason: string | null;
  count: number;
}

export interface PlanResult {
  date: IsoDate;
  /** The days planned in this run: missed days inside the catch-up window, then `date`. */
  plannedDays: IsoDate[];
  counts: ActionCount[];
  total: number;
}

/**
 * Plans `date` for the tenant (and the missed days before it inside the catch-up window) in one
 * set-based SQL pass; running it again for the same date writes nothing new.
 */
export async function planDay(
  db: Executor,
  tenant: Tenant,
  date: IsoDate,
  options: PlanOptions = {},
): Promise<PlanResult> {
  const scoped = options.customerId !== undefined;
  const catchUpDays = scoped ? 0 : (options.catchUpDays ?? DEFAULT_CATCH_UP_DAYS);
  const [policies, windows, alreadyPlanned] = await Promise.all([
    listPolicies(db, tenant.id),
    loadContactWindows(db, tenant.id),
    db
      .selectFrom("planner_runs")
      .select("day")
      .where("tenant_id", "=", tenant.id)
      .where("day", ">=", addDays(date, -catchUpDays))
      .where("day", "<", date)
      .execute(),
  ]);
  const done = new Set(alreadyPlanned.map((row) => row.day));
  const days: IsoDate[] = [];
  for (let back = catchUpDays; back >= 1; back -= 1) {
    const day = addDays(date, -back);
    if (!done.has(day)) days.push(day);
  }
  days.push(date);
  const parameters = plannerParameters(
    tenant,
    policies,
    windows,
    days,
    date,
    await loadPolicyMatcher(db, tenant.id, policies),
    options.now,
  );
  parameters.customerId = options.customerId;
  parameters.hasExistingMessages = await hasMessagesAround(db, parameters);
  if (parameters.targets.length === 0) {
    if (!scoped) await recordRuns(db, tenant.id, days, options.now, 0);
    return { date, plannedDays: days, counts: [], total: 0 };
  }
  return inTransaction(db, async (trx) => {
    const result = await withHashJoins(trx, () => writeActions(trx, parameters));
    const counts = result.rows.map((row) => ({
      channel: row.channel,
      status: row.status,
      skipReason: row.skip_reason,
      count: Number(row.count),
    }));
    const total = counts.reduce((sum, row) => sum + row.count, 0);
    if (!scoped) await recordRuns(trx, tenant.id, days, options.now, total);
    return { date, plannedDays: days, counts, total };
  });
}

/**
 * Writes the decided actions, each (invoice, step, channel) once. Most runs find none of their rows
 * written, so the insert first goes without ON CONFLICT — its speculative insertion (an index probe
 * and a token per row) costs close to a tenth of the whole pass — inside a savepoint. When a row
 * exists (the same date planned again, or another planner committed it first; a deadlock between
 * two planners too) the savepoint is rolled back and the insert repeated with ON CONFLICT DO
 * NOTHING, which leaves those rows out: the result is the same either way.
 */
async function writeActions(trx: Executor, parameters: PlannerParameters) {
  await sql`savepoint plan_actions`.execute(trx);
  try {
    const result = await insertPlannedActions(parameters, false).execute(trx);
    await sql`release savepoint plan_actions`.execute(trx);
    return result;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== "23505" && code !== "40P01") throw error;
    await sql`rollback to savepoint plan_actions`.execute(trx);
    return insertPlannedActions(parameters, true).execute(trx);
  }
}

/** Whether any message is planned or sent in the days the frequency cap reads for this run. */
async function hasMessagesAround(db: Executor, parameters: PlannerParameters): Promise<boolean> {
  const sendDays = parameters.windows.map((window) => window.sendOn).sort();
  if (sendDays.length === 0) return false;
  const row = await db
    .selectFrom("dunning_actions")
    .select("id")
    .where("tenant_id", "=", parameters.tenantId)
    .where("send_on", ">=", parameters.weeklyCap ? addDays(sendDays[0]!, -6) : sendDays[0]!)
    .where("send_on", "<=", sendDays[sendDays.length - 1]!)
    .where("status", "in", ["planned", "sent", "delivered"])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

async function recordRuns(
  db: Executor,
  tenantId: string,
  days: IsoDate[],
  now: Date | undefined,
  total: number,
) {
  await db
    .insertInto("planner_runs")
    .values(
      days.map((day) => ({
        tenant_id: tenantId,
        day,
        ran_at: now ?? new Date(`${day}T00:00:00Z`),
        actions: total,
      })),
    )
    .onConflict((conflict) => conflict.columns(["tenant_id", "day"]).doNothing())
    .execute();
}

export interface PreviewedAction {
  date: IsoDate;
  invoiceId: string;
  customerId: string;
  stepName: string;
  offsetDays: number;
  channel: string;
  template: string;
  plannedOn: IsoDate;
  sendOn: IsoDate;
  scheduledFor: Date;
  skipReason: string | null;
}

/**
 * The actions the planner would decide for one invoice or customer over the next `days` days,
 * assuming nothing is paid: the planner's own query, run day by day without writing.
 */
export async function previewActions(
  db: Executor,
  tenant: Tenant,
  subject: { invoiceId: string } | { customerId: string },
  from: IsoDate,
  days: number,
): Promise<PreviewedAction[]> {
  const [policies, windows] = await Promise.all([
    listPolicies(db, tenant.id),
    loadContactWindows(db, tenant.id),
  ]);
  const matcher = await loadPolicyMatcher(db, tenant.id, policies);
  const found: PreviewedAction[] = [];
  for (let index = 0; index < days; index += 1) {
    const day = addDays(from, index);
    const parameters = {
      ...plannerParameters(tenant, policies, windows, [day], day, matcher),
      ...("invoiceId" in subject ? { invoiceId: subject.invoiceId } : { customerId: subject.customerId }),
    };
    if (parameters.targets.length === 0) continue;
    const rows = await sql<{
      invoice_id: string;
      customer_id: string;
      step_name: string;
      offset_days: number;
      channel: string;
      template: string;
      planned_on: string;
      send_on: string;
      scheduled_for: Date;
      skip_reason: string | null;
    }>`select * from (${decidedActions(parameters)}) d order by d.scheduled_for, d.offset_days, d.channel`.execute(
      db,
    );
    for (const row of rows.rows) {
      found.push({
        date: day,
        invoiceId: row.invoice_id,
        customerId: row.customer_id,
        stepName: row.step_name,
        offsetDays: row.offset_days,
        channel: row.channel,
        template: row.template,
        plannedOn: row.planned_on,
        sendOn: row.send_on,
        scheduledFor: new Date(row.scheduled_for),
        skipReason: row.skip_reason,
      });
    }
  }
  return found;
}

/**
 * The calendar work of a run, done once in TypeScript: for each step and planned day the due dates
 * it falls on (with the reminder deadline), and for each state the first day with contact hours on
 * or after the run day.
 */
export function plannerParameters(
  tenant: Tenant,
  policies: Policy[],
  windows: ContactWindow[],
  days: IsoDate[],
  runDate: IsoDate,
  matcher: PolicyMatcher,
  now?: Date,
): PlannerParameters {
  const calendar = new BusinessCalendar(tenant.extraHolidays);
  const targets: PlannerParameters["targets"] = [];
  const steps = policies.flatMap((policy) => policy.steps);
  for (const step of steps) {
    for (const day of days) {
      for (const dueDate of dueDatesForStepOn(day, step, calendar)) {
        targets.push({
          stepId: step.id,
          plannedOn: day,
          dueDate,
          deadline: reminderDeadline(dueDate, step.offsetDays, calendar),
        });
      }
    }
  }
  const { rows, states } = contactSlots(tenant, steps, windows, runDate, now);
  return {
    tenantId: tenant.id,
    runDate,
    targets,
    windows: rows,
    states,
    matcher,
    weeklyCap: policies.some((policy) => policy.frequencyCap.perChannelPerWeek !== null),
    hasExistingMessages: true,
  };
}

/**
 * For each state (and step with a window of its own) the first contact slot of the run: on or after
 * the run day, and — when the run happens at `now`, later than that day's window (a past day run
 * late, or a worker back from downtime) — the next window still open at `now` in the tenant's
 * zone, so that the day's actions go out late rather than never. A pre-due reminder whose slot
 * then falls after its deadline is skipped as `moment_passed` (planner.sql.ts).
 */
export function contactSlots(
  tenant: Tenant,
  steps: PolicyStep[],
  windows: ContactWindow[],
  runDate: IsoDate,
  now?: Date,
): { rows: PlannerParameters["windows"]; states: string[] } {
  const localToday = now ? todayIn(tenant.timeZone, now) : runDate;
  const from = localToday > runDate ? localToday : runDate;
  const localTime = now && from === localToday ? timeIn(tenant.timeZone, now) : null;
  const byState = new Map(windows.map((window) => [window.state, window]));
  const fallback = byState.get("*");
  const keyed = [
    { key: "", window: null },
    ...steps.filter((step) => step.window).map((step) => ({ key: step.id, window: step.window })),
  ];
  const rows: PlannerParameters["windows"] = [];
  const states = [...BRAZILIAN_STATES.map((state) => state.uf), "*"];
  for (const state of states) {
    const window = byState.get(state) ?? fallback;
    if (!window) continue;
    const placeCalendar = new BusinessCalendar(tenant.extraHolidays, state === "*" ? {} : { state });
    for (const { key, window: stepWindow } of keyed) {
      let slot = firstContactSlot(from, window, placeCalendar, stepWindow);
      if (slot && localTime !== null && slot.day === from && slot.end <= localTime) {
        slot = firstContactSlot(addDays(from, 1), window, placeCalendar, stepWindow);
      }
      if (slot) rows.push({ state, windowKey: key, sendOn: slot.day, start: slot.start, end: slot.end });
    }
  }
  return { rows, states: states.filter((state) => state !== "*") };
}
