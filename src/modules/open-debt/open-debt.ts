import type { BusinessCalendar } from "../../domain/calendar.ts";
import { addDays, daysBetween, type IsoDate } from "../../domain/dates.ts";
import { amountDue, type SettlementContext } from "../invoices/invoice.service.ts";

/**
 * Glossary of the open-debt read model, the one home of "what a debtor owes on a date":
 * - open invoice: status open and something still to pay on the date (principal, fine or interest).
 * - covered: an original invoice that a proposed or active agreement replaces; it is shown, marked
 *   "Em acordo", but not owed directly: the agreement's installments (invoices of their own) are.
 *   So every centavo counts once.
 * - overdue: past the payable date (a due date on a non-business day may be paid on the next
 *   business day, Lei 7.089/1983), on the tenant's calendar; the same cut-off the standing rule uses.
 * - balance: original minus paid (never below 0), the nominal figure the set-based form sums
 *   (open-debt.sql.ts); the amount of the day adds fine and interest (`amountDue`, CDC art. 52 §1,
 *   Código Civil art. 354).
 */
export interface OpenDebtAgreement {
  id: string;
  status: "proposed" | "active";
}

export interface OpenDebtInvoice {
  id: string;
  externalId: string;
  description: string;
  contractId: string | null;
  dueDate: IsoDate;
  originalCents: number;
  paidCents: number;
  outstandingPrincipalCents: number;
  fineCents: number;
  interestCents: number;
  /** What paying it on the date costs: principal left plus fine and interest still owed. */
  totalDueCents: number;
  balanceCents: number;
  overdue: boolean;
  daysOverdue: number;
  /** The agreement in force that replaces this invoice (its installments are what is owed). */
  coveredBy: OpenDebtAgreement | null;
  /** The agreement this invoice is an installment of. */
  installmentOf: string | null;
  /** The debtor contests it (an open dispute): still owed, but it does not worsen standing. */
  disputed: boolean;
  /** Counts in the totals: not covered by an agreement. */
  owed: boolean;
  /** The boleto and Pix stored with the invoice, for its face amount and due date. */
  typeableLine: string | null;
  pixPayload: string | null;
  ourNumber: number | null;
}

export interface OpenDebtTotals {
  /** Everything owed on the date: overdue plus not yet due, covered invoices left out. */
  owedCents: number;
  overdueCents: number;
  notYetDueCents: number;
  overdueInvoices: number;
  /** Due date of the oldest overdue invoice owed, null when none. */
  oldestOverdueDue: IsoDate | null;
  /** Sum of the balances (original − paid) of the overdue invoices owed: the set-based figure. */
  overdueBalanceCents: number;
  /** What the covered originals would cost today, for information ("Em acordo"). */
  coveredCents: number;
  /** Sum of the balances (original − paid) of every invoice owed: "Em aberto", the credit limit's measure. */
  owedBalanceCents: number;
}

export interface OpenDebt {
  customerId: string;
  asOf: IsoDate;
  /** Oldest due date first; covered originals included and marked. */
  invoices: OpenDebtInvoice[];
  totals: OpenDebtTotals;
}

/** Everything the rule needs about one open invoice (loaded by open-debt.repository.ts). */
export interface OpenInvoiceFacts {
  id: string;
  customerId: string;
  externalId: string;
  description: string;
  contractId: string | null;
  paidCents: number;
  coveredBy: OpenDebtAgreement | null;
  installmentOf: string | null;
  disputed: boolean;
  typeableLine: string | null;
  pixPayload: string | null;
  ourNumber: number | null;
  settlement: SettlementContext;
}

/**
 * The latest due date that is overdue on `date`: due dates on or before it are past their payable
 * day (the next business day after a due date on a non-business day, Lei 7.089/1983).
 */
export function lastOverdueDueDate(date: IsoDate, calendar: BusinessCalendar): IsoDate {
  let due = addDays(date, -1);
  while (calendar.nextBusinessDay(due) >= date) due = addDays(due, -1);
  return due;
}

/** One invoice as the debtor owes it on `asOf`, or null when nothing is left to pay. */
export function openInvoiceOn(
  facts: OpenInvoiceFacts,
  asOf: IsoDate,
  overdueDueOnOrBefore: IsoDate,
): OpenDebtInvoice | null {
  const due = amountDue(facts.settlement, asOf);
  if (due.status !== "open" || due.totalDueCents <= 0) return null;
  const overdue = facts.settlement.dueDate <= overdueDueOnOrBefore;
  return {
    id: facts.id,
    externalId: facts.externalId,
    description: facts.description,
    contractId: facts.contractId,
    dueDate: facts.settlement.dueDate,
    originalCents: facts.settlement.principalCents,
    paidCents: facts.paidCents,
    outstandingPrincipalCents: due.outstandingPrincipalCents,
    fineCents: due.fineCents,
    interestCents: due.interestCents,
    totalDueCents: due.totalDueCents,
    balanceCents: Math.max(facts.settlement.principalCents - facts.paidCents, 0),
    overdue,
    daysOverdue: overdue ? daysBetween(facts.settlement.dueDate, asOf) : 0,
    coveredBy: facts.coveredBy,
    installmentOf: facts.installmentOf,
    disputed: facts.disputed,
    owed: facts.coveredBy === null,
    typeableLine: facts.typeableLine,
    pixPayload: facts.pixPayload,
    ourNumber: facts.ourNumber,
  };
}

/** A customer's open debt on `asOf` from its open invoices' facts (any order). */
export function openDebtOn(
  customerId: string,
  facts: OpenInvoiceFacts[],
  asOf: IsoDate,
  overdueDueOnOrBefore: IsoDate,
): OpenDebt {
  const invoices = facts
    .map((invoice) => openInvoiceOn(invoice, asOf, overdueDueOnOrBefore))
    .filter((invoice): invoice is OpenDebtInvoice => invoice !== null)
    .sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.id < b.id ? -1 : 1));
  const totals: OpenDebtTotals = {
    owedCents: 0,
    overdueCents: 0,
    notYetDueCents: 0,
    overdueInvoices: 0,
    oldestOverdueDue: null,
    overdueBalanceCents: 0,
    coveredCents: 0,
    owedBalanceCents: 0,
  };
  for (const invoice of invoices) {
    if (!invoice.owed) {
      totals.coveredCents += invoice.totalDueCents;
      continue;
    }
    totals.owedCents += invoice.totalDueCents;
    totals.owedBalanceCents += invoice.balanceCents;
    if (!invoice.overdue) {
      totals.notYetDueCents += invoice.totalDueCents;
      continue;
    }
    totals.overdueCents += invoice.totalDueCents;
    if (invoice.balanceCents > 0) {
      totals.overdueInvoices += 1;
      totals.overdueBalanceCents += invoice.balanceCents;
      totals.oldestOverdueDue ??= invoice.dueDate;
    }
  }
  return { customerId, asOf, invoices, totals };
}

/** The invoices a message, letter or banner may ask the debtor to pay: owed, oldest first. */
export function payableInvoices(debt: OpenDebt): OpenDebtInvoice[] {
  return debt.invoices.filter((invoice) => invoice.owed);
}
