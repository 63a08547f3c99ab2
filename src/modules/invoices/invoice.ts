import { z } from "zod";
import { ZBasisPoints, ZIsoDate, ZPositiveCents } from "../../shared/brazilian-fields.ts";
import type { InvoiceStatus } from "./invoice.table.ts";

/**
 * Glossary: an invoice (fatura, título, cobrança) is an amount a customer owes by a due date,
 * payable by boleto (typeable line / barcode) or Pix (BR Code payload). Its fine and interest
 * rates are its own, or else its contract's, or else the tenant's defaults. `paidCents` is what
 * payments brought in; how much is still due on a day comes from `amountDue`.
 */
export interface Invoice {
  id: string;
  tenantId: string;
  externalId: string;
  customerId: string;
  contractId: string | null;
  description: string;
  amountCents: number;
  issueDate: string;
  dueDate: string;
  status: InvoiceStatus;
  consumer: boolean;
  fineBps: number | null;
  interestMonthlyBps: number | null;
  paidCents: number;
  paidAt: Date | null;
  typeableLine: string | null;
  barcode: string | null;
  pixPayload: string | null;
  ourNumber: number | null;
  /** the invoice's own tags (the customer's are on the customer) */
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Which status may follow which. `paid` is reached only by recording payments (never set by
 * hand); cancelled, renegotiated (replaced by an agreement) and paid invoices are final.
 */
export const INVOICE_TRANSITIONS: Record<InvoiceStatus, readonly InvoiceStatus[]> = {
  open: ["paid", "cancelled", "renegotiated"],
  paid: [],
  cancelled: [],
  renegotiated: [],
};

export const INVOICE_STATUS_LABEL: Record<InvoiceStatus, string> = {
  open: "em aberto",
  paid: "paga",
  cancelled: "cancelada",
  renegotiated: "renegociada",
};

export function canTransition(from: InvoiceStatus, to: InvoiceStatus): boolean {
  return from === to || INVOICE_TRANSITIONS[from].includes(to);
}

export function transitionError(externalId: string, from: InvoiceStatus, to: InvoiceStatus): string {
  return `fatura ${externalId} está ${INVOICE_STATUS_LABEL[from]} e não pode passar a ${INVOICE_STATUS_LABEL[to]}`;
}

export const ZCreateInvoice = z
  .object({
    externalId: z.string().trim().min(1, { error: "informe o id externo da fatura" }).max(200),
    /** The customer by Régua id or by the integrator's external id (one of the two). */
    customerId: z.uuid({ error: "id de cliente inválido" }).optional(),
    customerExternalId: z.string().trim().min(1).optional(),
    contractId: z.uuid({ error: "id de contrato inválido" }).nullish(),
    description: z.string().trim().max(500).default(""),
    amountCents: ZPositiveCents,
    issueDate: ZIsoDate,
    dueDate: ZIsoDate,
    /** Consumer contracts cap the fine at 2% (CDC art. 52 §1); defaults to the contract's, else true. */
    consumer: z.boolean().optional(),
    fineBps: ZBasisPoints.nullish(),
    interestMonthlyBps: ZBasisPoints.nullish(),
    typeableLine: z.string().trim().min(1).nullish(),
    pixPayload: z.string().trim().min(1).nullish(),
    status: z
      .enum(["open", "cancelled"], { error: "status inicial deve ser open ou cancelled" })
      .default("open"),
  })
  .refine((invoice) => invoice.dueDate >= invoice.issueDate, {
    path: ["dueDate"],
    error: "vencimento anterior à emissão; confira as duas datas",
  })
  .refine((invoice) => invoice.customerId || invoice.customerExternalId, {
    path: ["customerId"],
    error: "informe o cliente (customerId ou customerExternalId)",
  });
export type TCreateInvoice = z.input<typeof ZCreateInvoice>;

/** What is owed on a day: the breakdown of `settleInvoice` (Código Civil art. 354). */
export interface AmountDue {
  asOf: string;
  status: InvoiceStatus;
  principalCents: number;
  outstandingPrincipalCents: number;
  fineCents: number;
  interestCents: number;
  paidCents: number;
  overpaidCents: number;
  totalDueCents: number;
}
