import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { foldPanelRollup } from "../dashboard/panel-rollup.service.ts";
import { findRolledUpOverdueByDueMonth } from "../dashboard/panel-rollup.sql.ts";
import { openInvoicesRelation } from "../open-debt/open-debt.sql.ts";
import { customerFilter, type ReportFilters } from "./report.ts";

export interface SummaryRow {
  period: string;
  billedCount: number;
  billedCents: number;
  paidCents: number;
  recoveredCents: number;
  overdueCount: number;
  overdueCents: number;
}

type Columns<K extends keyof SummaryRow> = Pick<SummaryRow, "period" | K>;

/**
 * Month by month: billed = invoices falling due in the month (not cancelled; an agreement's
 * installments are not billed again — they replace invoices already counted); overdue = what the
 * open-debt rule (open-debt.sql.ts) holds overdue today among the invoices due in the month, at
 * their balance (original − paid): an original an agreement in force replaces is not overdue, its
 * installments are, in their own month, so the totals are the panel's; paid = payments received
 * in the month (tenant's time zone); recovered = the part of it paid after the invoice's due date
 * or on an agreement's installment.
 *
 * The three are separate statements, run at once on PostgreSQL (separate pooled connections). For
 * the whole portfolio (no group, no tag) the overdue columns are the panel's rollup read by due
 * month, on `primary` after its fold (within `foldBudgetMs`; `pending` says how many customers it
 * left), rather than the open-debt relation over every overdue invoice — the larger part of the
 * report on a large portfolio. A group or tag narrows the customers, which the tenant's sums
 * cannot, so the relation is read then.
 */
export async function summaryRows(
  db: Executor,
  filters: ReportFilters,
  primary: Executor = db,
  foldBudgetMs = Number.POSITIVE_INFINITY,
): Promise<{ rows: SummaryRow[]; pending: number }> {
  const narrowed = filters.groupId !== null || filters.tag !== null;
  const [billed, paid, overdue] = await Promise.all([
    billedByMonth(db, filters, narrowed),
    paidByMonth(db, filters, narrowed),
    narrowed ? directOverdueByMonth(db, filters) : rolledUpOverdueByMonth(primary, filters, foldBudgetMs),
  ]);
  const months = new Map<string, SummaryRow>();
  const monthOf = (period: string) => {
    let row = months.get(period);
    if (!row) {
      row = {
        period,
        billedCount: 0,
        billedCents: 0,
        paidCents: 0,
        recoveredCents: 0,
        overdueCount: 0,
        overdueCents: 0,
      };
      months.set(period, row);
    }
    return row;
  };
  for (const part of [billed, paid, overdue.rows])
    for (const { period, ...columns } of part) Object.assign(monthOf(period), columns);
  const rows = [...months.values()].sort((a, b) => a.period.localeCompare(b.period));
  return { rows, pending: overdue.pending };
}

/** `and …` keeping the invoices (alias `i`) of the filtered customers; nothing for the whole portfolio. */
function narrowedTo(filters: ReportFilters, narrowed: boolean): RawBuilder<unknown> {
  if (!narrowed) return sql``;
  return sql`and exists (
    select 1 from customers c
    where c.tenant_id = i.tenant_id and c.id = i.customer_id ${customerFilter(filters)})`;
}

async function billedByMonth(
  db: Executor,
  filters: ReportFilters,
  narrowed: boolean,
): Promise<Columns<"billedCount" | "billedCents">[]> {
  const result = await sql<Columns<"billedCount" | "billedCents">>`
    select date_trunc('month', i.due_date)::date as period,
           count(*) as "billedCount",
           sum(i.amount_cents) as "billedCents"
    from invoices i
    where i.tenant_id = ${filters.tenantId}
      and i.status <> 'cancelled'
      and i.due_date between ${filters.from}::date and ${filters.to}::date
      and not exists (
        select 1 from agreement_installments ai
        where ai.tenant_id = i.tenant_id and ai.invoice_id = i.id)
      ${narrowedTo(filters, narrowed)}
    group by 1`.execute(db);
  return result.rows;
}

async function paidByMonth(
  db: Executor,
  filters: ReportFilters,
  narrowed: boolean,
): Promise<Columns<"paidCents" | "recoveredCents">[]> {
  const paidOn = sql`(p.paid_at at time zone ${filters.timeZone})::date`;
  const result = await sql<Columns<"paidCents" | "recoveredCents">>`
    select date_trunc('month', ${paidOn})::date as period,
           sum(p.amount_cents) as "paidCents",
           coalesce(sum(p.amount_cents) filter (
             where ${paidOn} > i.due_date
                or exists (select 1 from agreement_installments ai
                           where ai.tenant_id = i.tenant_id and ai.invoice_id = i.id)), 0) as "recoveredCents"
    from payments p
    join invoices i on i.tenant_id = p.tenant_id and i.id = p.invoice_id
    where p.tenant_id = ${filters.tenantId}
      and ${paidOn} between ${filters.from}::date and ${filters.to}::date
      ${narrowedTo(filters, narrowed)}
    group by 1`.execute(db);
  return result.rows;
}

async function directOverdueByMonth(
  db: Executor,
  filters: ReportFilters,
): Promise<{ rows: Columns<"overdueCount" | "overdueCents">[]; pending: number }> {
  const result = await sql<Columns<"overdueCount" | "overdueCents">>`
    select date_trunc('month', o.due_date)::date as period,
           count(*) as "overdueCount", sum(o.balance_cents) as "overdueCents"
    from ${openInvoicesRelation(filters.tenantId, filters.overdueDueOnOrBefore, { onlyOverdue: true })} o
    join customers c on c.tenant_id = ${filters.tenantId} and c.id = o.customer_id ${customerFilter(filters)}
    where o.due_date between ${filters.from}::date and ${filters.to}::date
    group by 1`.execute(db);
  return { rows: result.rows, pending: 0 };
}

async function rolledUpOverdueByMonth(
  primary: Executor,
  filters: ReportFilters,
  foldBudgetMs: number,
): Promise<{ rows: Columns<"overdueCount" | "overdueCents">[]; pending: number }> {
  const fold = await foldPanelRollup(primary, filters.tenantId, foldBudgetMs);
  const rows = await findRolledUpOverdueByDueMonth(
    primary,
    filters.tenantId,
    filters.overdueDueOnOrBefore,
    filters.from,
    filters.to,
  );
  return { rows, pending: fold.pending };
}
