import { describe, expect, it } from "vitest";
import { BusinessCalendar } from "../../src/domain/calendar.ts";
import { addDays } from "../../src/domain/dates.ts";
import { type ChargeTerms, computeLateCharges, settleInvoice } from "../../src/domain/late-charges.ts";

// Vectors worked by hand: fine = principal × fine%; interest = principal × 1%/30 × days; half-up to the cent.
const calendar = new BusinessCalendar();
const consumer: ChargeTerms = { fineBps: 200, interestMonthlyBps: 100, consumer: true };

describe("late charges (CDC art. 52 §1; Lei 7.089/1983; simple daily pro rata interest)", () => {
  it("charges nothing up to the due date (a business day)", () => {
    const input = { principalCents: 10_000, dueDate: "2026-03-10", terms: consumer, calendar };
    expect(computeLateCharges(input, "2026-03-10")).toEqual({
      daysLate: 0,
      payableUntil: "2026-03-10",
      principalCents: 10_000,
      fineCents: 0,
      interestCents: 0,
      totalCents: 10_000,
      fineBpsApplied: 0,
    });
    expect(computeLateCharges(input, "2026-03-01").totalCents).toBe(10_000);
  });

  it("R$ 100,00 thirty days late at 2% + 1% a month: R$ 2,00 fine + R$ 1,00 interest", () => {
    // fine 10000 × 2% = 200; interest 10000 × 1% × 30/30 = 100
    const charges = computeLateCharges(
      { principalCents: 10_000, dueDate: "2026-03-10", terms: consumer, calendar },
      "2026-04-09",
    );
    expect(charges).toMatchObject({
      daysLate: 30,
      fineCents: 200,
      interestCents: 100,
      totalCents: 10_300,
      fineBpsApplied: 200,
    });
  });

  it("one day late: interest 10000 × 1% / 30 = 3.33 → 3 cents", () => {
    const charges = computeLateCharges(
      { principalCents: 10_000, dueDate: "2026-03-10", terms: consumer, calendar },
      "2026-03-11",
    );
    expect(charges).toMatchObject({ daysLate: 1, fineCents: 200, interestCents: 3, totalCents: 10_203 });
  });

  it("rounds half-up: R$ 15,00 one day late = 0.5 cent of interest → 1 cent", () => {
    // 1500 × 100 bps × 1 day / 300,000 = 0.5 → 1; fine 1500 × 2% = 30
    const charges = computeLateCharges(
      { principalCents: 1_500, dueDate: "2026-03-10", terms: consumer, calendar },
      "2026-03-11",
    );
    expect(charges).toMatchObject({ interestCents: 1, fineCents: 30, totalCents: 1_531 });
  });

  it("lets a due date on a holiday be paid on the next business day, then counts from the original date", () => {
    // Due Fri 2026-11-20 (Consciência Negra) → payable until Mon 2026-11-23 with no charges.
    const input = { principalCents: 10_000, dueDate: "2026-11-20", terms: consumer, calendar };
    expect(computeLateCharges(input, "2026-11-23")).toMatchObject({
      daysLate: 0,
      payableUntil: "2026-11-23",
      totalCents: 10_000,
    });
    // On Tue 2026-11-24: 4 days from Nov 20 → 10000 × 1% × 4/30 = 13.33 → 13
    expect(computeLateCharges(input, "2026-11-24")).toMatchObject({
      daysLate: 4,
      fineCents: 200,
      interestCents: 13,
      totalCents: 10_213,
    });
  });

  it("stretches across Carnival: due Sat 2026-02-14 is payable until Wed 2026-02-18", () => {
    const input = { principalCents: 10_000, dueDate: "2026-02-14", terms: consumer, calendar };
    expect(computeLateCharges(input, "2026-02-18")).toMatchObject({
      payableUntil: "2026-02-18",
      totalCents: 10_000,
    });
    expect(computeLateCharges(input, "2026-02-19")).toMatchObject({ daysLate: 5, interestCents: 17 }); // 16.67 → 17
  });

  it("caps the fine at 2% for consumers but not for companies", () => {
    const terms = { fineBps: 1_000, interestMonthlyBps: 0, consumer: true };
    const input = { principalCents: 10_000, dueDate: "2026-03-10", terms, calendar };
    expect(computeLateCharges(input, "2026-03-20")).toMatchObject({ fineCents: 200, fineBpsApplied: 200 });
    const company = { ...input, terms: { ...terms, consumer: false } };
    expect(computeLateCharges(company, "2026-03-20")).toMatchObject({
      fineCents: 1_000,
      fineBpsApplied: 1_000,
    });
  });

  it("uses a state calendar when given one (SP: Jul 9, 2026 is a Thursday holiday)", () => {
    const sp = new BusinessCalendar([], { state: "SP" });
    const input = { principalCents: 10_000, dueDate: "2026-07-09", terms: consumer, calendar: sp };
    expect(computeLateCharges(input, "2026-07-10").totalCents).toBe(10_000);
    expect(computeLateCharges({ ...input, calendar }, "2026-07-10").totalCents).toBe(10_203);
  });
});

