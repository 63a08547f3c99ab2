import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { InvoiceStatus } from "../invoices/invoice.table.ts";
import type { PaymentMethod, PaymentRow } from "../payments/payment.table.ts";

/**
 * Set-based writes for CSV imports: one `INSERT … SELECT FROM unnest(…)` per chunk and table,
 * arrays as parameters, `ON CONFLICT … DO UPDATE … WHERE (changed)` so re-importing identical rows
 * writes nothing. Every statement filters by tenant.
 */

export interface CustomerImportRow {
  externalId: string;
  name: string;
  document: string;
  kind: "person" | "company";
  street: string | null;
  number: string | null;
  district: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  timeZone: string;
  /** Tags joined by '|', the CSV separator, which therefore cannot occur inside a tag. */
  tags: string;
}

/** Upserts customers; returns the rows actually written with whether each was new. */
export async function upsertCustomers(
  db: Executor,
  tenantId: string,
  rows: CustomerImportRow[],
): Promise<{ external_id: string; inserted: boolean }[]> {
  if (rows.length === 0) return [];
  const column = <K extends keyof CustomerImportRow>(key: K) => rows.map((row) => row[key]);
  const result = await sql<{ external_id: string; inserted: boolean }>`
    insert into customers as c (tenant_id, external_id, name, document, kind, address_street, address_number,
      address_district, address_city, address_state, address_postal_code, time_zone, tags)
    select ${tenantId}::uuid, t.external_id, t.name, t.document, t.kind, t.street, t.number, t.district, t.city,
      t.state, t.postal_code, t.time_zone, string_to_array(t.tags, '|')
    from unnest(${column("externalId")}::text[], ${column("name")}::text[], ${column("document")}::text[],
      ${column("kind")}::text[], ${column("street")}::text[], ${column("number")}::text[],
      ${column("district")}::text[], ${column("city")}::text[], ${column("state")}::text[],
      ${column("postalCode")}::text[], ${column("timeZone")}::text[], ${column("tags")}::text[])
      as t(external_id, name, document, kind, street, number, district, city, state, postal_code, time_zone, tags)
    on conflict (tenant_id, external_id) do update set
      name = excluded.name, document = excluded.document, kind = excluded.kind,
      address_street = excluded.address_street, address_number = excluded.address_number,
      address_district = excluded.address_district, address_city = excluded.address_city,
      address_state = excluded.address_state, address_postal_code = excluded.address_postal_code,
      time_zone = excluded.time_zone, tags = excluded.tags, updated_at = now()
    where (c.name, c.document, c.kind, c.address_street, c.address_number, c.address_district, c.address_city,
           c.address_state, c.address_postal_code, c.time_zone, c.tags)
      is distinct from (excluded.name, excluded.document, excluded.kind, excluded.address_street,
           excluded.address_number, excluded.address_district, excluded.address_city, excluded.address_state,
           excluded.address_postal_code, excluded.time_zone, excluded.tags)
    returning c.external_id, (xmax = 0) as inserted`.execute(db);
  return result.rows;
}

export interface ContactImportRow {
  customerExternalId: string;
  channel: "email" | "sms" | "whatsapp";
  value: string;
  consent: boolean;
}

/** Marks a contact that an import replaced by another of the same channel (kept for history and opt-outs). */
export const REPLACED_BY_IMPORT = "substituído por outro contato numa importação";

/**
 * Brings the contacts of imported customers in line with the file: new ones are added (an existing
 * contact keeps its consent and opt-out), a contact replaced on the same channel is marked unusable
 * rather than deleted, and one that comes back is usable again — each change recorded at the
 * import's instant `now` (the clock's, as the contact's created_at) in contact_changes, for the
 * timeline. Returns the external ids of the customers whose contacts changed.
 */
