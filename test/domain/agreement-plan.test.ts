import { describe, expect, it } from "vitest";
import {
  type ActorLimits,
  buildPlan,
  checkPlanTerms,
  equalInstallments,
  imputePayments,
  monthlyDate,
  type PlanRequest,
  priceInstallments,
  toleranceCutoff,
} from "../../src/domain/agreement-plan.ts";
import { BusinessCalendar } from "../../src/domain/calendar.ts";
import { type ChargeTerms, settleInvoice } from "../../src/domain/late-charges.ts";

const calendar = new BusinessCalendar();
const consumer: ChargeTerms = { fineBps: 200, interestMonthlyBps: 100, consumer: true };
const debt = { principalCents: 100_000, fineCents: 2_000, interestCents: 1_500, totalCents: 103_500 };
const request: PlanRequest = {
  downPaymentCents: 0,
  installments: 3,
  dayOfMonth: 10,
  waiveFine: false,
  waiveInterest: false,
  principalDiscountBps: 0,
  monthlyInterestBps: 0,
};
const limits: ActorLimits = {
  maxPrincipalDiscountBps: 1000,
  mayWaiveFine: true,
  mayWaiveInterest: false,
  maxInstallments: 12,
  minInstallmentCents: 5_000,
  settlementDiscountBps: 1500,
  monthlyInterestBps: 100,
  mayLowerInterest: false,
};

describe("splitting without interest: half-up, residue on the last installment", () => {
  it("R$ 100,00 in 3 → 33,33 + 33,33 + 33,34; R$ 2,00 in 3 → 0,67 + 0,67 + 0,66", () => {
    expect(equalInstallments(10_000, 3)).toEqual([3_333, 3_333, 3_334]);
    expect(equalInstallments(200, 3)).toEqual([67, 67, 66]);
    expect(equalInstallments(12_345, 1)).toEqual([12_345]);
  });
});

describe("Price table (French amortisation)", () => {
  it("R$ 1.000,00 at 1% a month in 12: PMT R$ 88,85, the last R$ 88,84, the schedule's present value is the loan", () => {
    // Worked independently: PMT = PV·i/(1−(1+i)^−n) = 1000 × 0.01 / (1 − 1.01^−12) = 88.8488 → 88.85, the
    // figure of any financial-mathematics textbook (and of the HP-12C: 1000 PV, 1 i, 12 n, PMT).
    const pmt = (1000 * 0.01) / (1 - 1.01 ** -12);
    expect(pmt).toBeCloseTo(88.8488, 4);
    const parts = priceInstallments(100_000, 12, 100);
    expect(parts.slice(0, 11)).toEqual(Array(11).fill(8_885));
    expect(parts[11]).toBe(8_884);
    expect(parts.reduce((sum, part) => sum + part, 0)).toBe(106_619);
    // independent check: discounting each payment at 1% a month gives back the loan, within the
    // rounding of each period's interest (at most half a cent each)
    const presentValue = parts.reduce((sum, part, index) => sum + part / 1.01 ** (index + 1), 0);
    expect(Math.abs(presentValue - 100_000)).toBeLessThan(parts.length / 2);
  });

  it("R$ 5.432,10 at 2.49% a month in 10: PMT 620,34 (5432.10 × 0.0249 / (1 − 1.0249^−10) = 620.3444)", () => {
    const parts = priceInstallments(543_210, 10, 249);
    expect(parts[0]).toBe(62_034);
    const presentValue = parts.reduce((sum, part, index) => sum + part / 1.0249 ** (index + 1), 0);
    expect(Math.abs(presentValue - 543_210)).toBeLessThan(parts.length / 2);
  });
});

describe("the schedule", () => {
  it("monthly dates keep the day of month across year ends", () => {
    expect(monthlyDate("2026-11-24", 1, 10)).toBe("2026-12-10");
    expect(monthlyDate("2026-11-24", 2, 28)).toBe("2027-01-28");
    expect(monthlyDate("2026-01-31", 1, 28)).toBe("2026-02-28");
  });

  it("down payment on the first date, then installments on the day of month of the following months", () => {
    const plan = buildPlan(debt, { ...request, downPaymentCents: 20_000, installments: 3 }, "2026-11-24");
    expect(plan.schedule).toEqual([
      { number: 0, dueDate: "2026-11-24", amountCents: 20_000 },
      { number: 1, dueDate: "2026-12-10", amountCents: 27_833 },
      { number: 2, dueDate: "2027-01-10", amountCents: 27_833 },
      { number: 3, dueDate: "2027-02-10", amountCents: 27_834 },
    ]);
    expect(plan.totalCents).toBe(103_500);
    expect(plan.concessionCents).toBe(0);
  });

  it("without a down payment installment 1 is due on the first date", () => {
    const plan = buildPlan(debt, request, "2026-11-24");
    expect(plan.schedule.map((payment) => payment.dueDate)).toEqual([
      "2026-11-24",
      "2026-12-10",
      "2027-01-10",
    ]);
    expect(plan.totalCents).toBe(103_500);
  });

  it("concessions: fine and interest waived and 10% off the principal; settlement at once is one payment", () => {
    const plan = buildPlan(
      debt,
      { ...request, installments: 0, waiveFine: true, waiveInterest: true, principalDiscountBps: 1000 },
      "2026-11-24",
    );
    // 2.000 + 1.500 + 10% of 100.000
    expect(plan.concessionCents).toBe(13_500);
    expect(plan.schedule).toEqual([{ number: 1, dueDate: "2026-11-24", amountCents: 90_000 }]);
  });
});

