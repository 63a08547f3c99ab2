import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { customerFilter, type ReportFilters } from "./report.ts";

export interface DetailedInvoiceRow {
  id: string;
  invoice: string;
  customer: string;
  description: string;
  dueDate: string;
  status: "open" | "paid" | "renegotiated";
  principalCents: number;
  paidCents: number;
  /** renegotiated: the agreement's view of this invoice (as of its proposal) and its share of the concession */
  agreementAsOf: string | null;
  agreementFineCents: number | null;
  agreementInterestCents: number | null;
  agreementDiscountCents: number | null;
}

/**
 * The invoices falling due in the period that are owed or were (open, paid, renegotiated into an
 * agreement still in force). For a renegotiated one, the agreement's breakdown of it and its share
 * of the agreement's concession, pro rata to its total (half-up to the cent).
 */
export async function detailedInvoiceRows(
  db: Executor,
  filters: ReportFilters,
): Promise<DetailedInvoiceRow[]> {
  const result = await sql<DetailedInvoiceRow>`
    select i.id as "id",
           i.external_id as "invoice",
           c.name as "customer",
           i.description as "description",
           i.due_date as "dueDate",
           i.status as "status",
           i.amount_cents as "principalCents",
           i.paid_cents as "paidCents",
           deal.as_of as "agreementAsOf",
           deal.fine_cents as "agreementFineCents",
           deal.interest_cents as "agreementInterestCents",
           deal.discount_cents as "agreementDiscountCents"
    from invoices i
    join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id
    left join lateral (
      select (a.debt->>'asOf')::date as as_of,
             (e->>'fineCents')::bigint as fine_cents,
             (e->>'interestCents')::bigint as interest_cents,
             round(a.concession_cents * (e->>'totalCents')::numeric
                   / nullif((a.debt->>'totalCents')::numeric, 0))::bigint as discount_cents
      from agreement_invoices ai
      join agreements a on a.tenant_id = ai.tenant_id and a.id = ai.agreement_id
      cross join lateral jsonb_array_elements(a.debt->'invoices') e
      where ai.tenant_id = i.tenant_id and ai.invoice_id = i.id
        and a.status in ('proposed', 'active', 'completed')
        and e->>'invoiceId' = i.id::text
      order by a.created_at desc
      limit 1
    ) deal on i.status = 'renegotiated'
    where i.tenant_id = ${filters.tenantId}
      and i.status in ('open', 'paid', 'renegotiated')
      and i.due_date between ${filters.from}::date and ${filters.to}::date
      ${customerFilter(filters)}
    order by i.due_date, i.external_id
    limit 10000`.execute(db);
  return result.rows;
}