export async function syncContacts(
  db: Executor,
  tenantId: string,
  rows: ContactImportRow[],
  now: Date,
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const ids = rows.map((row) => row.customerExternalId);
  const channels = rows.map((row) => row.channel);
  const values = rows.map((row) => row.value);
  const consents = rows.map((row) => row.consent);
  const added = await sql<{ external_id: string }>`
    with written as (
      insert into contacts as k (tenant_id, customer_id, channel, value, consent_at, created_at)
      select ${tenantId}::uuid, c.id, t.channel, t.value, case when t.consent then ${now}::timestamptz end,
        ${now}::timestamptz
      from unnest(${ids}::text[], ${channels}::text[], ${values}::text[], ${consents}::bool[])
        as t(external_id, channel, value, consent)
      join customers c on c.tenant_id = ${tenantId} and c.external_id = t.external_id
      on conflict (tenant_id, customer_id, channel, value) do update set unusable_reason = null
      where k.unusable_reason = ${REPLACED_BY_IMPORT}
      returning k.id, k.customer_id, k.channel, k.value, (k.xmax = 0) as inserted
    ), told as (
      ${toldByImport(tenantId, sql`written`, now)}
    )
    select distinct c.external_id from written w join customers c on c.tenant_id = ${tenantId} and c.id = w.customer_id`.execute(
    db,
  );
  const retired = await sql<{ external_id: string }>`
    with wanted as (
      select c.id as customer_id, t.channel, array_agg(t.value) as wanted_values
      from unnest(${ids}::text[], ${channels}::text[], ${values}::text[]) as t(external_id, channel, value)
      join customers c on c.tenant_id = ${tenantId} and c.external_id = t.external_id
      group by c.id, t.channel
    ), written as (
      update contacts k set unusable_reason = ${REPLACED_BY_IMPORT}
      from wanted w
      where k.tenant_id = ${tenantId} and k.customer_id = w.customer_id and k.channel = w.channel
        and k.unusable_reason is null and not (k.value = any(w.wanted_values))
      returning k.id, k.customer_id, k.channel, k.value, null::boolean as inserted
    ), told as (
      ${toldByImport(tenantId, sql`written`, now)}
    )
    select distinct c.external_id from written w join customers c on c.tenant_id = ${tenantId} and c.id = w.customer_id`.execute(
    db,
  );
  return new Set([...added.rows, ...retired.rows].map((row) => row.external_id));
}

/**
 * The import's contact changes in contact_changes, from a relation of written contacts (id,
 * customer_id, channel, value, inserted): inserted → added; updated back into use → edited
 * (restored); `inserted` null → removed (replaced by another contact of the channel).
 */
function toldByImport(tenantId: string, written: RawBuilder<unknown>, now: Date): RawBuilder<unknown> {
  return sql`insert into contact_changes (tenant_id, customer_id, contact_id, change, detail, channel, value, source, at)
      select ${tenantId}::uuid, w.customer_id, w.id,
        case when w.inserted is null then 'removed' when w.inserted then 'added' else 'edited' end,
        case when w.inserted = false then 'restored' end,
        w.channel, w.value, 'csv', ${now}::timestamptz
      from ${written} w`;
}

/** Maps external ids to internal ids for customers or invoices of the tenant (absent ids are left out). */
export async function findIdsByExternalId(
  db: Executor,
  table: "customers" | "invoices",
  tenantId: string,
  externalIds: string[],
): Promise<Map<string, string>> {
  if (externalIds.length === 0) return new Map();
  const rows = await db
    .selectFrom(table)
    .select(["id", "external_id"])
    .where("tenant_id", "=", tenantId)
    .where("external_id", "=", sql<string>`any(${externalIds}::text[])`)
    .execute();
  return new Map(rows.map((row) => [row.external_id, row.id]));
}

export interface ExistingInvoice {
  id: string;
  external_id: string;
  customer_id: string;
  description: string;
  amount_cents: number;
  issue_date: string;
  due_date: string;
  status: InvoiceStatus;
  consumer: boolean;
  fine_bps: number | null;
  interest_monthly_bps: number | null;
  paid_cents: number;
  typeable_line: string | null;
  barcode: string | null;
  pix_payload: string | null;
  our_number: number | null;
  /** the bank account that issued the boleto, and its our number by that bank's rules */
  bank_account_id: string | null;
  bank_our_number: string | null;
}

export async function findInvoicesByExternalId(
  db: Executor,
  tenantId: string,
  externalIds: string[],
): Promise<Map<string, ExistingInvoice>> {
  if (externalIds.length === 0) return new Map();
  const rows = await sql<ExistingInvoice>`
    select id, external_id, customer_id, description, amount_cents, issue_date, due_date, status, consumer,
           fine_bps, interest_monthly_bps, paid_cents, typeable_line, barcode, pix_payload, our_number,
           bank_account_id, bank_our_number
    from invoices
    where tenant_id = ${tenantId} and external_id = any(${externalIds}::text[])`.execute(db);
  return new Map(rows.rows.map((row) => [row.external_id, row]));
}

export type InvoiceImportRow = Omit<ExistingInvoice, "id" | "paid_cents">;

