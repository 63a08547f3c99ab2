import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { InvoiceRow, InvoiceStatus } from "./invoice.table.ts";

export interface InvoiceListFilter {
  status?: InvoiceStatus[];
  customerId?: string;
  /** Inclusive due-date range; the days-overdue range arrives here already turned into dates. */
  dueFrom?: string;
  dueTo?: string;
  tag?: string;
  after?: { dueDate: string; id: string };
  limit: number;
}

/**
 * One page of invoices in (due_date, id) order, in two steps: the page's ids from the
 * (tenant_id, status, due_date, id) or (tenant_id, due_date, id) index, which carry each invoice's
 * effective tags so that a tag filter is answered by an index-only scan that stops at `limit`; then
 * only those rows.
 */
export function findInvoicePage(
  db: Executor,
  tenantId: string,
  filter: InvoiceListFilter,
): Promise<InvoiceRow[]> {
  let page = db.selectFrom("invoices as p").select("p.id").where("p.tenant_id", "=", tenantId);
  if (filter.status && filter.status.length > 0) page = page.where("p.status", "in", filter.status);
  if (filter.customerId) page = page.where("p.customer_id", "=", filter.customerId);
  if (filter.dueFrom) page = page.where("p.due_date", ">=", filter.dueFrom);
  if (filter.dueTo) page = page.where("p.due_date", "<=", filter.dueTo);
  if (filter.tag) page = page.where(sql<boolean>`p.effective_tags @> array[${filter.tag}]::text[]`);
  if (filter.after) {
    page = page.where(
      sql<boolean>`(p.due_date, p.id) > (${filter.after.dueDate}::date, ${filter.after.id}::uuid)`,
    );
  }
  page = page.orderBy("p.due_date").orderBy("p.id").limit(filter.limit);
  return db
    .selectFrom("invoices as i")
    .selectAll("i")
    .where("i.tenant_id", "=", tenantId)
    .where("i.id", "in", page)
    .orderBy("i.due_date")
    .orderBy("i.id")
    .execute();
}
