import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { IsoDate } from "../../domain/dates.ts";
import { openInvoicesRelation } from "../open-debt/open-debt.sql.ts";
import { AGING_PHASES, SMALL_DELAY_DAYS } from "./panel.ts";

/**
 * The panel's overdue rollup (migration 0044; docs/dashboard.md § How the panel is kept).
 * Glossary: a customer's *due day* is one due date of its open invoices owed directly (the open-debt
 * rule, `openInvoicesRelation`: agreements in force replace their originals), with their count and
 * balance, and the customer's *previous due* date before it ('-infinity' for its oldest), brought
 * forward to SMALL_DELAY_DAYS before the due date when it is older: the small delays only ask
 * whether it is before their first day (today − SMALL_DELAY_DAYS), and any date SMALL_DELAY_DAYS or
 * more before a due date of their range (at most today − 1) is, so the tenant's sums keep at most
 * SMALL_DELAY_DAYS + 1 rows per due date however the customers' due dates fall. The
 * tenant's *sums* add the due days up by (due date, previous due). A customer is *stale* when an
 * invoice, agreement or agreement link it is made of changed since the last fold (the triggers
 * mark it).
 *
 * Nothing here depends on the day: the days overdue of a due date are computed when the panel
 * reads, so an invoice that becomes overdue by the passing of a day needs no write.
 */

export interface PhaseRow {
  /** 1… in AGING_PHASES order. */
  phase: number;
  cents: number;
  invoices: number;
}

export interface OverdueCustomersRow {
  customers: number;
  /** with an invoice overdue SMALL_DELAY_DAYS days or less */
  small_customers: number;
  /** with an invoice overdue more than SMALL_DELAY_DAYS days */
  late_customers: number;
}

/** How many stale customers one fold transaction takes: short transactions, set-based work. */
export const FOLD_BATCH = 5_000;

/**
 * Takes up to `limit` stale customers of the tenant and computes their due days again from the
 * open-debt rule, moving the tenant's sums by the difference. Runs in the caller's transaction,
 * one fold per tenant at a time (a transaction-scoped advisory lock: a panel that folds first
 * reads what a fold running meanwhile wrote). Returns how many customers it took (0: none stale).
 */
export async function foldStaleCustomers(trx: Executor, tenantId: string, limit: number): Promise<number> {
  await sql`select pg_advisory_xact_lock(hashtext('panel_due_days'), hashtext(${tenantId}::text))`.execute(
    trx,
  );
  // A writer's mark locks its row until the writer commits; the claim skips it, so the mark stays
  // for the next fold with the write committed. Waiting instead could deadlock: a bank file marks
  // many customers in one transaction, and would wait in turn on a mark this fold claimed.
  const claimed = await sql<{ customer_id: string }>`
    delete from panel_stale_customers
    where tenant_id = ${tenantId}::uuid and customer_id in (
      select customer_id from panel_stale_customers where tenant_id = ${tenantId}::uuid
      order by customer_id limit ${limit} for update skip locked)
    returning customer_id`.execute(trx);
  if (claimed.rows.length === 0) return 0;
  const customers = claimed.rows.map((row) => row.customer_id);

  // the customers' due days as they were, taken out of the sums
  await sql`
    with gone as (
      delete from panel_customer_due_days
      where tenant_id = ${tenantId}::uuid and customer_id = any(${customers}::uuid[])
      returning due_date, previous_due, invoices, balance_cents
    )
    ${addToSums(tenantId, sql`gone`, -1)}`.execute(trx);

  // and as they are now, put in; the overdue cut-off does not matter: every due date is kept
  await sql`
    with fresh as (
      select o.customer_id, o.due_date, count(*)::int8 as invoices, sum(o.balance_cents)::int8 as balance_cents
      from ${openInvoicesRelation(tenantId, "infinity", { customerIds: customers })} o
      group by o.customer_id, o.due_date
    ),
    kept as (
      insert into panel_customer_due_days (tenant_id, customer_id, due_date, previous_due, invoices, balance_cents)
      select ${tenantId}::uuid, customer_id, due_date,
        case when lag(due_date) over customer_dates is null then '-infinity'::date
          else greatest(lag(due_date) over customer_dates, due_date - ${SMALL_DELAY_DAYS}::int) end,
        invoices, balance_cents
      from fresh
      window customer_dates as (partition by customer_id order by due_date)
      returning due_date, previous_due, invoices, balance_cents
    )
    ${addToSums(tenantId, sql`kept`, 1)}`.execute(trx);

  await sql`delete from panel_due_days where tenant_id = ${tenantId}::uuid and customers = 0`.execute(trx);
  return customers.length;
}

