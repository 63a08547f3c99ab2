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

/**
 * What was paid on the invoices: their payments; for the originals of a broken or cancelled
 * agreement, the installment payments credited to them (agreement_imputations); for installments,
 * payments made on an original while the agreement was in force (agreement_credits, and such a
 * payment no longer counts for the original). Settlement counts them all; the payments table keeps
 * money received once. See src/modules/agreements.
 */
export function findPaymentsOfInvoices(
  db: Executor,
  tenantId: string,
  invoiceIds: string[],
): Promise<Pick<PaymentRow, "invoice_id" | "amount_cents" | "paid_at">[]> {
  if (invoiceIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("payments")
    .select(["invoice_id", "amount_cents", "paid_at"])
    .where("tenant_id", "=", tenantId)
    .where("invoice_id", "in", invoiceIds)
    .where("credited_to_agreement_id", "is", null)
    .unionAll(
      db
        .selectFrom("agreement_imputations")
        .select(["invoice_id", "amount_cents", "paid_at"])
        .where("tenant_id", "=", tenantId)
        .where("invoice_id", "in", invoiceIds),
    )
    .unionAll(
      db
        .selectFrom("agreement_credits")
        .select(["invoice_id", "amount_cents", "paid_at"])
        .where("tenant_id", "=", tenantId)
        .where("invoice_id", "in", invoiceIds),
    )
    .execute();
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
 * returns the invoices that received payments.
 */
export async function linkUnmatchedPayments(db: Executor, tenantId: string): Promise<string[]> {
  const rows = await db
    .updateTable("payments as p")
    .from("invoices as i")
    .set((eb) => ({ invoice_id: eb.ref("i.id") }))
    .whereRef("i.tenant_id", "=", "p.tenant_id")
    .whereRef("i.external_id", "=", "p.invoice_external_id")
    .where("p.tenant_id", "=", tenantId)
    .where("p.invoice_id", "is", null)
    .returning("i.id")
    .execute();
  return [...new Set(rows.map((row) => row.id))];
}
