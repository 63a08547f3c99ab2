import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { openInvoicesRelation } from "../open-debt/open-debt.sql.ts";
import { customerFilter, type ReportFilters } from "./report.ts";

export interface OldestRow {
  invoice: string;
  customer: string;
  description: string;
  dueDate: string;
  daysOverdue: number;
  aging: string;
  principalCents: number;
  outstandingCents: number;
}

/**
 * The invoices the open-debt rule (open-debt.sql.ts) holds overdue today with a due date in the
 * period, oldest first: past their payable day, still owed directly (an original an agreement in
 * force replaces is left out, its installments are in). The age band is the panel's (up to 5
 * days, 6–30, 31–60, 61–90, over 90). Outstanding = the balance, principal not yet paid.
 */
export async function oldestRows(db: Executor, filters: ReportFilters): Promise<OldestRow[]> {
  const result = await sql<OldestRow>`
    select i.external_id as "invoice",
           c.name as "customer",
           i.description as "description",
           o.due_date as "dueDate",
           (${filters.today}::date - o.due_date) as "daysOverdue",
           case
             when ${filters.today}::date - o.due_date <= 5 then 'até 5 dias'
             when ${filters.today}::date - o.due_date <= 30 then '6 a 30 dias'
             when ${filters.today}::date - o.due_date <= 60 then '31 a 60 dias'
             when ${filters.today}::date - o.due_date <= 90 then '61 a 90 dias'
             else 'mais de 90 dias'
           end as "aging",
           o.amount_cents as "principalCents",
           o.balance_cents as "outstandingCents"
    from ${openInvoicesRelation(filters.tenantId, filters.overdueDueOnOrBefore, { onlyOverdue: true })} o
    join invoices i on i.tenant_id = o.tenant_id and i.id = o.id
    join customers c on c.tenant_id = o.tenant_id and c.id = o.customer_id
    where o.due_date between ${filters.from}::date and ${filters.to}::date
      ${customerFilter(filters)}
    order by o.due_date, i.external_id
    limit 10000`.execute(db);
  return result.rows;
}
