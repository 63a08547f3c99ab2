import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { todayIn } from "../../domain/dates.ts";
import { AppError, notFound, validationError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import type { PaymentToAgreement } from "../agreements/agreement.service.ts";
import { findInvoiceByExternalId, findInvoiceById, lockInvoice } from "../invoices/invoice.repository.ts";
import { invoiceFromRow } from "../invoices/invoice.service.ts";
import type { Invoice } from "../invoices/invoice.ts";
import type { StandingChange } from "../standing/standing.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { findPaymentByExternalId, findUnmatchedPayments, insertPaymentIfNew } from "./payment.repository.ts";
import {
  futurePaymentProblem,
  type Payment,
  paymentFromRow,
  type TRecordPayment,
  type TSettlePayment,
  ZRecordPayment,
} from "./payment.ts";
import { applyPaymentEffects } from "./payment-effects.service.ts";

export { paymentFromRow };

export interface PaymentReport {
  payment: Payment;
  /** false when the external id was already recorded with the same data: nothing changed. */
  created: boolean;
  /** The invoice after the payment, or null when the payment could not be matched to one. */
  invoice: Invoice | null;
  /** when an agreement speaks for the invoice (see applyPaymentToAgreement): what became of it */
  agreement?: PaymentToAgreement;
  /** the standing transitions the payment caused (a suspended customer restored) */
  standing?: StandingChange[];
}

/**
 * The payments use case, one entry point for every path in: `POST /v1/payments` (source api), a
 * gateway notification (gateway), and the bank return files (bank_file) and Pix webhooks (pix);
 * a CSV file goes through the same effects a chunk at a time (src/modules/imports). In one
 * transaction it records the payment, full or partial, and applies everything it settles
 * (applyPaymentEffects: agreements, CC art. 354 imputation, the régua stopped, standing restored,
 * `invoice.paid` and `customer.standing_changed` in the outbox).
 *
 * Idempotent by `idempotencyKey` (stored as the payment's external id): the same key with the same
 * data returns the same report and changes nothing; the same key with different data is refused
 * (409). A payment naming an unknown invoice external id is kept unmatched, for reconciliation,
 * and settles when its invoice arrives (an invoices import links it).
 */
export async function settlePayment(
  db: Kysely<Database>,
  tenant: Tenant,
  input: TSettlePayment,
  now: Date,
): Promise<PaymentReport> {
  const { source, idempotencyKey, ...payment } = input;
  const data = parseInput(ZRecordPayment, { ...payment, externalId: idempotencyKey });
  // a date typed by an integrator is checked; the bank's and the PSP's are what happened
  if (source === "api") {
    const future = futurePaymentProblem(data.paidAt, todayIn(tenant.timeZone, now), tenant.timeZone);
    if (future) throw validationError("paidAt", `paidAt: ${future}`);
  }
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
      source,
    });
    if (!inserted) return repeated(trx, tenant, data, invoiceExternalId);
    if (!invoiceRow) return { payment: paymentFromRow(inserted), created: true, invoice: null };
    const effects = await applyPaymentEffects(trx, tenant, [{ ...inserted, invoice_id: invoiceRow.id }], now);
    const agreement = effects.agreements.get(inserted.id);
    const settled = (await findInvoiceById(trx, tenant.id, invoiceRow.id))!;
    return {
      payment: paymentFromRow(
        agreement?.outcome === "credited"
          ? { ...inserted, credited_to_agreement_id: agreement.agreementId }
          : inserted,
      ),
      created: true,
      invoice: invoiceFromRow(settled),
      standing: effects.standing,
      ...(agreement ? { agreement } : {}),
    };
  });
}

/** The same key again: the stored payment when the data is the same, else a conflict. */
async function repeated(
  trx: Executor,
  tenant: Tenant,
  data: ReturnType<typeof ZRecordPayment.parse>,
  invoiceExternalId: string | null,
): Promise<PaymentReport> {
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

/** A payment sent by the creditor's system (`POST /v1/payments`): settlePayment with source api. */
export function recordPayment(
  db: Kysely<Database>,
  tenant: Tenant,
  input: TRecordPayment,
  now: Date,
): Promise<PaymentReport> {
  const { externalId, ...payment } = input;
  return settlePayment(db, tenant, { ...payment, source: "api", idempotencyKey: externalId }, now);
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