/** Upserts invoices (new and changed ones; the caller already compared them with what is stored). */
export async function upsertInvoices(
  db: Executor,
  tenantId: string,
  rows: InvoiceImportRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const column = <K extends keyof InvoiceImportRow>(key: K) => rows.map((row) => row[key]);
  // a boleto issued by a bank account waits for the bank's confirmation (pending), as POST /v1/invoices
  // leaves it; an existing invoice keeps its account and number (the caller copies them)
  const result = await sql`
    insert into invoices as i (tenant_id, external_id, customer_id, description, amount_cents, issue_date,
      due_date, status, consumer, fine_bps, interest_monthly_bps, typeable_line, barcode, pix_payload, our_number,
      bank_account_id, bank_our_number, boleto_status)
    select ${tenantId}::uuid, t.*, case when t.bank_our_number is null then null else 'pending' end
    from unnest(${column("external_id")}::text[], ${column("customer_id")}::uuid[], ${column("description")}::text[],
      ${column("amount_cents")}::int8[], ${column("issue_date")}::date[], ${column("due_date")}::date[],
      ${column("status")}::text[], ${column("consumer")}::bool[], ${column("fine_bps")}::int4[],
      ${column("interest_monthly_bps")}::int4[], ${column("typeable_line")}::text[], ${column("barcode")}::text[],
      ${column("pix_payload")}::text[], ${column("our_number")}::int8[], ${column("bank_account_id")}::uuid[],
      ${column("bank_our_number")}::text[])
      as t(external_id, customer_id, description, amount_cents, issue_date, due_date, status, consumer, fine_bps,
           interest_monthly_bps, typeable_line, barcode, pix_payload, our_number, bank_account_id, bank_our_number)
    on conflict (tenant_id, external_id) do update set
      customer_id = excluded.customer_id, description = excluded.description, amount_cents = excluded.amount_cents,
      issue_date = excluded.issue_date, due_date = excluded.due_date, status = excluded.status,
      consumer = excluded.consumer, fine_bps = excluded.fine_bps, interest_monthly_bps = excluded.interest_monthly_bps,
      typeable_line = excluded.typeable_line, barcode = excluded.barcode, pix_payload = excluded.pix_payload,
      our_number = excluded.our_number, bank_our_number = excluded.bank_our_number, updated_at = now()
    where (i.customer_id, i.description, i.amount_cents, i.issue_date, i.due_date, i.status, i.consumer, i.fine_bps,
           i.interest_monthly_bps, i.typeable_line, i.barcode, i.pix_payload, i.our_number, i.bank_our_number)
      is distinct from (excluded.customer_id, excluded.description, excluded.amount_cents, excluded.issue_date,
           excluded.due_date, excluded.status, excluded.consumer, excluded.fine_bps, excluded.interest_monthly_bps,
           excluded.typeable_line, excluded.barcode, excluded.pix_payload, excluded.our_number, excluded.bank_our_number)`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0);
}

export interface ExistingPayment {
  external_id: string;
  invoice_id: string | null;
  invoice_external_id: string | null;
  amount_cents: number;
  method: PaymentMethod;
  paid_at: Date;
}

export async function findPaymentsByExternalId(
  db: Executor,
  tenantId: string,
  externalIds: string[],
): Promise<Map<string, ExistingPayment>> {
  if (externalIds.length === 0) return new Map();
  const rows = await sql<ExistingPayment>`
    select external_id, invoice_id, invoice_external_id, amount_cents, method, paid_at from payments
    where tenant_id = ${tenantId} and external_id = any(${externalIds}::text[])`.execute(db);
  return new Map(rows.rows.map((row) => [row.external_id, row]));
}

export interface PaymentImportRow {
  externalId: string;
  invoiceId: string | null;
  invoiceExternalId: string;
  amountCents: number;
  method: PaymentMethod;
  paidAt: Date;
}

/**
 * Inserts new payments (source csv), and links already recorded unmatched ones to the invoice now
 * found; returns the payments written.
 */
export async function writePayments(
  db: Executor,
  tenantId: string,
  rows: PaymentImportRow[],
): Promise<PaymentRow[]> {
  if (rows.length === 0) return [];
  const column = <K extends keyof PaymentImportRow>(key: K) => rows.map((row) => row[key]);
  const written = await sql<PaymentRow>`
    insert into payments as p (tenant_id, external_id, invoice_id, invoice_external_id, amount_cents, method, paid_at, source)
    select ${tenantId}::uuid, t.*, 'csv'
    from unnest(${column("externalId")}::text[], ${column("invoiceId")}::uuid[], ${column("invoiceExternalId")}::text[],
      ${column("amountCents")}::int8[], ${column("method")}::text[],
      ${rows.map((row) => row.paidAt.toISOString())}::timestamptz[])
      as t(external_id, invoice_id, invoice_external_id, amount_cents, method, paid_at)
    on conflict (tenant_id, external_id) do update set invoice_id = excluded.invoice_id
    where p.invoice_id is null and excluded.invoice_id is not null
    returning p.*`.execute(db);
  return written.rows;
}
