import type { EarlyDiscount } from "../../domain/early-discount.ts";
import { applicableFineBps, type ChargeTerms } from "../../domain/late-charges.ts";
import { centsToDecimal } from "../../domain/money.ts";
import { buildPixPayload, PIX_CITY_MAX, PIX_NAME_MAX } from "../../domain/pix.ts";

/**
 * Glossary (BCB Pix API v2): a `cobv` is a Pix charge with a due date, identified by a `txid` of
 * 26 to 35 letters and digits chosen by the receiver; its `location` is the URL (without scheme)
 * that the dynamic BR Code points to; the PSP computes fine (`multa`), interest (`juros`) and
 * discount (`desconto`) on the day of payment from the modalities the charge states.
 */

/** The cobv of an invoice has one txid for life: "rg" + the invoice id's 32 hex digits (34 characters). */
export function cobvTxid(invoiceId: string): string {
  return `rg${invoiceId.replace(/-/g, "")}`;
}

/** The recurring charge (cobr) of an invoice: "rr" + the invoice id's hex digits. */
export function cobrTxid(invoiceId: string): string {
  return `rr${invoiceId.replace(/-/g, "")}`;
}

/** Basis points as the API's percentage text: 200 → "2.00". */
export function bpsToPercent(bps: number): string {
  return centsToDecimal(bps);
}

export interface CobvRequest {
  calendario: { dataDeVencimento: string; validadeAposVencimento: number };
  devedor: ({ cpf: string } | { cnpj: string }) & { nome: string };
  valor: {
    original: string;
    multa?: { modalidade: 2; valorPerc: string };
    juros?: { modalidade: 3; valorPerc: string };
    desconto?: { modalidade: 1; descontoDataFixa: { data: string; valorPerc: string }[] };
  };
  chave: string;
  solicitacaoPagador?: string;
}

/**
 * The body of `PUT /cobv/{txid}` for an invoice. Fine: modality 2 (percent, once), at the rate
 * after the consumer cap (CDC art. 52 §1, via `applicableFineBps`). Interest: modality 3 (percent
 * a month, calendar days), the same simple pro rata the régua computes (Lei 7.089/1983). Discount:
 * modality 1 (a fixed value up to a date) with the cents and last day of the contract's
 * early-payment discount (`earlyDiscount`), the same the boleto's registration carries.
 */
export function cobvRequest(input: {
  dueDate: string;
  daysValidAfterDue: number;
  debtor: { document: string; name: string };
  principalCents: number;
  terms: ChargeTerms;
  discount: EarlyDiscount | null;
  receiverKey: string;
  description: string;
}): CobvRequest {
  const fineBps = applicableFineBps(input.terms);
  const document = input.debtor.document.replace(/\D/g, "");
  const name = input.debtor.name.trim().slice(0, 200);
  const body: CobvRequest = {
    calendario: { dataDeVencimento: input.dueDate, validadeAposVencimento: input.daysValidAfterDue },
    devedor: document.length === 14 ? { cnpj: document, nome: name } : { cpf: document, nome: name },
    valor: { original: centsToDecimal(input.principalCents) },
    chave: input.receiverKey,
  };
  if (fineBps > 0) body.valor.multa = { modalidade: 2, valorPerc: bpsToPercent(fineBps) };
  if (input.terms.interestMonthlyBps > 0) {
    body.valor.juros = { modalidade: 3, valorPerc: bpsToPercent(input.terms.interestMonthlyBps) };
  }
  if (input.discount) {
    body.valor.desconto = {
      modalidade: 1,
      descontoDataFixa: [{ data: input.discount.until, valorPerc: centsToDecimal(input.discount.cents) }],
    };
  }
  const request = input.description.trim().slice(0, 140);
  if (request) body.solicitacaoPagador = request;
  return body;
}

/**
 * The dynamic BR Code of a charge: field 26 sub-field 25 is the location without scheme, single use
 * (01 = 12), no amount (the PSP's payload says how much on the day of payment), txid "***" (the
 * txid travels in the payload JSON). Built strictly by the domain's generator.
 */
export function dynamicBrCode(location: string, receiver: { name: string; city: string }): string {
  return buildPixPayload({
    url: location,
    name: plainUpper(receiver.name).slice(0, PIX_NAME_MAX).trim(),
    city: plainUpper(receiver.city).slice(0, PIX_CITY_MAX).trim(),
  });
}

function plainUpper(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[^\x20-\x7E]/g, "")
    .toUpperCase();
}