describe("settling an invoice with payments (Código Civil art. 354: interest first, then capital)", () => {
  const base = { principalCents: 10_000, dueDate: "2026-03-10", terms: consumer, calendar };

  it("without payments, owes what computeLateCharges says", () => {
    const settlement = settleInvoice({ ...base, payments: [] }, "2026-04-09");
    expect(settlement).toMatchObject({
      status: "open",
      outstandingPrincipalCents: 10_000,
      fineCents: 200,
      interestCents: 100,
      totalDueCents: 10_300,
      paidCents: 0,
    });
  });

  it("applies a late partial payment to interest, then fine, then principal", () => {
    // Mar 25 (15 days): fine 200, interest 10000 × 1% × 15/30 = 50. R$ 50,00 pays 50 + 200 + 4750 of principal.
    // Apr 9: 15 more days on 5250 → 26.25 → 26. Owed: 5250 + 26.
    const settlement = settleInvoice(
      { ...base, payments: [{ amountCents: 5_000, paidOn: "2026-03-25" }] },
      "2026-04-09",
    );
    expect(settlement).toEqual({
      status: "open",
      outstandingPrincipalCents: 5_250,
      fineCents: 0,
      interestCents: 26,
      totalDueCents: 5_276,
      paidCents: 5_000,
      overpaidCents: 0,
      fineChargedCents: 200,
      interestChargedCents: 76,
    });
    const settled = settleInvoice(
      {
        ...base,
        payments: [
          { amountCents: 5_000, paidOn: "2026-03-25" },
          { amountCents: 5_276, paidOn: "2026-04-09" },
        ],
      },
      "2026-05-01",
    );
    expect(settled).toMatchObject({ status: "paid", totalDueCents: 0, paidCents: 10_276, overpaidCents: 0 });
  });

  it("charges the fine only on what was still open when the invoice went late", () => {
    // R$ 40,00 paid on the due date; on Apr 9 the open 6000 owes fine 120 and interest 6000 × 1% = 60.
    const settlement = settleInvoice(
      { ...base, payments: [{ amountCents: 4_000, paidOn: "2026-03-10" }] },
      "2026-04-09",
    );
    expect(settlement).toMatchObject({
      outstandingPrincipalCents: 6_000,
      fineCents: 120,
      interestCents: 60,
      totalDueCents: 6_180,
    });
  });

  it("records what was paid beyond the debt and ignores payments after the date", () => {
    const overpaid = settleInvoice(
      { ...base, payments: [{ amountCents: 10_500, paidOn: "2026-03-25" }] },
      "2026-04-30",
    );
    expect(overpaid).toMatchObject({
      status: "paid",
      totalDueCents: 0,
      overpaidCents: 250,
      interestChargedCents: 50,
    });
    const future = settleInvoice(
      { ...base, payments: [{ amountCents: 10_000, paidOn: "2026-05-01" }] },
      "2026-03-10",
    );
    expect(future).toMatchObject({ status: "open", totalDueCents: 10_000, paidCents: 0 });
  });

  it("treats a full payment on time as paid with no charges, in any order of input", () => {
    const settlement = settleInvoice(
      {
        ...base,
        payments: [
          { amountCents: 6_000, paidOn: "2026-03-09" },
          { amountCents: 4_000, paidOn: "2026-03-05" },
        ],
      },
      "2026-12-31",
    );
    expect(settlement).toMatchObject({
      status: "paid",
      fineChargedCents: 0,
      interestChargedCents: 0,
      totalDueCents: 0,
    });
  });
});

describe("consistency (seeded portfolio)", () => {
  it("settleInvoice without payments owes exactly what computeLateCharges says, for 5,000 invoices", () => {
    let seed = 99;
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const sp = new BusinessCalendar([], { state: "SP" });
    for (let index = 0; index < 5_000; index += 1) {
      const input = {
        principalCents: 1 + Math.floor(random() * 10_000_000),
        dueDate: addDays("2026-01-01", Math.floor(random() * 365)),
        terms: {
          fineBps: Math.floor(random() * 1_500),
          interestMonthlyBps: Math.floor(random() * 500),
          consumer: random() < 0.5,
        },
        calendar: sp,
      };
      const asOf = addDays(input.dueDate, Math.floor(random() * 400) - 30);
      const charges = computeLateCharges(input, asOf);
      const settlement = settleInvoice({ ...input, payments: [] }, asOf);
      expect(settlement.totalDueCents).toBe(charges.totalCents);
      expect(settlement.fineCents).toBe(charges.fineCents);
      expect(charges.fineCents).toBeLessThanOrEqual(
        input.terms.consumer ? Math.round(input.principalCents * 0.02) + 1 : Infinity,
      );
    }
  });
});
