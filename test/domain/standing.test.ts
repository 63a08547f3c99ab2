import { describe, expect, it } from "vitest";
import { BusinessCalendar } from "../../src/domain/calendar.ts";
import { addDays } from "../../src/domain/dates.ts";
import {
  daysOverdue,
  evaluateStanding,
  type StandingState,
  type StandingThresholds,
  standingCutoffs,
} from "../../src/domain/standing.ts";

const calendar = new BusinessCalendar();
const thresholds: StandingThresholds = {
  warningDays: 5,
  suspendedDays: 20,
  cancelledDays: 60,
  dayKind: "calendar",
  minimumCents: 0,
};
const state = (overrides: Partial<StandingState>): StandingState => ({
  current: "ok",
  oldestUnpaidDue: "2026-09-01",
  overdueCents: 10_000,
  thresholds,
  paused: false,
  reopenedOn: null,
  ...overrides,
});

describe("evaluateStanding", () => {
  it("walks ok → warning on D+5 → suspended on D+20 → cancelled on D+60", () => {
    expect(evaluateStanding(state({}), "2026-09-05", calendar).standing).toBe("ok");
    expect(evaluateStanding(state({}), "2026-09-06", calendar)).toMatchObject({
      standing: "warning",
      daysOverdue: 5,
    });
    expect(evaluateStanding(state({}), "2026-09-20", calendar).standing).toBe("warning");
    expect(evaluateStanding(state({}), "2026-09-21", calendar)).toMatchObject({
      standing: "suspended",
      reason: "20 dias de atraso (suspensão a partir de 20)",
    });
    expect(evaluateStanding(state({}), "2026-10-31", calendar).standing).toBe("cancelled");
  });

  it("a due date on a holiday is not overdue until the next business day has passed (Lei 7.089/1983)", () => {
    // Friday 2026-11-20 is a national holiday: payable on Monday the 23rd
    expect(daysOverdue("2026-11-20", "2026-11-23", "calendar", calendar)).toBe(0);
    expect(daysOverdue("2026-11-20", "2026-11-24", "calendar", calendar)).toBe(4);
  });

  it("counts business days when the policy says so", () => {
    const business = { ...thresholds, dayKind: "business" as const };
    // due Tuesday 2026-09-01; the fifth business day after is Wednesday the 9th (Monday the 7th is a holiday)
    expect(evaluateStanding(state({ thresholds: business }), "2026-09-08", calendar).standing).toBe("ok");
    expect(evaluateStanding(state({ thresholds: business }), "2026-09-09", calendar)).toMatchObject({
      standing: "warning",
      reason: "5 dias úteis de atraso (aviso a partir de 5)",
    });
  });

  it("stays ok below the minimum amount, stays cancelled, and never worsens while paused", () => {
    const minimum = { ...thresholds, minimumCents: 50_000 };
    expect(evaluateStanding(state({ thresholds: minimum }), "2026-10-01", calendar).standing).toBe("ok");
    expect(
      evaluateStanding(
        state({ current: "cancelled", oldestUnpaidDue: null, overdueCents: 0 }),
        "2026-10-01",
        calendar,
      ).standing,
    ).toBe("cancelled");
    expect(
      evaluateStanding(state({ current: "warning", paused: true }), "2026-10-01", calendar).standing,
    ).toBe("warning");
    expect(
      evaluateStanding(
        state({ current: "suspended", paused: true, oldestUnpaidDue: null, overdueCents: 0 }),
        "2026-10-01",
        calendar,
      ).standing,
    ).toBe("ok");
  });

  it("a reopened customer counts days overdue again from the reopening", () => {
    expect(evaluateStanding(state({ reopenedOn: "2026-11-01" }), "2026-11-10", calendar).standing).toBe(
      "warning",
    );
    expect(evaluateStanding(state({ reopenedOn: "2026-11-01" }), "2026-11-05", calendar).standing).toBe("ok");
  });
});

describe("standingCutoffs agree with evaluateStanding", () => {
  for (const dayKind of ["calendar", "business"] as const) {
    it(`for every due date in 150 days (${dayKind} days)`, () => {
      const rule = { ...thresholds, dayKind };
      for (const date of ["2026-11-24", "2026-12-28", "2027-02-17"]) {
        const cut = standingCutoffs(rule, date, calendar);
        for (let back = 0; back < 150; back += 1) {
          const due = addDays(date, -back);
          const expected = evaluateStanding(
            state({ oldestUnpaidDue: due, thresholds: rule }),
            date,
            calendar,
          ).standing;
          const fromCutoffs =
            due <= cut.cancelledDueOnOrBefore
              ? "cancelled"
              : due <= cut.suspendedDueOnOrBefore
                ? "suspended"
                : due <= cut.warningDueOnOrBefore
                  ? "warning"
                  : "ok";
          expect(fromCutoffs, `due ${due} on ${date}`).toBe(expected);
        }
      }
    });
  }
});
