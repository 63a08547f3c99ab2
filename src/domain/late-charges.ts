import type { BusinessCalendar } from "./calendar.ts";
import { dayNumber, fromDayNumber, type IsoDate } from "./dates.ts";
import type { EarlyDiscount } from "./early-discount.ts";
import { type Cents, percentOf, scaleHalfUp } from "./money.ts";

/**
 * Late charges on an overdue invoice, as of a date.
 * - Fine (multa de mora): charged once; at most 2% for consumer contracts (CDC art. 52 §1).
 * - Default interest (juros de mora): simple, pro rata per calendar day at monthly/30, counted
 *   from the ORIGINAL due date.
 * - A due date on a non-business day may be paid on the next business day without charges
 *   (Lei 7.089/1983); paid later, everything runs from the original date.
 * Rounding: half-up to the cent (money.ts), once per fine and once per interest period.
 */

export interface ChargeTerms {
  /** Fine in basis points of the overdue principal (200 = 2%). */
  fineBps: number;
  /** Default interest in basis points per month (100 = 1% a month), pro rata per day at /30. */
  interestMonthlyBps: number;
  /** Consumer contract (CDC): the fine is capped at 2%. */
  consumer: boolean;
}

/** The fine cap for consumer contracts, CDC art. 52 §1 (2%). */
export const CONSUMER_FINE_CAP_BPS = 200;

export interface LateChargesInput {
  principalCents: Cents;
  dueDate: IsoDate;
  terms: ChargeTerms;
  calendar: BusinessCalendar;
}

export interface LateCharges {
  /** Calendar days from the due date to `asOf`; 0 when paying on `asOf` incurs no charges. */
  daysLate: number;
  /** Last day to pay without charges: the due date, or the next business day after it (Lei 7.089/1983). */
  payableUntil: IsoDate;
  principalCents: Cents;
  fineCents: Cents;
  interestCents: Cents;
  totalCents: Cents;
  /** The fine rate actually applied (after the consumer cap); 0 when not late. */
  fineBpsApplied: number;
}

/** The fine rate after the consumer cap (CDC art. 52 §1). */
export function applicableFineBps(terms: ChargeTerms): number {
  return terms.consumer && terms.fineBps > CONSUMER_FINE_CAP_BPS ? CONSUMER_FINE_CAP_BPS : terms.fineBps;
}

/** Simple daily pro rata interest: principal × monthlyBps/10,000 × days/30, half-up to the cent. */
export function proRataInterest(principalCents: Cents, interestMonthlyBps: number, days: number): Cents {
  if (days <= 0 || principalCents === 0 || interestMonthlyBps === 0) return 0;
  return scaleHalfUp(principalCents, [interestMonthlyBps, days], 300_000);
}

/** Amount due on an invoice paid on `asOf`: fine and interest per CDC art. 52 §1 and Lei 7.089/1983. */
export function computeLateCharges(input: LateChargesInput, asOf: IsoDate): LateCharges {
  const due = dayNumber(input.dueDate);
  const payableUntil = input.calendar.nextBusinessDayNumber(due);
  const on = dayNumber(asOf);
  const principalCents = input.principalCents;
  if (on <= payableUntil) {
    return {
      daysLate: 0,
      payableUntil: payableUntil === due ? input.dueDate : fromDayNumber(payableUntil),
      principalCents,
      fineCents: 0,
      interestCents: 0,
      totalCents: principalCents,
      fineBpsApplied: 0,
    };
  }
  const daysLate = on - due;
  const fineBpsApplied = applicableFineBps(input.terms);
  const fineCents = percentOf(principalCents, fineBpsApplied);
  const interestCents = proRataInterest(principalCents, input.terms.interestMonthlyBps, daysLate);
  return {
    daysLate,
    payableUntil: payableUntil === due ? input.dueDate : fromDayNumber(payableUntil),
    principalCents,
    fineCents,
    interestCents,
    totalCents: principalCents + fineCents + interestCents,
    fineBpsApplied,
  };
}

export interface InvoicePayment {
  amountCents: Cents;
  paidOn: IsoDate;
}

export interface SettleInput extends LateChargesInput {
  payments: InvoicePayment[];
  /** the contract's early-payment discount (`earlyDiscount`), granted to a payment that settles in time */
  earlyDiscount?: EarlyDiscount | null;
}

