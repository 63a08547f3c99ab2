import { civilOf, dayNumber, dayNumberOf, daysInMonth, fromDayNumber, type IsoDate } from "./dates.ts";
import { type InvoicePayment, type SettleInput, settleInvoice } from "./late-charges.ts";
import { type Cents, formatBrl, percentOf, roundHalfUp, scaleHalfUp } from "./money.ts";

/**
 * Agreements (acordos) as pure arithmetic: concessions on a debt, the dated schedule of a plan (a
 * down payment plus monthly installments, or settlement at once), the Price table when the plan
 * carries interest, the check of terms against an actor's limits, and — when an agreement breaks —
 * the imputation of what was paid to the original invoices. Rounding: half-up to the cent
 * (money.ts); the residue of every split goes to the last installment, so the sum is exact.
 */

export interface DebtTotals {
  principalCents: Cents;
  fineCents: Cents;
  interestCents: Cents;
  totalCents: Cents;
}

export interface PlanRequest {
  downPaymentCents: Cents;
  /** 0 = settlement at once (one payment, no down payment); 1–48 monthly installments. */
  installments: number;
  dayOfMonth: number;
  waiveFine: boolean;
  waiveInterest: boolean;
  principalDiscountBps: number;
  monthlyInterestBps: number;
}

export interface PlannedPayment {
  /** 0 = down payment; 1… installments (settlement at once is installment 1 alone). */
  number: number;
  dueDate: IsoDate;
  amountCents: Cents;
}

export interface Plan {
  /** Fine and interest waived plus the discount on the principal. */
  concessionCents: Cents;
  /** What is left of the debt after the concessions. */
  agreedDebtCents: Cents;
  /** Interest the plan adds (Price table); 0 without interest. */
  planInterestCents: Cents;
  /** What the debtor pays in all: the sum of the schedule. */
  totalCents: Cents;
  schedule: PlannedPayment[];
}

/** Each concession apart: the fine waived, the interest waived, the discount on the principal (half-up). */
export interface Concessions {
  fineCents: Cents;
  interestCents: Cents;
  discountCents: Cents;
}

export function concessionsOf(debt: DebtTotals, request: PlanRequest): Concessions {
  return {
    fineCents: request.waiveFine ? debt.fineCents : 0,
    interestCents: request.waiveInterest ? debt.interestCents : 0,
    discountCents: percentOf(debt.principalCents, request.principalDiscountBps),
  };
}

/** What the creditor gives up: waived fine, waived interest and the principal discount (half-up). */
export function concessionOf(debt: DebtTotals, request: PlanRequest): Cents {
  const parts = concessionsOf(debt, request);
  return parts.fineCents + parts.interestCents + parts.discountCents;
}

/**
 * `amountCents` split into `count` equal parts rounded half-up, the residue on the last part
 * (e.g. 100,00 in 3 → 33,33 + 33,33 + 33,34).
 */
export function equalInstallments(amountCents: Cents, count: number): Cents[] {
  const each = scaleHalfUp(amountCents, [1], count);
  const parts = Array.from({ length: count }, () => each);
  parts[count - 1] = amountCents - each * (count - 1);
  return parts;
}

/**
 * Price table (French amortisation): the constant payment PMT = PV·i / (1 − (1+i)^−n), rounded
 * half-up to the cent. Each period's interest is the balance × i rounded half-up; the payment pays
 * it and amortises the rest; the last payment is whatever settles the balance with its interest,
 * so the amortisations add up to PV exactly and the rounding residue lands on the last installment.
 */
export function priceInstallments(presentValueCents: Cents, count: number, monthlyBps: number): Cents[] {
  if (monthlyBps === 0) return equalInstallments(presentValueCents, count);
  const rate = monthlyBps / 10_000;
  const payment = roundHalfUp((presentValueCents * rate) / (1 - (1 + rate) ** -count));
  const parts: Cents[] = [];
  let balance = presentValueCents;
  for (let period = 1; period < count; period += 1) {
    const interest = percentOf(balance, monthlyBps);
    parts.push(payment);
    balance -= payment - interest;
  }
  parts.push(balance + percentOf(balance, monthlyBps));
  return parts;
}

/** The date with `dayOfMonth` (1–28) `monthsAfter` months after the month of `date`. */
export function monthlyDate(date: IsoDate, monthsAfter: number, dayOfMonth: number): IsoDate {
  const { year, month } = civilOf(dayNumber(date));
  const index = year * 12 + (month - 1) + monthsAfter;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const day = Math.min(dayOfMonth, daysInMonth(targetYear, targetMonth));
  return fromDayNumber(dayNumberOf(targetYear, targetMonth, day));
}

