import type { PaymentLines } from "../open-debt/open-debt.service.ts";
import type { OpenDebtInvoice } from "../open-debt/open-debt.ts";
import type { MessageInvoice } from "./render.ts";

/**
 * One invoice as every message, letter and preview states it: the amounts of the day from the
 * open-debt read model and the boleto and Pix for THAT amount (never the face amount's, once it
 * changed).
 */
export function messageInvoiceOf(
  invoice: OpenDebtInvoice & PaymentLines,
  secondCopyUrl: string,
): MessageInvoice {
  return {
    id: invoice.id,
    description: invoice.description,
    dueDate: invoice.dueDate,
    originalCents: invoice.originalCents,
    fineCents: invoice.fineCents,
    interestCents: invoice.interestCents,
    updatedCents: invoice.totalDueCents,
    daysOverdue: invoice.daysOverdue,
    typeableLine: invoice.documents.typeableLine,
    pixPayload: invoice.documents.pixPayload,
    secondCopyUrl,
  };
}
