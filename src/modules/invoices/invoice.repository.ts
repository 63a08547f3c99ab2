import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { PaymentRow } from "../payments/payment.table.ts";
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

/** A new invoice's columns; its customer and contract come from its `InvoiceOwner`. */
export type NewOwnedInvoiceRow = Omit<NewInvoiceRow, "customer_id" | "contract_id" | "consumer"> & {
  consumer: boolean | null;
};

/**
 * Inserts invoices, each for a customer (and contract) of its tenant, in ONE statement: customers
 * and contracts are looked up by the same INSERT … SELECT, so an API call costs one round trip and
 * no explicit transaction, and concurrent calls grouped together (see GroupWriter) share it.
 * Answers, per item in order, the inserted row — or `undefined` when the customer or the contract
 * (of that customer) does not exist, or the external id is taken (an item repeating an earlier
 * item's external id in the same call is never sent, so it is never taken for the other's row).
 */
export async function insertOwnedInvoices(
  db: Executor,
  items: { owner: InvoiceOwner; row: NewOwnedInvoiceRow }[],
): Promise<(InvoiceRow | undefined)[]> {
  const keyOf = (tenantId: string, externalId: string) => `${tenantId}|${externalId}`;
  const seen = new Set<string>();
  const unique = items.filter(({ row }) => {
    const key = keyOf(row.tenant_id, row.external_id);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const records = unique.map(({ owner, row }) => ({
    tenant_id: row.tenant_id,
    external_id: row.external_id,
    customer_id: owner.customerId ?? null,
    customer_external_id: owner.customerId ? null : (owner.customerExternalId ?? null),
    contract_id: owner.contractId ?? null,
    description: row.description ?? "",
    amount_cents: row.amount_cents,
    issue_date: row.issue_date,
    due_date: row.due_date,
    status: row.status ?? "open",
    consumer: row.consumer,
    fine_bps: row.fine_bps ?? null,
    interest_monthly_bps: row.interest_monthly_bps ?? null,
    typeable_line: row.typeable_line ?? null,
    barcode: row.barcode ?? null,
    pix_payload: row.pix_payload ?? null,
    our_number: row.our_number ?? null,
    bank_account_id: row.bank_account_id ?? null,
    bank_our_number: row.bank_our_number ?? null,
    boleto_status: row.boleto_status ?? null,
  }));
  const result = await sql<InvoiceRow>`
    insert into invoices (tenant_id, external_id, customer_id, contract_id, description, amount_cents,
      issue_date, due_date, status, consumer, fine_bps, interest_monthly_bps, typeable_line, barcode,
      pix_payload, our_number, bank_account_id, bank_our_number, boleto_status)
    select c.tenant_id, r.external_id, c.id, k.id, r.description, r.amount_cents, r.issue_date, r.due_date,
      r.status, coalesce(r.consumer, k.consumer, true), r.fine_bps, r.interest_monthly_bps,
      r.typeable_line, r.barcode, r.pix_payload, r.our_number, r.bank_account_id, r.bank_our_number,
      r.boleto_status
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(tenant_id uuid, external_id text,
      customer_id uuid, customer_external_id text, contract_id uuid, description text, amount_cents int8,
      issue_date date, due_date date, status text, consumer boolean, fine_bps int4,
      interest_monthly_bps int4, typeable_line text, barcode text, pix_payload text, our_number int8,
      bank_account_id uuid, bank_our_number text, boleto_status text)
    join customers c on c.tenant_id = r.tenant_id
      and c.id = coalesce(r.customer_id, (select id from customers x
        where x.tenant_id = r.tenant_id and x.external_id = r.customer_external_id))
    left join contracts k on k.tenant_id = c.tenant_id and k.id = r.contract_id and k.customer_id = c.id
    where r.contract_id is null or k.id is not null
    on conflict (tenant_id, external_id) do nothing
    returning *`.execute(db);
  const inserted = new Map(result.rows.map((row) => [keyOf(row.tenant_id, row.external_id), row]));
  return items.map(({ row }) => {
    const key = keyOf(row.tenant_id, row.external_id);
    const found = inserted.get(key);
    inserted.delete(key); // a repeated external id gets the row only once
    return found;
  });
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
  issue_date: string;
  early_discount_bps: number | null;
  early_discount_days: number | null;
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
           i.issue_date, k.early_discount_bps, k.early_discount_days,
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

/**
 * Writes settlements in one statement; rows whose values did not change are left alone. Returns
 * the rows it changed, as they now are (the payments' effects need no second read of them).
 *
 * The same statement marks the changed rows' customers stale for standing and for the panel's
 * rollup, once per customer, which the row triggers of migrations 0045 and 0044 did once per
 * invoice (a return file's 100,000 invoices cost 100,000 calls each); the triggers leave this
 * statement's rows to it while regua.settlement_marks_customers is on (migrations 0049 and 0050). A row whose payment instant alone moved
 * marks its customer too: one customer decided again, never a mark missed.
 */
export async function updateSettlements(
  db: Executor,
  tenantId: string,
  updates: SettlementUpdate[],
): Promise<InvoiceRow[]> {
  if (updates.length === 0) return [];
  await sql`select set_config('regua.settlement_marks_customers', 'on', true)`.execute(db);
  try {
    const result = await sql<InvoiceRow>`
      with settled as (
        update invoices i
        set status = u.status, paid_cents = u.paid_cents, paid_at = u.paid_at, updated_at = now()
        from unnest(
          ${updates.map((u) => u.id)}::uuid[],
          ${updates.map((u) => u.status)}::text[],
          ${updates.map((u) => u.paidCents)}::int8[],
          ${updates.map((u) => u.paidAt?.toISOString() ?? null)}::timestamptz[]
        ) as u(id, status, paid_cents, paid_at)
        where i.tenant_id = ${tenantId} and i.id = u.id
          and (i.status, i.paid_cents, i.paid_at) is distinct from (u.status, u.paid_cents, u.paid_at)
        returning i.*
      ), marked as (
        insert into standing_stale_customers (tenant_id, customer_id)
        select distinct tenant_id, customer_id from settled
        on conflict (tenant_id, customer_id) do update set marked_at = clock_timestamp()
      ), marked_for_panel as (
        -- locks a mark already there without a new row version, as the panel's trigger does
        insert into panel_stale_customers (tenant_id, customer_id)
        select distinct tenant_id, customer_id from settled
        on conflict (tenant_id, customer_id) do update set marked_at = excluded.marked_at where false
      )
      select * from settled`.execute(db);
    return result.rows;
  } finally {
    // after a failed statement the transaction is aborted and rolls back the setting anyway
    await sql`select set_config('regua.settlement_marks_customers', '', true)`.execute(db).catch(() => {});
  }
}

/**
 * What was paid on the invoices: their payments; for the originals of a broken or cancelled
 * agreement, the installment payments credited to them (agreement_imputations); for installments,
 * payments made on an original while the agreement was in force (agreement_credits, and such a
 * payment no longer counts for the original). Settlement counts them all; the payments table keeps
 * money received once. See src/modules/agreements. It lives with the invoices because settling an
 * invoice reads it, and the payments module sits above the invoices (it settles them).
 */
export async function findPaymentsOfInvoices(
  db: Executor,
  tenantId: string,
  invoiceIds: string[],
): Promise<Pick<PaymentRow, "invoice_id" | "amount_cents" | "paid_at">[]> {
  if (invoiceIds.length === 0) return [];
  // the ids travel once for the three lookups: tens of thousands per call when a file settles
  const result = await sql<Pick<PaymentRow, "invoice_id" | "amount_cents" | "paid_at">>`
    with ids as materialized (select ${invoiceIds}::uuid[] as ids)
    select invoice_id, amount_cents, paid_at from payments
    where tenant_id = ${tenantId} and invoice_id = any((select ids from ids)::uuid[])
      and credited_to_agreement_id is null
    union all
    select invoice_id, amount_cents, paid_at from agreement_imputations
    where tenant_id = ${tenantId} and invoice_id = any((select ids from ids)::uuid[])
    union all
    select invoice_id, amount_cents, paid_at from agreement_credits
    where tenant_id = ${tenantId} and invoice_id = any((select ids from ids)::uuid[])`.execute(db);
  return result.rows;
}