/**
 * The plan for a debt: concessions first, then the down payment (due on `firstDueDate`), then
 * `installments` monthly payments on `dayOfMonth`, the first in the month after the first payment's
 * month. Without a down payment installment 1 is due on `firstDueDate` and the next ones on
 * `dayOfMonth` of the following months. Settlement at once is installment 1 alone, on `firstDueDate`.
 * Interest (Price table) runs on what is left after the down payment.
 */
export function buildPlan(debt: DebtTotals, request: PlanRequest, firstDueDate: IsoDate): Plan {
  const concessionCents = concessionOf(debt, request);
  const agreedDebtCents = debt.totalCents - concessionCents;
  if (request.installments === 0) {
    return {
      concessionCents,
      agreedDebtCents,
      planInterestCents: 0,
      totalCents: agreedDebtCents,
      schedule: [{ number: 1, dueDate: firstDueDate, amountCents: agreedDebtCents }],
    };
  }
  const schedule: PlannedPayment[] = [];
  const hasDownPayment = request.downPaymentCents > 0;
  if (hasDownPayment)
    schedule.push({ number: 0, dueDate: firstDueDate, amountCents: request.downPaymentCents });
  const financed = agreedDebtCents - request.downPaymentCents;
  const amounts = priceInstallments(Math.max(financed, 0), request.installments, request.monthlyInterestBps);
  amounts.forEach((amountCents, index) => {
    const number = index + 1;
    const dueDate =
      hasDownPayment || number > 1
        ? monthlyDate(firstDueDate, hasDownPayment ? number : number - 1, request.dayOfMonth)
        : firstDueDate;
    schedule.push({ number, dueDate, amountCents });
  });
  const totalCents = schedule.reduce((sum, payment) => sum + payment.amountCents, 0);
  return {
    concessionCents,
    agreedDebtCents,
    planInterestCents: totalCents - agreedDebtCents,
    totalCents,
    schedule,
  };
}

export interface ActorLimits {
  maxPrincipalDiscountBps: number;
  mayWaiveFine: boolean;
  mayWaiveInterest: boolean;
  maxInstallments: number;
  minInstallmentCents: Cents;
  /** Discount on the principal offered for settlement at once (may exceed the actor's own limit). */
  settlementDiscountBps: number;
  /** The plan interest the tenant asks; lowering it is a concession the portal may not make. */
  monthlyInterestBps: number;
  mayLowerInterest: boolean;
}

/** 1000 basis points → "10%", 150 → "1,5%" (pt-BR, for the messages above). */
function percentText(bps: number): string {
  return `${String(bps / 100).replace(".", ",")}%`;
}

export interface TermsProblem {
  field: string;
  message: string;
}

/** Everything that keeps the terms outside the actor's limits, each naming its field (pt-BR). */
export function checkPlanTerms(
  debt: DebtTotals,
  request: PlanRequest,
  plan: Plan,
  limits: ActorLimits,
): TermsProblem[] {
  const problems: TermsProblem[] = [];
  const atOnce = request.installments === 0;
  if (atOnce && request.downPaymentCents > 0) {
    problems.push({
      field: "downPaymentCents",
      message: "downPaymentCents: pagamento à vista não tem entrada; informe 0 ou escolha parcelas",
    });
  }
  if (request.installments > limits.maxInstallments) {
    problems.push({
      field: "installments",
      message: `installments: no máximo ${limits.maxInstallments} parcelas para este perfil`,
    });
  }
  const maxDiscount = atOnce
    ? Math.max(limits.maxPrincipalDiscountBps, limits.settlementDiscountBps)
    : limits.maxPrincipalDiscountBps;
  if (request.principalDiscountBps > maxDiscount) {
    problems.push({
      field: "principalDiscountBps",
      message: `principalDiscountBps: desconto de no máximo ${percentText(maxDiscount)} para este perfil${atOnce ? " à vista" : ""}`,
    });
  }
  if (request.waiveFine && debt.fineCents > 0 && !limits.mayWaiveFine) {
    problems.push({ field: "waiveFine", message: "waiveFine: este perfil não pode dispensar a multa" });
  }
  if (request.waiveInterest && debt.interestCents > 0 && !limits.mayWaiveInterest) {
    problems.push({
      field: "waiveInterest",
      message: "waiveInterest: este perfil não pode dispensar os juros",
    });
  }
  if (!atOnce && request.monthlyInterestBps < limits.monthlyInterestBps && !limits.mayLowerInterest) {
    problems.push({
      field: "monthlyInterestBps",
      message: `monthlyInterestBps: os juros do parcelamento são de ${percentText(limits.monthlyInterestBps)} ao mês`,
    });
  }
  if (!atOnce && request.downPaymentCents >= plan.agreedDebtCents) {
    problems.push({
      field: "downPaymentCents",
      message: "downPaymentCents: a entrada cobre a dívida toda; escolha pagamento à vista",
    });
  }
  if (!atOnce && problems.length === 0) {
    const smallest = plan.schedule.reduce((min, payment) => Math.min(min, payment.amountCents), Infinity);
    if (smallest < limits.minInstallmentCents) {
      const downTooSmall =
        request.downPaymentCents > 0 && request.downPaymentCents < limits.minInstallmentCents;
      problems.push({
        field: downTooSmall ? "downPaymentCents" : "installments",
        message: downTooSmall
          ? `downPaymentCents: a entrada mínima é de ${formatBrl(limits.minInstallmentCents)}`
          : `installments: com ${request.installments} parcelas alguma fica abaixo do mínimo de ${formatBrl(limits.minInstallmentCents)}; escolha menos parcelas`,
      });
    }
  }
  return problems;
}

