import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { inTransaction, withHashJoins } from "../../db/transaction.ts";
import type { BusinessCalendar } from "../../domain/calendar.ts";
import type { IsoDate } from "../../domain/dates.ts";
import { standingCutoffs } from "../../domain/standing.ts";
import { lastOverdueDueDate } from "../open-debt/open-debt.ts";
import type { Policy } from "../policies/policy.ts";
import {
  type StandingChange,
  standingChangesOf,
  standingParameters,
  type TenantCalendarFacts,
} from "./standing.service.ts";
import {
  applyStandingStatement,
  type DailyScope,
  type DateRange,
  type StandingParameters,
} from "./standing.sql.ts";

/**
 * The daily run's standing pass. The decision is the one rule of standing.sql.ts; what this use
 * case adds is which customers it needs to decide. Since the last decided day (standing_decisions)
 * a customer's standing can move only if
 *  - the days crossed one of its policy's thresholds (or the overdue cut-off) for one of its open
 *    invoices, or its reopening: its due date lies in a range a cut-off swept over;
 *  - a pause that held it ended;
 *  - something about it changed: the database marks it stale (migration 0045: invoices written,
 *    paid, cancelled or moved; pauses, disputes, agreements, tags, plans, policy assignments).
 * Anything tenant-wide (policies and their thresholds and segments, the agreement setting, the
 * calendar) is a fingerprint: when it differs, when no day was decided, or for a day before the
 * last decided one, every customer is decided — as `everyCustomer` asks (the tests' oracle).
 */
export async function applyDailyStanding(
  db: Executor,
  tenant: TenantCalendarFacts,
  date: IsoDate,
  options: { now?: Date; everyCustomer?: boolean } = {},
): Promise<StandingChange[]> {
  return inTransaction(db, async (trx) => {
    const { parameters, policies, calendar } = await standingParameters(
      trx,
      tenant,
      date,
      options.now ? { now: options.now } : {},
    );
    const fingerprint = await decisionFingerprint(trx, tenant, policies, parameters);
    const last = await trx
      .selectFrom("standing_decisions")
      .select(["decided_on", "fingerprint"])
      .where("tenant_id", "=", tenant.id)
      .executeTakeFirst();
    const incremental =
      !options.everyCustomer &&
      last !== undefined &&
      last.fingerprint === fingerprint &&
      last.decided_on <= date;
    const daily: DailyScope = {
      since: incremental
        ? {
            thresholdRanges: sweptRanges(policies, last.decided_on, date, calendar),
            pausesEndedFrom: last.decided_on,
          }
        : null,
    };
    const statement = applyStandingStatement({ ...parameters, daily });
    // every customer: hash joins over the portfolio; the few a day moves: the planner's choice
    const result = incremental
      ? await statement.execute(trx)
      : await withHashJoins(trx, () => statement.execute(trx));
    await trx
      .insertInto("standing_decisions")
      .values({
        tenant_id: tenant.id,
        decided_on: date,
        overdue_cutoff: parameters.overdueDueOnOrBefore,
        fingerprint,
        decided_at: parameters.at,
      })
      .onConflict((conflict) =>
        conflict.column("tenant_id").doUpdateSet((update) => ({
          decided_on: update.ref("excluded.decided_on"),
          overdue_cutoff: update.ref("excluded.overdue_cutoff"),
          fingerprint: update.ref("excluded.fingerprint"),
          decided_at: update.ref("excluded.decided_at"),
        })),
      )
      .execute();
    return standingChangesOf(result.rows);
  });
}

/**
 * The due dates (and reopenings) whose standing the days from `from` to `to` can move: for every
 * policy, each threshold's cut-off on `from` to its cut-off on `to` — the cut-offs of the pure rule
 * (`standingCutoffs`), merged where they meet. An invoice that only became overdue moves nothing by
 * its date (it is newer than any threshold; should it be the oldest and past the warning, its due
 * date is in the warning's range too); it adds to the overdue amount, which matters only against a
 * policy's minimum: then the overdue cut-off's range (`lastOverdueDueDate`) is swept as well.
 */
export function sweptRanges(
  policies: Policy[],
  from: IsoDate,
  to: IsoDate,
  calendar: BusinessCalendar,
): DateRange[] {
  const ranges: DateRange[] = policies.some((policy) => policy.standing.minimumCents > 0)
    ? [{ after: lastOverdueDueDate(from, calendar), through: lastOverdueDueDate(to, calendar) }]
    : [];
  for (const policy of policies) {
    const before = standingCutoffs(policy.standing, from, calendar);
    const after = standingCutoffs(policy.standing, to, calendar);
    ranges.push(
      { after: before.warningDueOnOrBefore, through: after.warningDueOnOrBefore },
      { after: before.suspendedDueOnOrBefore, through: after.suspendedDueOnOrBefore },
      { after: before.cancelledDueOnOrBefore, through: after.cancelledDueOnOrBefore },
    );
  }
  const merged: DateRange[] = [];
  for (const range of ranges.filter((candidate) => candidate.after < candidate.through).sort(byStart)) {
    const previous = merged.at(-1);
    if (previous && range.after <= previous.through) {
      if (range.through > previous.through) previous.through = range.through;
    } else {
      merged.push({ ...range });
    }
  }
  return merged;
}

const byStart = (a: DateRange, b: DateRange) => (a.after < b.after ? -1 : a.after > b.after ? 1 : 0);

/**
 * Everything tenant-wide the decision reads besides the date: the policies (thresholds, segments,
 * order), the compiled matcher (assignments, the agreement régua), the agreement setting on
 * covered invoices and the calendar's holidays. A change to any of them may move any customer.
 */
async function decisionFingerprint(
  db: Executor,
  tenant: TenantCalendarFacts,
  policies: Policy[],
  parameters: StandingParameters,
): Promise<string> {
  const setting = await sql<{ recovers: string | null }>`
    select settings ->> 'standingRecoversWhileActive' as recovers
    from agreement_settings where tenant_id = ${tenant.id}::uuid`.execute(db);
  const facts = {
    version: 1,
    policies: policies.map((policy) => ({
      id: policy.id,
      active: policy.active,
      priority: policy.priority,
      name: policy.name,
      standing: policy.standing,
      segment: policy.segment,
    })),
    matcher: parameters.matcher,
    recoversWhileActive: setting.rows[0]?.recovers ?? null,
    holidays: tenant.extraHolidays,
  };
  return createHash("sha256").update(JSON.stringify(facts)).digest("base64url");
}
