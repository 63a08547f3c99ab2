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
 * One page of invoices in (due_date, id) order. Served by the (tenant_id, status, due_date, id)
 * and (tenant_id, due_date, id) indexes: the page is read in index order and stops at `limit`.
 */
export function findInvoicePage(
  db: Executor,
  tenantId: string,
  filter: InvoiceListFilter,
): Promise<InvoiceRow[]> {
  let query = db.selectFrom("invoices as i").selectAll("i").where("i.tenant_id", "=", tenantId);
  if (filter.status && filter.status.length > 0) query = query.where("i.status", "in", filter.status);
  if (filter.customerId) query = query.where("i.customer_id", "=", filter.customerId);
  if (filter.dueFrom) query = query.where("i.due_date", ">=", filter.dueFrom);
  if (filter.dueTo) query = query.where("i.due_date", "<=", filter.dueTo);
  if (filter.tag) {
    // the invoice's own tag, or its customer's. The customer's tags are read by a scalar subquery,
    // one primary-key probe per invoice scanned: a page stops after `limit` rows, while EXISTS
    // under an OR is turned into a hashed subplan that first reads every customer with the tag.
    query = query.where(
      sql<boolean>`(i.tags @> array[${filter.tag}]::text[] or (select c.tags from customers c
        where c.tenant_id = i.tenant_id and c.id = i.customer_id) @> array[${filter.tag}]::text[])`,
    );
  }
  if (filter.after) {
    query = query.where(
      sql<boolean>`(i.due_date, i.id) > (${filter.after.dueDate}::date, ${filter.after.id}::uuid)`,
    );
  }
  return query.orderBy("i.due_date").orderBy("i.id").limit(filter.limit).execute();
}
