import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import { todayIn } from "../../domain/dates.ts";
import { AppError, notFound, validationError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import { applyPaymentToAgreement, type PaymentToAgreement } from "../agreements/agreement.service.ts";
import { findInvoiceByExternalId, findInvoiceById, lockInvoice } from "../invoices/invoice.repository.ts";
import { invoiceFromRow, refreshSettlements } from "../invoices/invoice.service.ts";
import type { Invoice } from "../invoices/invoice.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { findPaymentByExternalId, findUnmatchedPayments, insertPaymentIfNew } from "./payment.repository.ts";
import type { PaymentRow } from "./payment.table.ts";
import { futurePaymentProblem, type Payment, type TRecordPayment, ZRecordPayment } from "./payment.ts";

export function paymentFromRow(row: PaymentRow): Payment {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    externalId: row.external_id,
    invoiceId: row.invoice_id,
    invoiceExternalId: row.invoice_external_id,
    amountCents: row.amount_cents,
    method: row.method,
    paidAt: row.paid_at,
    creditedToAgreementId: row.credited_to_agreement_id,
    createdAt: row.created_at,
  };
}

export interface PaymentReport {
  payment: Payment;
  /** false when the external id was already recorded with the same data: nothing changed. */
  created: boolean;
  /** The invoice after the payment, or null when the payment could not be matched to one. */
  invoice: Invoice | null;
  /** when an agreement speaks for the invoice (see applyPaymentToAgreement): what became of it */
  agreement?: PaymentToAgreement;
}

/**
 * Records a payment, full or partial, and settles its invoice in the same transaction (payments
 * go first to interest and fine, then to principal: Código Civil art. 354). Idempotent by external
 * id: the same id with the same data returns the same report and changes nothing; the same id with
 * different data is refused. A payment naming an unknown invoice external id is kept unmatched.
 * A payment on an original invoice of an agreement in force, or on a cancelled installment of one
 * that ended, goes where the agreement says (applyPaymentToAgreement), in the same transaction.
 */
export async function recordPayment(
  db: Kysely<Database>,
  tenant: Tenant,
  input: TRecordPayment,
  now: Date = new Date(),
): Promise<PaymentReport> {
  const data = parseInput(ZRecordPayment, input);
  const future = futurePaymentProblem(data.paidAt, todayIn(tenant.timeZone, now), tenant.timeZone);
  if (future) throw validationError("paidAt", `paidAt: ${future}`);
  return db.transaction().execute(async (trx) => {
    let invoiceRow = data.invoiceId
      ? await lockInvoice(trx, tenant.id, data.invoiceId)
      : await findInvoiceByExternalId(trx, tenant.id, data.invoiceExternalId!);
    if (data.invoiceId && !invoiceRow) {
      throw new AppError("not_found", `invoiceId: fatura ${data.invoiceId} não encontrada`, "invoiceId");
    }
    if (invoiceRow && !data.invoiceId) invoiceRow = await lockInvoice(trx, tenant.id, invoiceRow.id);
    const invoiceExternalId = data.invoiceExternalId ?? invoiceRow?.external_id ?? null;

    const inserted = await insertPaymentIfNew(trx, {
      tenant_id: tenant.id,
      external_id: data.externalId,
      invoice_id: invoiceRow?.id ?? null,
      invoice_external_id: invoiceExternalId,
      amount_cents: data.amountCents,
      method: data.method,
      paid_at: data.paidAt,
    });
    if (!inserted) {
      const existing = (await findPaymentByExternalId(trx, tenant.id, data.externalId))!;
      const same =
        existing.amount_cents === data.amountCents &&
        existing.method === data.method &&
        existing.paid_at.getTime() === data.paidAt.getTime() &&
        existing.invoice_external_id === invoiceExternalId;
      if (!same) {
        throw new AppError(
          "conflict",
          `externalId: o pagamento '${data.externalId}' já foi registrado com outros dados (valor, forma, data ou fatura); use outro id externo`,
          "externalId",
        );
      }
      const current = existing.invoice_id
        ? await findInvoiceById(trx, tenant.id, existing.invoice_id)
        : undefined;
      return {
        payment: paymentFromRow(existing),
        created: false,
        invoice: current ? invoiceFromRow(current) : null,
      };
    }
    if (!invoiceRow) return { payment: paymentFromRow(inserted), created: true, invoice: null };
    const agreement = await applyPaymentToAgreement(trx, tenant, inserted, invoiceRow, now);
    await refreshSettlements(trx, tenant, [invoiceRow.id]);
    const settled = (await findInvoiceById(trx, tenant.id, invoiceRow.id))!;
    const payment = paymentFromRow(
      agreement?.outcome === "credited"
        ? { ...inserted, credited_to_agreement_id: agreement.agreementId }
        : inserted,
    );
    return { payment, created: true, invoice: invoiceFromRow(settled), ...(agreement ? { agreement } : {}) };
  });
}

export async function getPaymentByExternalId(
  db: Kysely<Database>,
  tenantId: string,
  externalId: string,
): Promise<Payment> {
  const row = await findPaymentByExternalId(db, tenantId, externalId);
  if (!row) throw notFound("Pagamento", externalId);
  return paymentFromRow(row);
}

/** Payments kept without an invoice, oldest first, for reconciliation. */
export async function listUnmatchedPayments(db: Kysely<Database>, tenantId: string): Promise<Payment[]> {
  return (await findUnmatchedPayments(db, tenantId)).map(paymentFromRow);
}
