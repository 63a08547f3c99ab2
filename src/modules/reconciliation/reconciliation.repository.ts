import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { Allocation, ReconciliationItemRow, ReconciliationStatus } from "./reconciliation.table.ts";

export function findItems(
  db: Executor,
  tenantId: string,
  status: ReconciliationStatus | "all",
): Promise<ReconciliationItemRow[]> {
  let query = db.selectFrom("reconciliation_items").selectAll().where("tenant_id", "=", tenantId);
  if (status !== "all") query = query.where("status", "=", status);
  return query.orderBy("created_at").orderBy("line").limit(500).execute();
}

export function lockItem(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<ReconciliationItemRow | undefined> {
  return db
    .selectFrom("reconciliation_items")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

export async function decideItem(
  db: Executor,
  tenantId: string,
  id: string,
  decision: { status: ReconciliationStatus; decidedBy: string; at: Date; allocations: Allocation[] },
): Promise<ReconciliationItemRow> {
  return db
    .updateTable("reconciliation_items")
    .set({
      status: decision.status,
      decided_by: decision.decidedBy,
      decided_at: decision.at,
      allocations: JSON.stringify(decision.allocations),
    })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface SuggestionRow {
  id: string;
  external_id: string;
  name: string;
  amount_cents: string;
  due_date: string;
  status: string;
  why: string;
}

/** The boleto's own invoice, open invoices of the same payer for the same amount, and boletos whose our number differs only in its check digit. */
export async function findSuggestions(
  db: Executor,
  tenantId: string,
  item: ReconciliationItemRow,
): Promise<SuggestionRow[]> {
  const base = item.our_number.length > 1 ? item.our_number.slice(0, -1) : item.our_number;
  const result = await sql<SuggestionRow>`
    select distinct on (i.id) i.id, i.external_id, c.name, i.amount_cents, i.due_date::text as due_date, i.status, s.why
    from (
      select id, 'boleto_invoice' as why, 1 as rank from invoices where tenant_id = ${tenantId} and id = ${item.invoice_id}
      union all
      select i.id, 'same_amount_and_payer', 2 from invoices i join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id
      where i.tenant_id = ${tenantId} and i.status = 'open' and i.amount_cents = ${item.paid_cents}
        and ${item.payer_document} <> '' and regexp_replace(c.document, '\\D', '', 'g') = ${item.payer_document}
      union all
      select id, 'our_number_other_check_digit', 3 from invoices
      where tenant_id = ${tenantId} and bank_our_number is not null
        and ltrim(bank_our_number, '0') like ${`${base.replace(/[%_]/g, "")}_`}
        and ltrim(bank_our_number, '0') <> ${item.our_number}
    ) s join invoices i on i.tenant_id = ${tenantId} and i.id = s.id
      join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id
    order by i.id, s.rank
    limit 20`.execute(db);
  return result.rows;
}
