import { z } from "zod";
import { type IsoDate, todayIn } from "../../domain/dates.ts";
import { ZPositiveCents } from "../../shared/brazilian-fields.ts";
import type { PaymentMethod } from "./payment.table.ts";

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