export interface OriginalInvoice extends SettleInput {
  invoiceId: string;
}

export interface AgreementPayment extends InvoicePayment {
  /** What the caller uses to find the payment again (its id). */
  reference: string;
}

export interface Imputation {
  invoiceId: string;
  reference: string;
  amountCents: Cents;
  paidOn: IsoDate;
}

/**
 * A broken agreement gives back the original debt less what was paid (Código Civil arts. 352-355:
 * absent a choice by the debtor, payment goes to the debts already due, the oldest first, and
 * within each debt to the interest before the capital). Each payment, in date order, goes to the
 * original invoices oldest first (due date, then the order given), each taking at most what it
 * owes on the payment's day — interest, then fine, then principal, as `settleInvoice` replays it —
 * so that replaying the invoice with these credits gives exactly what is left. What exceeds the
 * whole debt goes to the last invoice, where the settlement shows it as overpaid.
 */
export function imputePayments(originals: OriginalInvoice[], payments: AgreementPayment[]): Imputation[] {
  const ordered = [...originals].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
  const credited = new Map<string, InvoicePayment[]>(ordered.map((invoice) => [invoice.invoiceId, []]));
  const result: Imputation[] = [];
  const byDate = [...payments].sort((a, b) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : 0));
  for (const payment of byDate) {
    let left = payment.amountCents;
    for (const invoice of ordered) {
      if (left === 0) break;
      const own = credited.get(invoice.invoiceId)!;
      const owed = settleInvoice(
        { ...invoice, payments: [...invoice.payments, ...own] },
        payment.paidOn,
      ).totalDueCents;
      const part = Math.min(left, owed);
      if (part <= 0) continue;
      own.push({ amountCents: part, paidOn: payment.paidOn });
      result.push({
        invoiceId: invoice.invoiceId,
        reference: payment.reference,
        amountCents: part,
        paidOn: payment.paidOn,
      });
      left -= part;
    }
    if (left > 0 && ordered.length > 0) {
      const last = ordered[ordered.length - 1]!;
      credited.get(last.invoiceId)!.push({ amountCents: left, paidOn: payment.paidOn });
      result.push({
        invoiceId: last.invoiceId,
        reference: payment.reference,
        amountCents: left,
        paidOn: payment.paidOn,
      });
    }
  }
  return result;
}

/**
 * The latest due date whose installment is past the tolerance on `today`: due on or before it, an
 * installment unpaid for more than `toleranceBusinessDays` business days breaks the agreement.
 * `addBusinessDays(due, tolerance) < today` (with tolerance 0: the payable day, Lei 7.089/1983).
 */
export function toleranceCutoff(
  today: IsoDate,
  toleranceBusinessDays: number,
  calendar: { addBusinessDays(date: IsoDate, n: number): IsoDate; nextBusinessDay(date: IsoDate): IsoDate },
): IsoDate {
  const limitOf = (due: IsoDate) =>
    toleranceBusinessDays === 0
      ? calendar.nextBusinessDay(due)
      : calendar.addBusinessDays(due, toleranceBusinessDays);
  let day = dayNumber(today) - 1;
  while (limitOf(fromDayNumber(day)) >= today) day -= 1;
  return fromDayNumber(day);
}
