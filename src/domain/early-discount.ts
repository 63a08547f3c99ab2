import { addDays, type IsoDate } from "./dates.ts";
import { type Cents, percentOf } from "./money.ts";

/**
 * Early-payment discount (desconto até a data): a contract may grant a percentage off an invoice's
 * face value when it is paid up to some days before its due date. This is the one rule that turns
 * the contract's setting into cents and a last day; the boleto's registration at the bank (CNAB
 * "desconto 1: valor fixo até a data") and the Pix charge (cobv "desconto modalidade 1") both carry
 * what it returns, so the debtor gets the same discount whichever way they pay.
 */

export interface EarlyDiscountTerms {
  /** the discount in basis points of the face value (500 = 5%) */
  bps: number;
  /** days before the due date the discount lasts until (0: up to the due date itself) */
  daysBeforeDue: number;
}

export interface EarlyDiscount {
  cents: Cents;
  /** the last day the discount holds */
  until: IsoDate;
}

/**
 * The discount of an invoice of `faceCents` due on `dueDate` and issued on `issuedOn`, or null when
 * the contract grants none, it rounds to no cents, or its last day falls before the issue (a
 * discount nobody could take; banks reject it — Banco do Brasil's return reason 80 "data do
 * desconto inválida"). Cents round half-up (money.ts).
 */
export function earlyDiscount(
  terms: EarlyDiscountTerms | null,
  faceCents: Cents,
  dueDate: IsoDate,
  issuedOn: IsoDate,
): EarlyDiscount | null {
  if (!terms || terms.bps <= 0) return null;
  const cents = percentOf(faceCents, terms.bps);
  const until = addDays(dueDate, -terms.daysBeforeDue);
  if (cents <= 0 || cents >= faceCents || until < issuedOn) return null;
  return { cents, until };
}

/** The contract's columns as the rule reads them (both set or neither, by the table's check). */
export function earlyDiscountTerms(
  bps: number | null | undefined,
  daysBeforeDue: number | null | undefined,
): EarlyDiscountTerms | null {
  return bps == null || daysBeforeDue == null ? null : { bps, daysBeforeDue };
}
