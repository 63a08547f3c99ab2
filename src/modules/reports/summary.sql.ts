import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
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

/**
 * Month by month: billed = invoices falling due in the month (not cancelled; an agreement's
 * installments are not billed again — they replace invoices already counted); overdue = what the
 * open-debt rule (open-debt.sql.ts) holds overdue today among the invoices due in the month, at
 * their balance (original − paid): an original an agreement in force replaces is not overdue, its
 * installments are, in their own month, so the totals are the panel's; paid = payments received
 * in the month (tenant's time zone); recovered = the part of it paid after the invoice's due date
 * or on an agreement's installment.
 */
export async function summaryRows(db: Executor, filters: ReportFilters): Promise<SummaryRow[]> {
  const result = await sql<SummaryRow>`
    with scoped as (
      select c.id from customers c where c.tenant_id = ${filters.tenantId} ${customerFilter(filters)}
    ),
    billed as (
      select date_trunc('month', i.due_date)::date as period,
             count(*) as billed_count,
             sum(i.amount_cents) as billed_cents
      from invoices i
      join scoped s on s.id = i.customer_id
      where i.tenant_id = ${filters.tenantId}
        and i.status <> 'cancelled'
        and i.due_date between ${filters.from}::date and ${filters.to}::date
        and not exists (
          select 1 from agreement_installments ai
          where ai.tenant_id = i.tenant_id and ai.invoice_id = i.id)
      group by 1
    ),
    overdue as (
      select date_trunc('month', o.due_date)::date as period,
             count(*) as overdue_count, sum(o.balance_cents) as overdue_cents
      from ${openInvoicesRelation(filters.tenantId, filters.overdueDueOnOrBefore, { onlyOverdue: true })} o
      join scoped s on s.id = o.customer_id
      where o.due_date between ${filters.from}::date and ${filters.to}::date
      group by 1
    ),
    paid as (
      select date_trunc('month', (p.paid_at at time zone ${filters.timeZone})::date)::date as period,
             sum(p.amount_cents) as paid_cents,
             coalesce(sum(p.amount_cents) filter (
               where (p.paid_at at time zone ${filters.timeZone})::date > i.due_date
                  or exists (select 1 from agreement_installments ai
                             where ai.tenant_id = i.tenant_id and ai.invoice_id = i.id)), 0) as recovered_cents
      from payments p
      join invoices i on i.tenant_id = p.tenant_id and i.id = p.invoice_id
      join scoped s on s.id = i.customer_id
      where p.tenant_id = ${filters.tenantId}
        and (p.paid_at at time zone ${filters.timeZone})::date between ${filters.from}::date and ${filters.to}::date
      group by 1
    )
    select coalesce(b.period, o.period, p.period) as "period",
           coalesce(b.billed_count, 0) as "billedCount",
           coalesce(b.billed_cents, 0) as "billedCents",
           coalesce(p.paid_cents, 0) as "paidCents",
           coalesce(p.recovered_cents, 0) as "recoveredCents",
           coalesce(o.overdue_count, 0) as "overdueCount",
           coalesce(o.overdue_cents, 0) as "overdueCents"
    from billed b
    full join overdue o on o.period = b.period
    full join paid p on p.period = coalesce(b.period, o.period)
    order by 1`.execute(db);
  return result.rows;
}
