import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { NewPaymentRow, PaymentRow } from "./payment.table.ts";

/** Inserts a payment unless its external id is already recorded; returns undefined in that case. */
export function insertPaymentIfNew(db: Executor, row: NewPaymentRow): Promise<PaymentRow | undefined> {
  return db
    .insertInto("payments")
    .values(row)
    .onConflict((conflict) => conflict.columns(["tenant_id", "external_id"]).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findPaymentByExternalId(
  db: Executor,
  tenantId: string,
  externalId: string,
): Promise<PaymentRow | undefined> {
  return db
    .selectFrom("payments")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("external_id", "=", externalId)
    .executeTakeFirst();
}

export function findUnmatchedPayments(db: Executor, tenantId: string): Promise<PaymentRow[]> {
  return db
    .selectFrom("payments")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("invoice_id", "is", null)
    .orderBy("paid_at")
    .execute();
}

/**
 * Links payments kept without an invoice to the invoice their payer named, now that it exists;
 * returns the payments linked (to be settled: applyPaymentEffects).
 */
export async function linkUnmatchedPayments(db: Executor, tenantId: string): Promise<PaymentRow[]> {
  return db
    .updateTable("payments as p")
    .from("invoices as i")
    .set((eb) => ({ invoice_id: eb.ref("i.id") }))
    .whereRef("i.tenant_id", "=", "p.tenant_id")
    .whereRef("i.external_id", "=", "p.invoice_external_id")
    .where("p.tenant_id", "=", tenantId)
    .where("p.invoice_id", "is", null)
    .returningAll("p")
    .execute();
}

/** The invoices payments were just recorded on, locked for the settlement that follows. */
export function lockInvoicesOfPayments(db: Executor, tenantId: string, invoiceIds: string[]) {
  return db
    .selectFrom("invoices")
    .select(["id", "status", "customer_id"])
    .where("tenant_id", "=", tenantId)
    .where("id", "=", sql<string>`any(${invoiceIds}::uuid[])`)
    .orderBy("id")
    .forUpdate()
    .execute();
}

/** The invoices after settlement (for the events and standing that follow). */
export function findInvoicesOfPayments(db: Executor, tenantId: string, invoiceIds: string[]) {
  return db
    .selectFrom("invoices")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", sql<string>`any(${invoiceIds}::uuid[])`)
    .execute();
}

/**
 * Of these invoices, those an agreement speaks for: originals of an agreement in force (proposed
 * or active) and installments of any agreement. Few of a file's payments are; only they go through
 * the agreement rules one by one.
 */
export async function findInvoicesConcerningAgreements(
  db: Executor,
  tenantId: string,
  invoiceIds: string[],
): Promise<Set<string>> {
  // the ids travel once (a file's worth is 100,000 of them), for both lookups
  const rows = await sql<{ invoice_id: string }>`
    with ids as materialized (select ${invoiceIds}::uuid[] as ids)
    select ao.invoice_id from agreement_invoices ao
    join agreements a on a.tenant_id = ao.tenant_id and a.id = ao.agreement_id
    where ao.tenant_id = ${tenantId}::uuid and a.status in ('proposed', 'active')
      and ao.invoice_id = any((select ids from ids)::uuid[])
    union
    select ai.invoice_id from agreement_installments ai
    where ai.tenant_id = ${tenantId}::uuid and ai.invoice_id = any((select ids from ids)::uuid[])`.execute(
    db,
  );
  return new Set(rows.rows.map((row) => row.invoice_id));
}

/**
 * Stops the régua for settled invoices: their planned steps not yet sent are skipped ('paid', as
 * the dispatcher records a message whose invoices were paid before it went out). Returns how many.
 */
export async function stopReguaOfSettledInvoices(
  db: Executor,
  tenantId: string,
  invoiceIds: string[],
  now: Date,
): Promise<number> {
  const result = await sql`
    update dunning_actions a set status = 'skipped', skip_reason = 'paid', updated_at = ${now}
    from invoices i
    where a.tenant_id = ${tenantId}::uuid and a.invoice_id = any(${invoiceIds}::uuid[]) and a.status = 'planned'
      and i.tenant_id = a.tenant_id and i.id = a.invoice_id and i.status <> 'open'`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
