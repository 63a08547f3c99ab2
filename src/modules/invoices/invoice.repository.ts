import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { InvoiceRow, InvoiceStatus, NewInvoiceRow } from "./invoice.table.ts";

export function insertInvoice(db: Executor, row: NewInvoiceRow): Promise<InvoiceRow> {
  return db.insertInto("invoices").values(row).returningAll().executeTakeFirstOrThrow();
}

/** Who the new invoice belongs to: the customer by our id or by the creditor's, and optionally its contract. */
export interface InvoiceOwner {
  customerId?: string | undefined;
  customerExternalId?: string | undefined;
  contractId?: string | null | undefined;
}

/**
 * Inserts an invoice for a customer (and contract) of the tenant in one statement: the customer
 * and the contract are looked up by the same INSERT … SELECT, so an API call costs one round trip
 * and no explicit transaction. Nothing is inserted — and `undefined` comes back — when the customer
 * or the contract (of that customer) does not exist, or the external id is taken.
 */
export async function insertInvoiceOfOwner(
  db: Executor,
  owner: InvoiceOwner,
  row: Omit<NewInvoiceRow, "customer_id" | "contract_id" | "consumer"> & { consumer: boolean | null },
): Promise<InvoiceRow | undefined> {
  const customerMatch = owner.customerId
    ? sql`c.id = ${owner.customerId}::uuid`
    : sql`c.external_id = ${owner.customerExternalId ?? null}`;
  const contractId = owner.contractId ?? null;
  const result = await sql<InvoiceRow>`
    insert into invoices (tenant_id, external_id, customer_id, contract_id, description, amount_cents,
      issue_date, due_date, status, consumer, fine_bps, interest_monthly_bps, typeable_line, barcode,
      pix_payload, our_number)
    select c.tenant_id, ${row.external_id}, c.id, k.id, coalesce(${row.description ?? null}::text, ''),
      ${row.amount_cents}::int8, ${row.issue_date}::date, ${row.due_date}::date,
      coalesce(${row.status ?? null}::text, 'open'), coalesce(${row.consumer}::boolean, k.consumer, true),
      ${row.fine_bps ?? null}::int4, ${row.interest_monthly_bps ?? null}::int4,
      ${row.typeable_line ?? null}::text, ${row.barcode ?? null}::text, ${row.pix_payload ?? null}::text,
      ${row.our_number ?? null}::int8
    from customers c
    left join contracts k on k.tenant_id = c.tenant_id and k.id = ${contractId}::uuid and k.customer_id = c.id
    where c.tenant_id = ${row.tenant_id}::uuid and ${customerMatch}
      and (${contractId}::uuid is null or k.id is not null)
    on conflict (tenant_id, external_id) do nothing
    returning *`.execute(db);
  return result.rows[0];
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
