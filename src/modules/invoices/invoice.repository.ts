import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { InvoiceRow, InvoiceStatus, NewInvoiceRow } from "./invoice.table.ts";

export function insertInvoice(db: Executor, row: NewInvoiceRow): Promise<InvoiceRow> {
  return db.insertInto("invoices").values(row).returningAll().executeTakeFirstOrThrow();
}

export function findInvoiceById(db: Executor, tenantId: string, id: string): Promise<InvoiceRow | undefined> {
  return db
    .selectFrom("invoices")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export function findInvoiceByExternalId(
  db: Executor,
  tenantId: string,
  externalId: string,
): Promise<InvoiceRow | undefined> {
  return db
    .selectFrom("invoices")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("external_id", "=", externalId)
    .executeTakeFirst();
}

export function lockInvoice(db: Executor, tenantId: string, id: string): Promise<InvoiceRow | undefined> {
  return db
    .selectFrom("invoices")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

export function findInvoicesOfCustomer(
  db: Executor,
  tenantId: string,
  customerId: string,
): Promise<InvoiceRow[]> {
  return db
    .selectFrom("invoices")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .orderBy("due_date")
    .execute();
}

export function updateInvoiceStatus(
  db: Executor,
  tenantId: string,
  id: string,
  status: InvoiceStatus,
): Promise<InvoiceRow> {
  return db
    .updateTable("invoices")
    .set({ status, updated_at: sql`now()` })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** What settling an invoice needs: its amount, due date, effective rates and the debtor's place. */
export interface SettlementInputRow {
  id: string;
  external_id: string;
  status: InvoiceStatus;
  amount_cents: number;
  due_date: string;
  consumer: boolean;
  fine_bps: number | null;
  interest_monthly_bps: number | null;
  address_state: string | null;
  address_city: string | null;
  time_zone: string;
}

/** Rates resolve invoice → contract here; the tenant's defaults apply after (in the service). */
export async function findSettlementInputs(
  db: Executor,
  tenantId: string,
  invoiceIds: string[],
): Promise<SettlementInputRow[]> {
  if (invoiceIds.length === 0) return [];
  const result = await sql<SettlementInputRow>`
    select i.id, i.external_id, i.status, i.amount_cents, i.due_date, i.consumer,
           coalesce(i.fine_bps, k.fine_bps) as fine_bps,
           coalesce(i.interest_monthly_bps, k.interest_monthly_bps) as interest_monthly_bps,
           c.address_state, c.address_city, c.time_zone
    from invoices i
    join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id
    left join contracts k on k.tenant_id = i.tenant_id and k.id = i.contract_id
    where i.tenant_id = ${tenantId} and i.id = any(${invoiceIds}::uuid[])`.execute(db);
  return result.rows;
}

export interface SettlementUpdate {
  id: string;
  status: InvoiceStatus;
  paidCents: number;
  paidAt: Date | null;
}

/** Writes settlements in one statement; rows whose values did not change are left alone. */
export async function updateSettlements(
  db: Executor,
  tenantId: string,
  updates: SettlementUpdate[],
): Promise<number> {
  if (updates.length === 0) return 0;
  const result = await sql`
    update invoices i
    set status = u.status, paid_cents = u.paid_cents, paid_at = u.paid_at, updated_at = now()
    from unnest(
      ${updates.map((u) => u.id)}::uuid[],
      ${updates.map((u) => u.status)}::text[],
      ${updates.map((u) => u.paidCents)}::int8[],
      ${updates.map((u) => u.paidAt?.toISOString() ?? null)}::timestamptz[]
    ) as u(id, status, paid_cents, paid_at)
    where i.tenant_id = ${tenantId} and i.id = u.id
      and (i.status, i.paid_cents, i.paid_at) is distinct from (u.status, u.paid_cents, u.paid_at)`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0);
}
