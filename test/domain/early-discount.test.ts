import { describe, expect, it } from "vitest";
import { BusinessCalendar } from "../../src/domain/calendar.ts";
import { earlyDiscount, earlyDiscountTerms } from "../../src/domain/early-discount.ts";
import { type ChargeTerms, settleInvoice } from "../../src/domain/late-charges.ts";

// Vectors worked by hand: discount = face × percent, half-up to the cent; last day = due date − days.
const calendar = new BusinessCalendar();
const terms: ChargeTerms = { fineBps: 200, interestMonthlyBps: 100, consumer: true };

describe("the contract's early-payment discount (desconto até a data)", () => {
  it("5% of R$ 259,90 up to 5 days before the 20th: R$ 13,00 (12,995 half-up) until the 15th", () => {
    expect(earlyDiscount({ bps: 500, daysBeforeDue: 5 }, 25_990, "2026-12-20", "2026-12-07")).toEqual({
      cents: 1_300,
      until: "2026-12-15",
    });
  });

  it("0 days: up to the due date itself", () => {
    expect(earlyDiscount({ bps: 250, daysBeforeDue: 0 }, 10_000, "2026-12-20", "2026-12-07")).toEqual({
      cents: 250,
      until: "2026-12-20",
    });
  });

  it("none without a setting, when it rounds to nothing, or when its last day is before the issue", () => {
    expect(earlyDiscount(null, 10_000, "2026-12-20", "2026-12-07")).toBeNull();
    expect(earlyDiscount({ bps: 1, daysBeforeDue: 0 }, 40, "2026-12-20", "2026-12-07")).toBeNull();
    // 30 days before a due date 13 days after issue: nobody could take it (the bank would reject it)
    expect(earlyDiscount({ bps: 500, daysBeforeDue: 30 }, 10_000, "2026-12-20", "2026-12-07")).toBeNull();
  });

  it("reads the contract's two columns: both or nothing", () => {
    expect(earlyDiscountTerms(500, 5)).toEqual({ bps: 500, daysBeforeDue: 5 });
    expect(earlyDiscountTerms(null, null)).toBeNull();
    expect(earlyDiscountTerms(500, null)).toBeNull();
  });
});

describe("settling with the discount", () => {
  const base = {
    principalCents: 20_000,
    dueDate: "2026-12-20",
    terms,
    calendar,
    earlyDiscount: { cents: 1_000, until: "2026-12-15" },
  };

  it("R$ 190,00 paid on the 15th settles a R$ 200,00 invoice with R$ 10,00 off", () => {
    const settled = settleInvoice(
      { ...base, payments: [{ amountCents: 19_000, paidOn: "2026-12-15" }] },
      "2026-12-15",
    );
    expect(settled).toMatchObject({ status: "paid", totalDueCents: 0, paidCents: 19_000, overpaidCents: 0 });
  });

  it("after its last day the discount is gone: R$ 190,00 on the 16th leaves R$ 10,00 owed", () => {
    const settled = settleInvoice(
      { ...base, payments: [{ amountCents: 19_000, paidOn: "2026-12-16" }] },
      "2026-12-16",
    );
    expect(settled).toMatchObject({ status: "open", outstandingPrincipalCents: 1_000 });
  });

  it("a part paid early and the rest less the discount by the last day also earns it", () => {
    const settled = settleInvoice(
      {
        ...base,
        payments: [
          { amountCents: 5_000, paidOn: "2026-12-10" },
          { amountCents: 14_000, paidOn: "2026-12-14" },
        ],
      },
      "2026-12-14",
    );
    expect(settled).toMatchObject({ status: "paid", totalDueCents: 0, paidCents: 19_000 });
  });

  it("the amount of the day is R$ 190,00 up to the 15th and R$ 200,00 from the 16th", () => {
    expect(settleInvoice({ ...base, payments: [] }, "2026-12-15").totalDueCents).toBe(19_000);
    expect(settleInvoice({ ...base, payments: [] }, "2026-12-16").totalDueCents).toBe(20_000);
  });

  it("a payment short of the discounted rest earns nothing", () => {
    const settled = settleInvoice(
      { ...base, payments: [{ amountCents: 18_000, paidOn: "2026-12-12" }] },
      "2026-12-12",
    );
    expect(settled).toMatchObject({ status: "open", outstandingPrincipalCents: 2_000 });
  });
});