export interface Settlement {
  status: "open" | "paid";
  outstandingPrincipalCents: Cents;
  /** Fine still owed as of the date. */
  fineCents: Cents;
  /** Interest still owed as of the date. */
  interestCents: Cents;
  /**
   * What the debtor must pay on the date to settle: principal + fine + interest still owed, less
   * the early-payment discount on a day it still holds.
   */
  totalDueCents: Cents;
  /** Sum of the payments made up to the date. */
  paidCents: Cents;
  /** What was paid beyond everything owed (to refund or credit). */
  overpaidCents: Cents;
  /** Fine charged in total (paid or not). */
  fineChargedCents: Cents;
  /** Interest charged in total (paid or not). */
  interestChargedCents: Cents;
}

/**
 * Replays the payments made up to `asOf` in date order: each one settles interest first, then the
 * fine, then principal (Código Civil art. 354: "imputar-se-á primeiro nos juros vencidos, e depois
 * no capital"). The fine is charged once, on the principal still open when the invoice first goes
 * late; interest accrues on the open principal from the original due date, period by period.
 * An early-payment discount is granted once, to the payment made by its last day that settles the
 * rest of the principal less the discount (the bank and the PSP grant it the same way: they accept
 * the discounted amount up to that day). Payments dated after `asOf` are ignored.
 */
export function settleInvoice(input: SettleInput, asOf: IsoDate): Settlement {
  const due = dayNumber(input.dueDate);
  const payableUntil = input.calendar.nextBusinessDayNumber(due);
  const on = dayNumber(asOf);
  const fineBps = applicableFineBps(input.terms);
  const payments = input.payments
    .map((payment) => ({ amountCents: payment.amountCents, day: dayNumber(payment.paidOn) }))
    .filter((payment) => payment.day <= on)
    .sort((a, b) => a.day - b.day);

  let principal = input.principalCents;
  let fine = 0;
  let interest = 0;
  let fineCharged = 0;
  let interestCharged = 0;
  let fineAssessed = false;
  let accruedUntil = due;
  let paid = 0;
  let overpaid = 0;
  const discount = input.earlyDiscount ?? null;
  const discountLastDay = discount ? dayNumber(discount.until) : Number.NEGATIVE_INFINITY;
  let discountGranted = false;
  // the discount holds up to its last day, while nothing late is owed and the rest exceeds it
  const discountOpen = (day: number) =>
    discount !== null &&
    !discountGranted &&
    day <= discountLastDay &&
    fine === 0 &&
    interest === 0 &&
    principal > discount.cents;

  const chargeUpTo = (day: number) => {
    if (day <= payableUntil || principal <= 0) return;
    if (!fineAssessed) {
      fineAssessed = true;
      const charged = percentOf(principal, fineBps);
      fine += charged;
      fineCharged += charged;
    }
    if (day > accruedUntil) {
      const charged = proRataInterest(principal, input.terms.interestMonthlyBps, day - accruedUntil);
      interest += charged;
      interestCharged += charged;
      accruedUntil = day;
    }
  };

  for (const payment of payments) {
    chargeUpTo(payment.day);
    paid += payment.amountCents;
    let left = payment.amountCents;
    if (discount && discountOpen(payment.day) && left >= principal - discount.cents) {
      discountGranted = true;
      principal -= discount.cents;
    }
    const toInterest = Math.min(left, interest);
    interest -= toInterest;
    left -= toInterest;
    const toFine = Math.min(left, fine);
    fine -= toFine;
    left -= toFine;
    const toPrincipal = Math.min(left, principal);
    principal -= toPrincipal;
    left -= toPrincipal;
    overpaid += left;
  }
  chargeUpTo(on);

  // on a day the discount still holds, settling takes the rest less the discount
  const totalDueCents = principal + fine + interest - (discount && discountOpen(on) ? discount.cents : 0);
  return {
    status: totalDueCents === 0 ? "paid" : "open",
    outstandingPrincipalCents: principal,
    fineCents: fine,
    interestCents: interest,
    totalDueCents,
    paidCents: paid,
    overpaidCents: overpaid,
    fineChargedCents: fineCharged,
    interestChargedCents: interestCharged,
  };
}
