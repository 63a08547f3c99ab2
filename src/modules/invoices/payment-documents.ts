import { type BoletoAccount, freeFieldFor } from "../../domain/bank-boleto.ts";
import { buildBankBoleto, parseBoleto } from "../../domain/boleto.ts";
import { decimalToCents, formatBrl } from "../../domain/money.ts";
import { buildPixPayload, parsePixPayload } from "../../domain/pix.ts";
import type { Tenant } from "../tenants/tenant.ts";

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