describe("terms against the actor's limits, each problem naming its field", () => {
  const check = (changes: Partial<PlanRequest>) => {
    const terms = { ...request, monthlyInterestBps: 100, ...changes };
    return checkPlanTerms(debt, terms, buildPlan(debt, terms, "2026-11-24"), limits).map((p) => p.field);
  };

  it("within the limits: nothing", () => {
    expect(check({})).toEqual([]);
    expect(check({ installments: 0, principalDiscountBps: 1500 })).toEqual([]);
  });

  it("over the limits", () => {
    expect(check({ installments: 13 })).toContain("installments");
    expect(check({ principalDiscountBps: 1001 })).toEqual(["principalDiscountBps"]);
    expect(check({ installments: 0, principalDiscountBps: 1501 })).toEqual(["principalDiscountBps"]);
    expect(check({ waiveInterest: true })).toEqual(["waiveInterest"]);
    expect(check({ monthlyInterestBps: 50 })).toEqual(["monthlyInterestBps"]);
    expect(check({ installments: 12, downPaymentCents: 60_000 })).toEqual(["installments"]);
    expect(check({ downPaymentCents: 1_000 })).toEqual(["downPaymentCents"]);
    expect(check({ downPaymentCents: 200_000 })).toEqual(["downPaymentCents"]);
  });
});

describe("imputation of what was paid when an agreement breaks (CC arts. 352-355)", () => {
  // A: R$ 100,00 due 2026-01-05; B: R$ 200,00 due 2026-02-05; 2% fine, 1% a month.
  const originals = [
    {
      invoiceId: "B",
      principalCents: 20_000,
      dueDate: "2026-02-05",
      terms: consumer,
      calendar,
      payments: [],
    },
    {
      invoiceId: "A",
      principalCents: 10_000,
      dueDate: "2026-01-05",
      terms: consumer,
      calendar,
      payments: [],
    },
  ];

  it("R$ 150,00 paid on 2026-03-06: A (oldest) takes R$ 104,00, B the R$ 46,00 left", () => {
    // A on 03-06: 60 days late → fine 2,00 + interest 100 × 1% × 60/30 = 2,00 → 104,00.
    // B on 03-06: 29 days late → fine 4,00 + interest 200 × 1% × 29/30 = 1,9333 → 1,93; 46,00 pays
    // interest 1,93, fine 4,00 and 40,07 of principal: 159,93 left.
    const imputations = imputePayments(originals, [
      { reference: "p1", amountCents: 15_000, paidOn: "2026-03-06" },
    ]);
    expect(imputations).toEqual([
      { invoiceId: "A", reference: "p1", amountCents: 10_400, paidOn: "2026-03-06" },
      { invoiceId: "B", reference: "p1", amountCents: 4_600, paidOn: "2026-03-06" },
    ]);
    const a = settleInvoice(
      { ...originals[1]!, payments: [{ amountCents: 10_400, paidOn: "2026-03-06" }] },
      "2026-04-05",
    );
    expect(a.totalDueCents).toBe(0);
    const b = settleInvoice(
      { ...originals[0]!, payments: [{ amountCents: 4_600, paidOn: "2026-03-06" }] },
      "2026-04-05",
    );
    // 159,93 + 30 days of 1% on it (1,5993 → 1,60)
    expect(b.outstandingPrincipalCents).toBe(15_993);
    expect(b.totalDueCents).toBe(16_153);
  });

  it("a payment beyond the whole debt lands on the last invoice as overpaid", () => {
    const imputations = imputePayments(originals, [
      { reference: "p1", amountCents: 40_000, paidOn: "2026-01-05" },
    ]);
    expect(imputations.map((entry) => [entry.invoiceId, entry.amountCents])).toEqual([
      ["A", 10_000],
      ["B", 20_000],
      ["B", 10_000],
    ]);
  });
});

describe("tolerance in business days", () => {
  it("5 business days: an installment due Friday 2026-11-06 breaks on Monday 11-16 (Nov 15 is a Sunday)", () => {
    // business days after 11-06: 09, 10, 11, 12, 13 → the fifth is Friday 11-13; on 11-16 it is past
    expect(toleranceCutoff("2026-11-16", 5, calendar)).toBe("2026-11-08");
    expect(toleranceCutoff("2026-11-13", 5, calendar) < "2026-11-06").toBe(true);
  });

  it("0 days (lapse of the first payment): a due date on Saturday is payable Monday", () => {
    // due 2026-11-21 (Sat): payable until Mon 11-23 (Nov 20 is a holiday, but that is the Friday before)
    expect(toleranceCutoff("2026-11-23", 0, calendar) < "2026-11-21").toBe(true);
    expect(toleranceCutoff("2026-11-24", 0, calendar) >= "2026-11-21").toBe(true);
  });
});
