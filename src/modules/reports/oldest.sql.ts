import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
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
 * Open invoices past due today with a due date in the period, oldest first; the age band is the
 * panel's (up to 5 days, 6–30, 31–60, 61–90, over 90). Outstanding = principal not yet paid.
 */
export async function oldestRows(db: Executor, filters: ReportFilters): Promise<OldestRow[]> {
  const result = await sql<OldestRow>`
    select i.external_id as "invoice",
           c.name as "customer",
           i.description as "description",
           i.due_date as "dueDate",
           (${filters.today}::date - i.due_date) as "daysOverdue",
           case
             when ${filters.today}::date - i.due_date <= 5 then 'até 5 dias'
             when ${filters.today}::date - i.due_date <= 30 then '6 a 30 dias'
             when ${filters.today}::date - i.due_date <= 60 then '31 a 60 dias'
             when ${filters.today}::date - i.due_date <= 90 then '61 a 90 dias'
             else 'mais de 90 dias'
           end as "aging",
           i.amount_cents as "principalCents",
           greatest(i.amount_cents - i.paid_cents, 0) as "outstandingCents"
    from invoices i
    join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id
    where i.tenant_id = ${filters.tenantId}
      and i.status = 'open'
      and i.due_date < ${filters.today}::date
      and i.due_date between ${filters.from}::date and ${filters.to}::date
      ${customerFilter(filters)}
    order by i.due_date, i.external_id
    limit 10000`.execute(db);
  return result.rows;
}
