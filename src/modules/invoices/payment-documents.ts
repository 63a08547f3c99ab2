import { type BoletoAccount, freeFieldFor } from "../../domain/bank-boleto.ts";
import { buildBankBoleto, parseBoleto } from "../../domain/boleto.ts";
import { decimalToCents, formatBrl } from "../../domain/money.ts";
import { buildPixPayload, parsePixPayload } from "../../domain/pix.ts";
import type { BoletoIssuer } from "../bank-accounts/boleto-issuer.ts";
import type { Tenant } from "../tenants/tenant.ts";

/** The largest amount a boleto can carry (10 digits of cents, FEBRABAN). */
export const BOLETO_MAX_CENTS = 99_999_999_99;

/**
 * The payment documents of an invoice: a boleto built from the tenant's bank settings and a static
 * Pix BR Code for the face amount, or the ones the integrator sent, checked against the invoice.
 */
export interface PaymentDocuments {
  typeableLine: string | null;
  barcode: string | null;
  pixPayload: string | null;
}

export function canIssueBoleto(tenant: Tenant): boolean {
  return Boolean(tenant.boletoBankCode && tenant.boletoAgency && tenant.boletoAccount);
}

export function canIssuePix(tenant: Tenant): boolean {
  return Boolean(tenant.pixKey && tenant.pixMerchantCity);
}

/**
 * Builds the boleto (when the tenant has bank settings and the invoice an "our number") and the Pix
 * payload (when the tenant has a Pix key and city). The free field follows the agency (4) + wallet
 * (2) + nosso número (11) + account (7) + "0" layout (see migration 0002).
 */
export function generatePaymentDocuments(
  tenant: Tenant,
  invoice: { externalId: string; amountCents: number; dueDate: string; ourNumber: number | null },
  /** the bank account issuing the boleto and the our number by its bank's rules (bank-accounts/) */
  issuer?: { account: BoletoAccount; bankOurNumber: string } | null,
): PaymentDocuments {
  let typeableLine: string | null = null;
  let barcode: string | null = null;
  if (issuer) {
    const boleto = buildBankBoleto({
      bankCode: issuer.account.bankCode,
      dueDate: invoice.dueDate,
      amountCents: invoice.amountCents,
      freeField: freeFieldFor(issuer.account, { full: issuer.bankOurNumber, checkDigit: "" }),
    });
    typeableLine = boleto.typeableLine.replace(/\D/g, "");
    barcode = boleto.barcode;
  } else if (canIssueBoleto(tenant) && invoice.ourNumber !== null) {
    const freeField =
      tenant.boletoAgency!.padStart(4, "0") +
      tenant.boletoWallet.padStart(2, "0") +
      String(invoice.ourNumber).padStart(11, "0") +
      tenant.boletoAccount!.padStart(7, "0") +
      "0";
    const boleto = buildBankBoleto({
      bankCode: tenant.boletoBankCode!,
      dueDate: invoice.dueDate,
      amountCents: invoice.amountCents,
      freeField,
    });
    typeableLine = boleto.typeableLine.replace(/\D/g, "");
    barcode = boleto.barcode;
  }
  let pixPayload: string | null = null;
  if (canIssuePix(tenant)) {
    pixPayload = buildPixPayload({
      key: tenant.pixKey!,
      amountCents: invoice.amountCents,
      name: asciiUpper(tenant.legalName).slice(0, 25).trim(),
      city: asciiUpper(tenant.pixMerchantCity!).slice(0, 15).trim(),
      txid: pixTxid(invoice.externalId),
    });
  }
  return { typeableLine, barcode, pixPayload };
}

/** The BR Code's name and city fields take plain ASCII; accents are dropped, not mangled. */
function asciiUpper(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]/g, "")
    .toUpperCase();
}

/** A txid is up to 25 letters and digits (BCB); the invoice's external id, reduced to those. */
function pixTxid(externalId: string): string {
  const id = externalId.replace(/[^A-Za-z0-9]/g, "").slice(-25);
  return id.length > 0 ? id : "***";
}

/**
 * Checks a typeable line or barcode sent with an invoice: valid check digits, and the amount and
 * due date it encodes (when it encodes them) equal to the invoice's. Returns the digits to store or
 * an error message in pt-BR.
 */
export function checkGivenBoleto(
  input: string,
  invoice: { amountCents: number; dueDate: string },
  today: string,
): { typeableLine: string; barcode: string } | { error: string } {
  let parsed: ReturnType<typeof parseBoleto>;
  try {
    parsed = parseBoleto(input, today);
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (parsed.amountCents !== null && parsed.amountCents !== 0 && parsed.amountCents !== invoice.amountCents) {
    return {
      error: `o boleto é de ${formatBrl(parsed.amountCents)}, mas a fatura é de ${formatBrl(invoice.amountCents)}`,
    };
  }
  if (parsed.kind === "bank" && parsed.dueDate !== null && parsed.dueDate !== invoice.dueDate) {
    return { error: `o boleto vence em ${parsed.dueDate}, mas a fatura vence em ${invoice.dueDate}` };
  }
  return { typeableLine: parsed.typeableLine.replace(/\D/g, ""), barcode: parsed.barcode };
}

/** Checks a Pix payload sent with an invoice: valid CRC and fields, and its amount (if any) equal to the invoice's. */
export function checkGivenPix(
  payload: string,
  invoice: { amountCents: number },
): { pixPayload: string } | { error: string } {
  try {
    const parsed = parsePixPayload(payload);
    if (parsed.amount !== null && decimalToCents(parsed.amount) !== invoice.amountCents) {
      return {
        error: `o Pix é de R$ ${parsed.amount}, mas a fatura é de ${formatBrl(invoice.amountCents)}`,
      };
    }
    return { pixPayload: payload.trim() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * Whether the boleto Régua builds for an invoice (the creditor sent none) needs a sequence number:
 * it does when the tenant's default bank account issues it, or else the tenant's older boleto
 * settings do — never above what a boleto can carry. With `invoiceBoleto`, the one rule of a new
 * invoice's boleto: `POST /v1/invoices` and the CSV import (`regua import invoices`) both follow it.
 */
export function boletoNeedsOurNumber(
  tenant: Tenant,
  issuer: BoletoIssuer | null,
  amountCents: number,
): boolean {
  return amountCents <= BOLETO_MAX_CENTS && (issuer !== null || canIssueBoleto(tenant));
}

/** An invoice's documents, and the bank account's boleto (registered by CNAB remittance) when one issued it. */
export interface InvoiceBoleto {
  documents: PaymentDocuments;
  bank: { accountId: string; bankOurNumber: string } | null;
}

/**
 * The boleto and Pix code of an invoice numbered `ourNumber`: from the issuing bank account when
 * there is one (the our number and free field by its bank's rules, `boleto_status` pending until
 * the bank's return confirms it), else from the tenant's older settings.
 */
export function invoiceBoleto(
  tenant: Tenant,
  issuer: BoletoIssuer | null,
  invoice: { externalId: string; amountCents: number; issueDate: string; dueDate: string },
  ourNumber: number | null,
): InvoiceBoleto {
  const bankBoleto =
    issuer && ourNumber !== null && invoice.amountCents <= BOLETO_MAX_CENTS
      ? issuer.boletoFor(ourNumber, invoice.issueDate)
      : null;
  return {
    documents: generatePaymentDocuments(tenant, { ...invoice, ourNumber }, bankBoleto),
    bank: bankBoleto && issuer ? { accountId: issuer.id, bankOurNumber: bankBoleto.bankOurNumber } : null,
  };
}
