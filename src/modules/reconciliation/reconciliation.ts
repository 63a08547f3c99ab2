import { z } from "zod";
import { ZPositiveCents } from "../../shared/brazilian-fields.ts";
import type { Allocation, ReconciliationReason, ReconciliationStatus } from "./reconciliation.table.ts";

/**
 * Glossary: the reconciliation queue holds bank payments Régua would not apply on its own — a
 * boleto it does not know, a different amount, an invoice already paid or no longer open — until
 * an operator matches it to an invoice, splits it over several, or marks it for refund.
 */
export interface ReconciliationItem {
  id: string;
  fileId: string;
  line: number;
  reason: ReconciliationReason;
  ourNumber: string;
  payerDocument: string;
  paidCents: number;
  paidOn: string;
  invoiceId: string | null;
  status: ReconciliationStatus;
  decidedAt: Date | null;
  decidedBy: string | null;
  allocations: Allocation[];
  createdAt: Date;
}

export interface Suggestion {
  invoiceId: string;
  externalId: string;
  customerName: string;
  amountCents: number;
  dueDate: string;
  status: string;
  /** why it is suggested */
  why: "boleto_invoice" | "same_amount_and_payer" | "our_number_other_check_digit";
}

export const ZMatch = z.object({
  invoiceId: z.uuid({ error: "invoiceId: informe a fatura (id)" }),
});
export type TMatch = z.input<typeof ZMatch>;

export const ZSplit = z.object({
  allocations: z
    .array(z.object({ invoiceId: z.uuid({ error: "id de fatura inválido" }), amountCents: ZPositiveCents }))
    .min(2, { error: "divida entre pelo menos duas faturas (para uma só, use match)" })
    .max(50),
});
export type TSplit = z.input<typeof ZSplit>;

export const ZRefund = z.object({
  note: z.string().trim().max(500).default(""),
});