/** Adds (sign 1) or takes out (sign −1) a relation of due days from the tenant's sums. */
function addToSums(tenantId: string, dueDays: RawBuilder<unknown>, sign: 1 | -1): RawBuilder<unknown> {
  return sql`
    insert into panel_due_days (tenant_id, due_date, previous_due, customers, invoices, balance_cents)
    select ${tenantId}::uuid, due_date, previous_due, ${sign} * count(*), ${sign} * sum(invoices),
      ${sign} * sum(balance_cents)
    from ${dueDays}
    group by due_date, previous_due
    on conflict (tenant_id, due_date, previous_due) do update set
      customers = panel_due_days.customers + excluded.customers,
      invoices = panel_due_days.invoices + excluded.invoices,
      balance_cents = panel_due_days.balance_cents + excluded.balance_cents`;
}

/** Whether the tenant has a stale customer (the usual case before a read: no). */
export async function hasStaleCustomers(db: Executor, tenantId: string): Promise<boolean> {
  const result = await sql<{ stale: boolean }>`
    select exists (select 1 from panel_stale_customers where tenant_id = ${tenantId}::uuid) as stale`.execute(
    db,
  );
  return result.rows[0]?.stale === true;
}

/** How many of the tenant's customers are stale (shown only when a budgeted fold left some). */
export async function countStaleCustomers(db: Executor, tenantId: string): Promise<number> {
  const result = await sql<{ count: number }>`
    select count(*)::int as count from panel_stale_customers where tenant_id = ${tenantId}::uuid`.execute(db);
  return Number(result.rows[0]?.count ?? 0);
}

/** The tenants with stale customers (the worker's tick folds each). */
export async function tenantsWithStaleCustomers(db: Executor): Promise<string[]> {
  const result = await sql<{ tenant_id: string }>`
    select distinct tenant_id from panel_stale_customers`.execute(db);
  return result.rows.map((row) => row.tenant_id);
}

/** The overdue balances by aging phase (1… in AGING_PHASES order), from the tenant's sums. */
export async function findRolledUpAgingPhases(
  db: Executor,
  tenantId: string,
  today: IsoDate,
  /** The open-debt rule's overdue cut-off (overdueCutoffOf). */
  overdueDueOnOrBefore: IsoDate,
): Promise<PhaseRow[]> {
  const bounds = AGING_PHASES.map((phase) => phase.fromDays);
  const result = await sql<PhaseRow>`
    select width_bucket(${today}::date - d.due_date, ${bounds}::int[]) as phase,
      sum(d.balance_cents)::int8 as cents, sum(d.invoices)::int8 as invoices
    from panel_due_days d
    where d.tenant_id = ${tenantId}::uuid and d.due_date <= ${overdueDueOnOrBefore}::date
    group by 1`.execute(db);
  return result.rows;
}

/**
 * The overdue invoices and balances by month of their due date within [from, to], from the
 * tenant's sums: the summary report's overdue columns, the same figures as the panel's.
 */
export async function findRolledUpOverdueByDueMonth(
  db: Executor,
  tenantId: string,
  overdueDueOnOrBefore: IsoDate,
  from: IsoDate,
  to: IsoDate,
): Promise<{ period: string; overdueCount: number; overdueCents: number }[]> {
  const result = await sql<{ period: string; overdueCount: number; overdueCents: number }>`
    select date_trunc('month', d.due_date)::date as period,
      sum(d.invoices)::int8 as "overdueCount", sum(d.balance_cents)::int8 as "overdueCents"
    from panel_due_days d
    where d.tenant_id = ${tenantId}::uuid and d.due_date <= ${overdueDueOnOrBefore}::date
      and d.due_date between ${from}::date and ${to}::date
    group by 1
    having sum(d.invoices) > 0`.execute(db);
  return result.rows;
}

/**
 * How many customers owe overdue invoices (their oldest due date is overdue), with one overdue
 * SMALL_DELAY_DAYS days or less (a due date in that range, counted at the first one: its previous
 * due date is older), and with one overdue longer (their oldest is older), from the tenant's sums.
 */
export async function findRolledUpOverdueCustomers(
  db: Executor,
  tenantId: string,
  today: IsoDate,
  overdueDueOnOrBefore: IsoDate,
): Promise<OverdueCustomersRow> {
  const smallFrom = sql`${today}::date - ${SMALL_DELAY_DAYS}::int`;
  const result = await sql<OverdueCustomersRow>`
    select
      coalesce(sum(d.customers) filter (where d.previous_due = '-infinity'), 0)::int8 as customers,
      coalesce(sum(d.customers) filter (where d.due_date >= ${smallFrom} and d.previous_due < ${smallFrom}), 0)::int8
        as small_customers,
      coalesce(sum(d.customers) filter (where d.previous_due = '-infinity' and d.due_date < ${smallFrom}), 0)::int8
        as late_customers
    from panel_due_days d
    where d.tenant_id = ${tenantId}::uuid and d.due_date <= ${overdueDueOnOrBefore}::date`.execute(db);
  return result.rows[0]!;
}
