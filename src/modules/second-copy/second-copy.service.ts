import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import { formatTypeableLine } from "../../domain/boleto.ts";
import { AppError, notFound } from "../../shared/errors.ts";
import { getAmountDue, getInvoice } from "../invoices/invoice.service.ts";
import type { AmountDue, Invoice } from "../invoices/invoice.ts";
import { generatePaymentDocuments } from "../invoices/payment-documents.ts";
import { activeDynamicPix } from "../pix/pix-charge.service.ts";
import type { Tenant } from "../tenants/tenant.ts";

/** An open invoice's payment documents for one day: the amount of that day and its boleto and Pix. */
export interface SecondCopy {
  invoice: Invoice;
  date: string;
  amount: AmountDue;
  typeableLine: string | null;
  typeableLineFormatted: string | null;
  barcode: string | null;
  pixPayload: string | null;
  /** true when boleto or Pix were re-issued for the day's amount (the tenant has the bank data) */
  reissued: boolean;
}

/**
 * The second copy of an open invoice for `date` (today or later): fine and interest up to that
 * day (CDC art. 52; Código Civil art. 354), with the boleto and Pix re-issued for that amount and
 * due that day when the tenant has the bank data, else the original documents. With `customerId`,
 * another customer's invoice is not found (the portal).
 */
export async function getSecondCopy(
  db: Kysely<Database>,
  tenant: Tenant,
  invoiceId: string,
  options: { date: string; today: string; customerId?: string },
): Promise<SecondCopy> {
  const invoice = await getInvoice(db, tenant.id, invoiceId);
  if (options.customerId !== undefined && invoice.customerId !== options.customerId) {
    throw notFound("Fatura", invoiceId);
  }
  const { date, today } = options;
  if (date < today) {
    throw new AppError("validation_failed", `date: a segunda via vale de hoje (${today}) em diante`, "date");
  }
  if (invoice.status !== "open") {
    throw new AppError("conflict", `A fatura ${invoice.externalId} não está em aberto: não há segunda via`);
  }
  const amount = await getAmountDue(db, tenant, invoice.id, date);
  const documents = generatePaymentDocuments(tenant, {
    externalId: invoice.externalId,
    amountCents: amount.totalDueCents,
    dueDate: date,
    ourNumber: invoice.ourNumber,
  });
  const typeableLine = documents.typeableLine ?? invoice.typeableLine;
  // the cobv's dynamic BR Code, when the PSP has one: the PSP prices it for the day of payment
  const dynamicPix = await activeDynamicPix(db, tenant.id, invoice.id);
  return {
    invoice,
    date,
    amount,
    typeableLine,
    typeableLineFormatted:
      typeableLine && typeableLine.length === 47 ? formatTypeableLine(typeableLine) : typeableLine,
    barcode: documents.barcode ?? invoice.barcode,
    pixPayload: dynamicPix ?? documents.pixPayload ?? invoice.pixPayload,
    reissued: documents.typeableLine !== null || documents.pixPayload !== null,
  };
}
