import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { OpenDebtAgreement } from "./open-debt.ts";

/** One open invoice with what covers it, as open-debt.service.ts turns it into facts. */
export interface OpenInvoiceRow {
  id: string;
  customer_id: string;
  external_id: string;
  description: string;
  contract_id: string | null;
  paid_cents: number;
  typeable_line: string | null;
  pix_payload: string | null;
  our_number: number | null;
  covered_by_id: string | null;
  covered_by_status: OpenDebtAgreement["status"] | null;
  installment_of: string | null;
  disputed: boolean;
}

/**
 * The open invoices of some customers (or some invoices), each with the agreement in force that
 * covers it, the agreement it is an installment of, and whether an open dispute holds it.
 */
export async function findOpenInvoices(
  db: Executor,
  tenantId: string,
  scope: { customerIds: string[] } | { invoiceIds: string[] },
): Promise<OpenInvoiceRow[]> {
  const ids = "customerIds" in scope ? scope.customerIds : scope.invoiceIds;
  if (ids.length === 0) return [];
  const filter =
    "customerIds" in scope ? sql`i.customer_id = any(${ids}::uuid[])` : sql`i.id = any(${ids}::uuid[])`;
  const result = await sql<OpenInvoiceRow>`
    select i.id, i.customer_id, i.external_id, i.description, i.contract_id, i.paid_cents,
      i.typeable_line, i.pix_payload, i.our_number,
      cov.agreement_id as covered_by_id, cov.status as covered_by_status,
      ai.agreement_id as installment_of,
      exists (select 1 from customer_pauses cp
        where cp.tenant_id = i.tenant_id and cp.customer_id = i.customer_id and cp.invoice_id = i.id
          and cp.kind = 'dispute' and cp.released_at is null) as disputed
    from invoices i
    left join lateral (
      select ao.agreement_id, a.status from agreement_invoices ao
      join agreements a on a.tenant_id = ao.tenant_id and a.id = ao.agreement_id
      where ao.tenant_id = i.tenant_id and ao.invoice_id = i.id and a.status in ('proposed', 'active')
      order by a.created_at desc limit 1
    ) cov on true
    left join agreement_installments ai on ai.tenant_id = i.tenant_id and ai.invoice_id = i.id
    where i.tenant_id = ${tenantId}::uuid and i.status = 'open' and ${filter}
    order by i.due_date, i.id`.execute(db);
  return result.rows;
}
