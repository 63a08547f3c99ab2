import { describe, expect, it } from "vitest";
import { pairedUplift, proportionUplift, sampleSizePerArm } from "../../src/domain/experiment-stats.ts";
import { DEFAULT_BEHAVIOUR, drawInvoice, simulateInvoice } from "../../src/domain/payer-behaviour.ts";
import { Random } from "../../src/modules/demo/random.ts";

/** Draws n invoices paid with probability `rate` and counts the payers. */
function arm(random: Random, n: number, rate: number) {
  let successes = 0;
  for (let i = 0; i < n; i++) if (random.next() < rate) successes++;
  return { n, successes };
}

describe("experiment statistics", () => {
  it("an A/A test shows no significant difference in most seeds (about 95% at the 5% level)", () => {
    let significant = 0;
    const seeds = 400;
    for (let seed = 1; seed <= seeds; seed++) {
      const random = new Random(seed, 17);
      if (proportionUplift(arm(random, 1_000, 0.4), arm(random, 1_000, 0.4)).significant) significant++;
    }
    // false positives: expected 5%; stated bound 8% over 400 seeds
    expect(significant / seeds).toBeLessThan(0.08);
  });

  it("a planted 8-point effect at the sample size for 80% power is detected in at least 75% of seeds", () => {
    const n = sampleSizePerArm(0.4, 0.08);
    expect(n).toBeGreaterThan(500);
    expect(n).toBeLessThan(700);
    let detected = 0;
    const seeds = 300;
    for (let seed = 1; seed <= seeds; seed++) {
      const random = new Random(seed, 29);
      const uplift = proportionUplift(arm(random, n, 0.4), arm(random, n, 0.48));
      if (uplift.significant && uplift.difference > 0) detected++;
    }
    expect(detected / seeds).toBeGreaterThan(0.75);
  });

  it("the interval of a rate difference covers the true difference about 95% of the time", () => {
    let covered = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const random = new Random(seed, 41);
      const uplift = proportionUplift(arm(random, 800, 0.3), arm(random, 800, 0.36));
      if (uplift.low <= 0.06 && 0.06 <= uplift.high) covered++;
    }
    expect(covered / 300).toBeGreaterThan(0.9);
  });
});

describe("payer behaviour", () => {
  it("an SMS before the due date raises on-time payment by about 8 points over the default mix (Cadena & Schoar: 7–9)", () => {
    const random = new Random(3, 5);
    const none: number[] = [];
    const sms: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const draw = {
        ...drawInvoice(DEFAULT_BEHAVIOUR, () => random.next()),
        contacts: { email: true, sms: true, whatsapp: true },
      };
      none.push(simulateInvoice(DEFAULT_BEHAVIOUR, draw, []).paidDay === 0 ? 1 : 0);
      sms.push(
        simulateInvoice(DEFAULT_BEHAVIOUR, draw, [{ offset: -1, channel: "sms" }]).paidDay === 0 ? 1 : 0,
      );
    }
    const effect = pairedUplift(none, sms);
    expect(effect.difference).toBeGreaterThan(0.06);
    expect(effect.difference).toBeLessThan(0.1);
    expect(effect.significant).toBe(true);
  });

  it("the same draws never pay later with more messages (common random numbers)", () => {
    const random = new Random(9, 1);
    for (let i = 0; i < 2_000; i++) {
      const draw = drawInvoice(DEFAULT_BEHAVIOUR, () => random.next());
      const without = simulateInvoice(DEFAULT_BEHAVIOUR, draw, []).paidDay ?? 999;
      const withRegua =
        simulateInvoice(DEFAULT_BEHAVIOUR, draw, [
          { offset: -3, channel: "email" },
          { offset: 3, channel: "sms" },
          { offset: 15, channel: "letter" },
        ]).paidDay ?? 999;
      expect(withRegua).toBeLessThanOrEqual(without);
    }
  });
});
