import { BusinessCalendar } from "../src/domain/calendar.ts";
import { addDays } from "../src/domain/dates.ts";
import { type ChargeTerms, computeLateCharges, settleInvoice } from "../src/domain/late-charges.ts";
import { type BenchFigure, median } from "./figure.ts";

/**
 * Amount due (fine + daily interest, Lei 7.089/1983 rule) for 1,000,000 invoices as of one day:
 * the pure function the panel, second copies and the planner call for a whole portfolio.
 * Floor: under 2 s (issue "Foundation").
 */
const INVOICES = 1_000_000;
const RUNS = 5;
const AS_OF = "2026-11-23";

export default async function amountDue(): Promise<BenchFigure[]> {
  // A deterministic portfolio: due dates from 400 days ago to 60 days ahead (weekends and
  // holidays included), amounts from R$ 10 to R$ 5.000, a mix of contract terms.
  let seed = 20_260_222;
  const random = () => {
    seed = (seed * 48_271) % 2_147_483_647;
    return seed / 2_147_483_647;
  };
  const termsMix: ChargeTerms[] = [
    { fineBps: 200, interestMonthlyBps: 100, consumer: true },
    { fineBps: 1_000, interestMonthlyBps: 100, consumer: true },
    { fineBps: 1_000, interestMonthlyBps: 200, consumer: false },
    { fineBps: 0, interestMonthlyBps: 33, consumer: true },
  ];
  const calendar = new BusinessCalendar([{ date: "01-25", name: "Aniversário de São Paulo" }], {
    state: "SP",
  });
  const dueDates = Array.from({ length: 461 }, (_, index) => addDays(AS_OF, index - 400));
  const invoices = Array.from({ length: INVOICES }, () => ({
    principalCents: 1_000 + Math.floor(random() * 499_000),
    dueDate: dueDates[Math.floor(random() * dueDates.length)]!,
    terms: termsMix[Math.floor(random() * termsMix.length)]!,
    calendar,
  }));

  const samples: number[] = [];
  let checksum = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const started = process.hrtime.bigint();
    let total = 0;
    for (const invoice of invoices) total += computeLateCharges(invoice, AS_OF).totalCents;
    samples.push(Number(process.hrtime.bigint() - started) / 1e9);
    checksum = total;
  }
  // The same portfolio replayed with payments (a third of the invoices partly paid, art. 354 imputation).
  const withPayments = invoices.map((invoice, index) => ({
    ...invoice,
    payments:
      index % 3 === 0
        ? [{ amountCents: Math.floor(invoice.principalCents / 2), paidOn: addDays(invoice.dueDate, 10) }]
        : [],
  }));
  const settleSamples: number[] = [];
  let settleChecksum = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const started = process.hrtime.bigint();
    let total = 0;
    for (const invoice of withPayments) total += settleInvoice(invoice, AS_OF).totalDueCents;
    settleSamples.push(Number(process.hrtime.bigint() - started) / 1e9);
    settleChecksum = total;
  }

  return [
    {
      name: "amount due, 1M invoices (computeLateCharges)",
      value: median(samples),
      unit: "s",
      floor: 2,
      better: "lower",
      note: `median of ${RUNS} runs; total due ${(checksum / 100).toFixed(2)} BRL`,
    },
    {
      name: "amount due, 1M invoices with payments (settleInvoice)",
      value: median(settleSamples),
      unit: "s",
      floor: 2,
      better: "lower",
      note: `median of ${RUNS} runs; one in three invoices half paid 10 days after its due date; still due ${(settleChecksum / 100).toFixed(2)} BRL`,
    },
  ];
}
