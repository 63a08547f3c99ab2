import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { inTransaction, withHashJoins } from "../../db/transaction.ts";
import { BusinessCalendar, type ExtraHoliday } from "../../domain/calendar.ts";
import type { IsoDate } from "../../domain/dates.ts";
import {
  daysOverdue,
  type Standing,
  type StandingThresholds,
  standingCutoffs,
} from "../../domain/standing.ts";
import { standing as standingText } from "../../i18n/pt-BR/standing.ts";
import { AppError, notFound, validationError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import { lastOverdueDueDate } from "../open-debt/open-debt.ts";
import { loadPolicyMatcher } from "../policies/governing-policy.sql.ts";
import { listPolicies } from "../policies/policy.service.ts";
import type { Policy } from "../policies/policy.ts";
import { type TPause, ZPause } from "../policies/policy.ts";
import {
  applyStandingStatement,
  decidedCustomerStandings,
  decideStandingStatement,
  type StandingParameters,
} from "./standing.sql.ts";

export interface StandingChange {
  subjectKind: "customer" | "contract";
  from: Standing;
  to: Standing;
  count: number;
}

export interface StandingOptions {
  /** The instant recorded on transitions and events; defaults to the start of `date` in the tenant's zone. */
  now?: Date;
  /** Restricts the pass to one customer (after a payment). */
  customerId?: string;
  /** Restricts the pass to these customers (after the payments of a file). */
  customerIds?: string[];
}

/** The statement's result as the applicator reports it. */
export function standingChangesOf(
  rows: { subject_kind: string; from_standing: string; to_standing: string; count: number }[],
): StandingChange[] {
  return rows.map((row) => ({
    subjectKind: row.subject_kind as StandingChange["subjectKind"],
    from: row.from_standing as Standing,
    to: row.to_standing as Standing,
    count: Number(row.count),
  }));
}

export interface TenantCalendarFacts {
  id: string;
  extraHolidays: ExtraHoliday[];
  timeZone: string;
}

/**
 * Moves every customer and contract of the tenant (or the customers named) to the standing the
 * policy gives them on `date` (one SQL statement), recording each transition with its reason and
 * an event. The daily run decides through `applyDailyStanding` (standing-day.service.ts), which
 * skips the customers that cannot have changed.
 */
export async function applyStanding(
  db: Executor,
  tenant: TenantCalendarFacts,
  date: IsoDate,
  options: StandingOptions = {},
): Promise<StandingChange[]> {
  const { parameters } = await standingParameters(db, tenant, date, options);
  const statement = applyStandingStatement(parameters);
  // a few customers: index lookups are right; the whole tenant: hash joins (see withHashJoins)
  const result =
    options.customerId || (options.customerIds && options.customerIds.length <= 1000)
      ? await statement.execute(db)
      : await inTransaction(db, (trx) => withHashJoins(trx, () => statement.execute(trx)));
  return standingChangesOf(result.rows);
}

/** What the decision query needs on `date`: the cut-offs of every policy, from the pure rule. */
export async function standingParameters(
  db: Executor,
  tenant: TenantCalendarFacts,
  date: IsoDate,
  options: StandingOptions,
): Promise<{ parameters: StandingParameters; policies: Policy[]; calendar: BusinessCalendar }> {
  const calendar = new BusinessCalendar(tenant.extraHolidays);
  const policies = await listPolicies(db, tenant.id);
  const cutoffs = policies.map((policy) => {
    const cut = standingCutoffs(policy.standing, date, calendar);
    return {
      policyId: policy.id,
      warning: cut.warningDueOnOrBefore,
      suspended: cut.suspendedDueOnOrBefore,
      cancelled: cut.cancelledDueOnOrBefore,
      minimumCents: policy.standing.minimumCents,
      warningDays: policy.standing.warningDays,
      suspendedDays: policy.standing.suspendedDays,
      cancelledDays: policy.standing.cancelledDays,
    };
  });
  const at = options.now ?? (await startOfDay(db, date, tenant.timeZone));
  const matcher = await loadPolicyMatcher(db, tenant.id, policies);
  return {
    policies,
    calendar,
    parameters: {
      tenantId: tenant.id,
      date,
      at,
      // the open-debt rule's overdue cut-off (the payable-date rule on the tenant's calendar)
      overdueDueOnOrBefore: lastOverdueDueDate(date, calendar),
      cutoffs,
      customerId: options.customerId,
      customerIds: options.customerIds,
      matcher,
    },
  };
}

/** A subject's standing as the one rule decides it on a date, for the readers. */
export interface DecidedStanding {
  subjectKind: "customer" | "contract";
  subjectId: string;
  /** What the applicator recorded last. */
  recorded: Standing;
  standing: Standing;
  reason: string;
  /** Days overdue counted as the governing policy counts them, from the reopening when later. */
  daysOverdue: number;
  oldestOverdueDue: IsoDate | null;
  reopenedOn: IsoDate | null;
  /** The policy governing the oldest overdue invoice (its thresholds), null when nothing is overdue. */
  thresholds: StandingThresholds | null;
}

/**
 * The standing of a customer and its contracts on `date`, decided by the same statement the
 * applicator runs (nothing written): the banner, the standing endpoint, the customer view and the
 * portal read this, so a payment, a pause, a dispute, an agreement or a reopening shows at once and
 * the same everywhere. The customer comes first; a customer without facts or record is ok.
 */
export async function decideCustomerStanding(
  db: Executor,
  tenant: TenantCalendarFacts,
  customerId: string,
  date: IsoDate,
): Promise<DecidedStanding[]> {
  const { parameters, policies, calendar } = await standingParameters(db, tenant, date, {
    customerId,
    now: new Date(0),
  });
  const [rows, recorded] = await Promise.all([
    decideStandingStatement(parameters).execute(db),
    db
      .selectFrom("standings")
      .select(["subject_kind", "subject_id", "standing", "reason", "reopened_on"])
      .where("tenant_id", "=", tenant.id)
      .where("customer_id", "=", customerId)
      .execute(),
  ]);
  const policyById = new Map(policies.map((policy) => [policy.id, policy.standing]));
  const recordOf = (kind: string, id: string) =>
    recorded.find((row) => row.subject_kind === kind && row.subject_id === id);
  const decided: DecidedStanding[] = rows.rows.map((row) => {
    const thresholds = row.policy_id ? (policyById.get(row.policy_id) ?? null) : null;
    return {
      subjectKind: row.subject_kind,
      subjectId: row.subject_id,
      recorded: (recordOf(row.subject_kind, row.subject_id)?.standing ?? "ok") as Standing,
      standing: row.target as Standing,
      reason: row.reason,
      daysOverdue:
        row.measured_from && thresholds
          ? daysOverdue(row.measured_from, date, thresholds.dayKind, calendar)
          : 0,
      oldestOverdueDue: row.oldest_due,
      reopenedOn: recordOf(row.subject_kind, row.subject_id)?.reopened_on ?? null,
      thresholds,
    };
  });
  if (!decided.some((subject) => subject.subjectKind === "customer")) {
    const own = recordOf("customer", customerId);
    decided.unshift({
      subjectKind: "customer",
      subjectId: customerId,
      recorded: own?.standing ?? "ok",
      standing: "ok",
      reason: "nenhuma fatura vencida em aberto",
      daysOverdue: 0,
      oldestOverdueDue: null,
      reopenedOn: own?.reopened_on ?? null,
      thresholds: null,
    });
  }
  return decided.sort((a, b) =>
    a.subjectKind === b.subjectKind ? 0 : a.subjectKind === "customer" ? -1 : 1,
  );
}

/**
 * The decided standing of customers on `date` as a relation (customer_id, standing) for a list to
 * join and filter by — the same statement as decideCustomerStanding, over the whole tenant or
 * these customers. A customer absent from it is ok.
 */
export async function decidedStandingsRelation(
  db: Executor,
  tenant: TenantCalendarFacts,
  date: IsoDate,
  customerIds?: string[],
): Promise<RawBuilder<{ customer_id: string; standing: string }>> {
  const { parameters } = await standingParameters(db, tenant, date, {
    ...(customerIds ? { customerIds } : {}),
    now: new Date(0),
  });
  return decidedCustomerStandings(parameters);
}

/** The decided standing of each of these customers on `date` (the customer list's page). */
export async function decideCustomerStandings(
  db: Executor,
  tenant: TenantCalendarFacts,
  customerIds: string[],
  date: IsoDate,
): Promise<Map<string, Standing>> {
  if (customerIds.length === 0) return new Map();
  const relation = await decidedStandingsRelation(db, tenant, date, customerIds);
  const result = await sql<{ customer_id: string; standing: Standing }>`
    select d.customer_id, d.standing from ${relation} d`.execute(db);
  const standings = new Map<string, Standing>(customerIds.map((id) => [id, "ok"]));
  for (const row of result.rows) standings.set(row.customer_id, row.standing);
  return standings;
}

async function startOfDay(db: Executor, date: IsoDate, timeZone: string): Promise<Date> {
  const row = await sql<{
    at: Date;
  }>`select (${date}::date)::timestamp at time zone ${timeZone} as at`.execute(db);
  return new Date(row.rows[0]!.at);
}

async function tenantFacts(db: Executor, tenantId: string): Promise<TenantCalendarFacts> {
  const row = await db
    .selectFrom("tenants")
    .select(["id", "extra_holidays", "time_zone"])
    .where("id", "=", tenantId)
    .executeTakeFirst();
  if (!row) throw notFound("credor", tenantId);
  return { id: row.id, extraHolidays: row.extra_holidays, timeZone: row.time_zone };
}

/**
 * Re-evaluates one customer (and its contracts) at once, typically after a payment: clearing the
 * overdue restores ok the same day. The payments service calls it inside its transaction.
 */
export async function refreshStandingForCustomer(
  db: Executor,
  tenantId: string,
  customerId: string,
  today: IsoDate,
  now?: Date,
): Promise<StandingChange[]> {
  const tenant = await tenantFacts(db, tenantId);
  return applyStanding(db, tenant, today, { customerId, ...(now ? { now } : {}) });
}

/**
 * Re-evaluates these customers (and their contracts) at once, in one statement: the payments use
 * case calls it inside its transaction after the payments of a request or a file.
 */
export async function refreshStandingForCustomers(
  db: Executor,
  tenantId: string,
  customerIds: string[],
  today: IsoDate,
  now?: Date,
): Promise<StandingChange[]> {
  if (customerIds.length === 0) return [];
  const tenant = await tenantFacts(db, tenantId);
  return applyStanding(db, tenant, today, { customerIds, ...(now ? { now } : {}) });
}

export interface SubjectStanding {
  subjectKind: "customer" | "contract";
  subjectId: string;
  standing: Standing;
  since: IsoDate | null;
  reason: string;
}

/** The customer's standing and its contracts' (ok when never recorded). */
export async function getCustomerStanding(
  db: Executor,
  tenantId: string,
  customerId: string,
): Promise<SubjectStanding[]> {
  const rows = await db
    .selectFrom("standings")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .execute();
  const own = rows.find((row) => row.subject_kind === "customer");
  const result: SubjectStanding[] = [
    {
      subjectKind: "customer",
      subjectId: customerId,
      standing: own?.standing ?? "ok",
      since: own?.since ?? null,
      reason: own?.reason ?? "nenhuma pendência registrada",
    },
  ];
  for (const row of rows.filter((candidate) => candidate.subject_kind === "contract")) {
    result.push({
      subjectKind: "contract",
      subjectId: row.subject_id,
      standing: row.standing,
      since: row.since,
      reason: row.reason,
    });
  }
  return result;
}

/**
 * An operator reopens a cancelled customer (and its cancelled contracts): standing goes back to ok
 * and days overdue count again from `today`, so the régua can escalate anew.
 */
export async function reopenCustomer(
  db: Executor,
  tenantId: string,
  customerId: string,
  reason: string,
  today: IsoDate,
  now: Date,
): Promise<StandingChange[]> {
  const trimmed = reason.trim();
  if (!trimmed) throw validationError("reason", `reason: ${standingText.reopen.reasonRequired}`);
  const text = standingText.reopen.reason(trimmed);
  return inTransaction(db, async (trx) => {
    const reopened = await trx
      .updateTable("standings")
      .set({ standing: "ok", since: today, reason: text, reopened_on: today, updated_at: now })
      .where("tenant_id", "=", tenantId)
      .where("customer_id", "=", customerId)
      .where("standing", "=", "cancelled")
      .returning(["subject_kind", "subject_id", "customer_id"])
      .execute();
    if (reopened.length === 0) {
      throw new AppError("invalid_transition", standingText.reopen.notCancelled);
    }
    await trx
      .insertInto("standing_transitions")
      .values(
        reopened.map((row) => ({
          tenant_id: tenantId,
          subject_kind: row.subject_kind,
          subject_id: row.subject_id,
          customer_id: row.customer_id,
          from_standing: "cancelled" as const,
          to_standing: "ok" as const,
          reason: text,
          effective_on: today,
          at: now,
        })),
      )
      .execute();
    await trx
      .insertInto("domain_events")
      .values(
        reopened.map((row) => ({
          tenant_id: tenantId,
          type: `${row.subject_kind}.standing_changed`,
          customer_id: row.customer_id,
          payload: JSON.stringify({
            subjectKind: row.subject_kind,
            subjectId: row.subject_id,
            customerId: row.customer_id,
            from: "cancelled",
            to: "ok",
            reason: text,
            effectiveOn: today,
          }),
          occurred_at: now,
        })),
      )
      .execute();
    return [
      ...(await refreshStandingForCustomer(trx, tenantId, customerId, today, now)),
      ...reopened.map((row) => ({
        subjectKind: row.subject_kind,
        from: "cancelled" as const,
        to: "ok" as const,
        count: 1,
      })),
    ];
  });
}

/** Pauses the régua for a customer until a date (no messages, no worsening standing). */
export async function pauseCustomer(
  db: Executor,
  tenantId: string,
  customerId: string,
  input: TPause,
  /** When it was decided (the injected clock); the database's time when omitted. */
  now?: Date,
): Promise<string> {
  const pause = parseInput(ZPause, input);
  const row = await db
    .insertInto("customer_pauses")
    .values({
      tenant_id: tenantId,
      customer_id: customerId,
      kind: "pause",
      until: pause.until,
      reason: pause.reason,
      ...(now ? { created_at: now } : {}),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Marks an invoice as disputed by the debtor: the régua stops for it until released. */
export async function disputeInvoice(
  db: Executor,
  tenantId: string,
  invoiceId: string,
  reason: string,
): Promise<string> {
  const invoice = await db
    .selectFrom("invoices")
    .select(["customer_id"])
    .where("tenant_id", "=", tenantId)
    .where("id", "=", invoiceId)
    .executeTakeFirst();
  if (!invoice) throw notFound("fatura", invoiceId);
  const row = await db
    .insertInto("customer_pauses")
    .values({
      tenant_id: tenantId,
      customer_id: invoice.customer_id,
      invoice_id: invoiceId,
      kind: "dispute",
      reason,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Ends a pause or dispute before its date. */
export async function releasePause(
  db: Executor,
  tenantId: string,
  pauseId: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable("customer_pauses")
    .set({ released_at: now })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", pauseId)
    .execute();
}
