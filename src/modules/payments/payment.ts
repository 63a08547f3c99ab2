import { z } from "zod";
import { type IsoDate, todayIn } from "../../domain/dates.ts";
import { ZPositiveCents } from "../../shared/brazilian-fields.ts";
import type { PaymentMethod, PaymentRow, PaymentSource } from "./payment.table.ts";

/**
 * Glossary: a payment is money received for an invoice, full or partial, identified by the
 * integrator's external id (recording the same id again changes nothing). A payment whose invoice
 * is unknown is kept with no invoice, for reconciliation once the invoice arrives.
 */
export interface Payment {
  id: string;
  tenantId: string;
  externalId: string;
  invoiceId: string | null;
  invoiceExternalId: string | null;
  amountCents: number;
  method: PaymentMethod;
  paidAt: Date;
  /** an agreement in force this payment on one of its original invoices was credited to */
  creditedToAgreementId: string | null;
  createdAt: Date;
}

export const PAYMENT_SOURCES = [
  "api",
  "csv",
  "gateway",
  "bank_file",
  "pix",
] as const satisfies readonly PaymentSource[];

export const PAYMENT_METHODS = ["boleto", "pix", "card", "transfer", "cash", "other"] as const;

export const ZRecordPayment = z
  .object({
    externalId: z.string().trim().min(1, { error: "informe o id externo do pagamento" }).max(200),
    invoiceId: z.uuid({ error: "id de fatura inválido" }).optional(),
    invoiceExternalId: z.string().trim().min(1).optional(),
    amountCents: ZPositiveCents,
    method: z
      .enum(PAYMENT_METHODS, { error: `forma de pagamento deve ser ${PAYMENT_METHODS.join(", ")}` })
      .default("boleto"),
    paidAt: z.date({ error: "informe quando foi pago (data e hora)" }),
  })
  .refine((payment) => payment.invoiceId || payment.invoiceExternalId, {
    path: ["invoiceExternalId"],
    error: "informe a fatura (invoiceId ou invoiceExternalId)",
  });
export type TRecordPayment = z.input<typeof ZRecordPayment>;

/**
 * A payment cannot have happened after today in the creditor's time zone: a date like 2099 or
 * 2030 is a typo that would settle an invoice early. The pt-BR problem, or null when plausible.
 */
export function futurePaymentProblem(paidAt: Date, today: IsoDate, timeZone: string): string | null {
  const paidOn = todayIn(timeZone, paidAt);
  return paidOn > today
    ? `pagamento datado no futuro (${paidOn}); a data não pode passar de hoje (${today}) no fuso do credor`
    : null;
}

/**
 * A payment as every path in hands it to settlePayment: where it came from and its idempotency key
 * (recorded as the payment's external id, unique per tenant: recording the same key again with the
 * same data changes nothing). Give keys a prefix of their own per source where the integrator's ids
 * could collide (the gateways use `<provider>:<id>`; a Pix webhook, `pix:<endToEndId>`).
 */
export type TSettlePayment = Omit<TRecordPayment, "externalId"> & {
  source: PaymentSource;
  idempotencyKey: string;
};

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
