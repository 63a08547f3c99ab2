import type { BusinessCalendar } from "./calendar.ts";
import { addDays, daysBetween, type IsoDate } from "./dates.ts";

/**
 * Glossary: a customer's (or contract's) standing is how far its non-payment has gone: ok →
 * warning (a banner after ~5 days) → suspended (service blocked after ~20) → cancelled (contract
 * ended after ~60). Thresholds belong to the policy; this module decides, the applicator
 * (src/modules/standing) records transitions.
 */
export type Standing = "ok" | "warning" | "suspended" | "cancelled";

export const STANDING_ORDER: readonly Standing[] = ["ok", "warning", "suspended", "cancelled"];

export interface StandingThresholds {
  warningDays: number;
  suspendedDays: number;
  cancelledDays: number;
  /** Count days overdue as calendar days or business days. */
  dayKind: "calendar" | "business";
  /** Below this overdue amount the subject stays ok. */
  minimumCents: number;
}

export interface StandingState {
  current: Standing;
  /** Due date of the oldest invoice still unpaid, null when nothing is open. */
  oldestUnpaidDue: IsoDate | null;
  /** Outstanding cents of the invoices already overdue on the evaluated date. */
  overdueCents: number;
  thresholds: StandingThresholds;
  /** A paused subject never gets worse while the pause lasts (it may still improve). */
  paused: boolean;
  /** After an operator reopened a cancelled subject, days overdue count from this day. */
  reopenedOn: IsoDate | null;
}

export interface StandingDecision {
  standing: Standing;
  /** pt-BR, recorded on the transition. */
  reason: string;
  daysOverdue: number;
}

/**
 * Days a debt is overdue on `date`: none until the payable date (a due date on a non-business day
 * may be paid on the next business day, Lei 7.089/1983), then counted from the original due date.
 */
export function daysOverdue(
  due: IsoDate,
  date: IsoDate,
  dayKind: "calendar" | "business",
  calendar: BusinessCalendar,
): number {
  if (date <= calendar.nextBusinessDay(due)) return 0;
  return dayKind === "business" ? calendar.businessDaysBetween(due, date) : daysBetween(due, date);
}

/**
 * The standing a subject should have on `date` (overdue rules of the seeds: warning after 5 days,
 * suspension after 20, cancellation after 60 by default). Cancelled stays cancelled until an
 * operator reopens it.
 */
export function evaluateStanding(
  state: StandingState,
  date: IsoDate,
  calendar: BusinessCalendar,
): StandingDecision {
  if (state.current === "cancelled") {
    return { standing: "cancelled", reason: "cancelado: só um operador pode reabrir", daysOverdue: 0 };
  }
  const { thresholds } = state;
  if (state.oldestUnpaidDue === null || state.overdueCents === 0) {
    return { standing: "ok", reason: "nenhuma fatura vencida em aberto", daysOverdue: 0 };
  }
  const measuredFrom =
    state.reopenedOn !== null && state.reopenedOn > state.oldestUnpaidDue
      ? state.reopenedOn
      : state.oldestUnpaidDue;
  const days = daysOverdue(measuredFrom, date, thresholds.dayKind, calendar);
  if (state.overdueCents < thresholds.minimumCents) {
    return { standing: "ok", reason: "valor vencido abaixo do mínimo da régua", daysOverdue: days };
  }
  const unit = thresholds.dayKind === "business" ? "dias úteis" : "dias";
  let target: Standing = "ok";
  let reason =
    days > 0 ? `${days} ${unit} de atraso, abaixo do limite de aviso` : "nenhuma fatura vencida em aberto";
  if (days >= thresholds.cancelledDays) {
    target = "cancelled";
    reason = `${days} ${unit} de atraso (cancelamento a partir de ${thresholds.cancelledDays})`;
  } else if (days >= thresholds.suspendedDays) {
    target = "suspended";
    reason = `${days} ${unit} de atraso (suspensão a partir de ${thresholds.suspendedDays})`;
  } else if (days >= thresholds.warningDays) {
    target = "warning";
    reason = `${days} ${unit} de atraso (aviso a partir de ${thresholds.warningDays})`;
  }
  if (state.paused && STANDING_ORDER.indexOf(target) > STANDING_ORDER.indexOf(state.current)) {
    return { standing: state.current, reason: "cliente em pausa: a situação não piora", daysOverdue: days };
  }
  return { standing: target, reason, daysOverdue: days };
}

/**
 * The same rule seen from the other side, for set-based SQL: on `date`, an oldest unpaid due date
 * on or before `warningDueOnOrBefore` means at least warning, and so on. Derived by evaluating
 * `evaluateStanding` itself over candidate due dates, so the SQL applies exactly this module's rule.
 */
export interface StandingCutoffs {
  overdueDueOnOrBefore: IsoDate;
  warningDueOnOrBefore: IsoDate;
  suspendedDueOnOrBefore: IsoDate;
  cancelledDueOnOrBefore: IsoDate;
}

export function standingCutoffs(
  thresholds: StandingThresholds,
  date: IsoDate,
  calendar: BusinessCalendar,
): StandingCutoffs {
  // Days overdue only grow as the due date moves back, so the latest due date reaching each level
  // is found by walking back from `date`; business-day counts need at most ~2× the calendar span.
  const limit = thresholds.cancelledDays * 2 + 30;
  const latestReaching = (level: Standing | "overdue"): IsoDate => {
    for (let back = 0; back <= limit; back += 1) {
      const due = addDays(date, -back);
      const days = daysOverdue(due, date, thresholds.dayKind, calendar);
      const reached =
        level === "overdue"
          ? days > 0
          : level === "warning"
            ? days >= thresholds.warningDays
            : level === "suspended"
              ? days >= thresholds.suspendedDays
              : days >= thresholds.cancelledDays;
      if (reached) return due;
    }
    return addDays(date, -limit - 1);
  };
  return {
    overdueDueOnOrBefore: latestReaching("overdue"),
    warningDueOnOrBefore: latestReaching("warning"),
    suspendedDueOnOrBefore: latestReaching("suspended"),
    cancelledDueOnOrBefore: latestReaching("cancelled"),
  };
}
