import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isState } from "../../src/domain/brazil.ts";
import { addDays, daysBetween, isIsoDate } from "../../src/domain/dates.ts";
import { isValidCnpj, isValidCpf } from "../../src/domain/documents.ts";
import { parseBrazilianAmount } from "../../src/domain/money.ts";
import { type CsvRow, type DemoChunk, generateDemoPortfolio } from "../../src/modules/demo/demo.generator.ts";

const TODAY = "2026-11-23";

function collect(chunks: Iterable<DemoChunk>) {
  const all = { customers: [] as CsvRow[], invoices: [] as CsvRow[], payments: [] as CsvRow[], chunks: 0 };
  for (const chunk of chunks) {
    all.customers.push(...chunk.customers);
    all.invoices.push(...chunk.invoices);
    all.payments.push(...chunk.payments);
    all.chunks += 1;
  }
  return all;
}

function digest(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

const portfolio = collect(generateDemoPortfolio({ customers: 2_000, seed: 7, today: TODAY }));

// Independent references (not the generator's own tables): Anatel area codes by state and the
// Correios CEP ranges by state.
const STATE_OF_AREA_CODE: Record<string, string> = {};
for (const [state, codes] of Object.entries({
  SP: "11 12 13 14 15 16 17 18 19",
  RJ: "21 22 24",
  ES: "27 28",
  MG: "31 32 33 34 35 37 38",
  PR: "41 42 43 44 45 46",
  SC: "47 48 49",
  RS: "51 53 54 55",
  DF: "61",
  GO: "62 64",
  TO: "63",
  MT: "65 66",
  MS: "67",
  AC: "68",
  RO: "69",
  BA: "71 73 74 75 77",
  SE: "79",
  PE: "81 87",
  AL: "82",
  PB: "83",
  RN: "84",
  CE: "85 88",
  PI: "86 89",
  PA: "91 93 94",
  AM: "92 97",
  RR: "95",
  AP: "96",
  MA: "98 99",
})) {
  for (const code of codes.split(" ")) STATE_OF_AREA_CODE[code] = state;
}
const CEP_RANGES: Record<string, [number, number][]> = {
  SP: [[1000, 19999]],
  RJ: [[20000, 28999]],
  ES: [[29000, 29999]],
  MG: [[30000, 39999]],
  BA: [[40000, 48999]],
  SE: [[49000, 49999]],
  PE: [[50000, 56999]],
  AL: [[57000, 57999]],
  PB: [[58000, 58999]],
  RN: [[59000, 59999]],
  CE: [[60000, 63999]],
  PI: [[64000, 64999]],
  MA: [[65000, 65999]],
  PA: [[66000, 68899]],
  AP: [[68900, 68999]],
  AM: [
    [69000, 69299],
    [69400, 69899],
  ],
  RR: [[69300, 69399]],
  AC: [[69900, 69999]],
  DF: [
    [70000, 72799],
    [73000, 73699],
  ],
  GO: [
    [72800, 72999],
    [73700, 76799],
  ],
  RO: [[76800, 76999]],
  TO: [[77000, 77999]],
  MT: [[78000, 78899]],
  MS: [[79000, 79999]],
  PR: [[80000, 87999]],
  SC: [[88000, 89999]],
  RS: [[90000, 99999]],
};

describe("demo generator: determinism", () => {
  it("gives byte-identical rows for the same seed and day, whatever the chunk size", () => {
    const again = collect(generateDemoPortfolio({ customers: 2_000, seed: 7, today: TODAY, chunkSize: 333 }));
    expect(again.chunks).toBe(7);
    expect(digest([again.customers, again.invoices, again.payments])).toBe(
      digest([portfolio.customers, portfolio.invoices, portfolio.payments]),
    );
  });

  it("changes with the seed and with the day", () => {
    const otherSeed = collect(generateDemoPortfolio({ customers: 200, seed: 8, today: TODAY }));
    const otherDay = collect(generateDemoPortfolio({ customers: 200, seed: 7, today: addDays(TODAY, 1) }));
    expect(otherSeed.customers[0]!.document).not.toBe(portfolio.customers[0]!.document);
    expect(digest(otherDay.invoices)).not.toBe(digest(portfolio.invoices.slice(0, otherDay.invoices.length)));
  });

  it("yields chunks of at most chunkSize customers, each with its own customers' invoices", () => {
    let count = 0;
    for (const chunk of generateDemoPortfolio({
      customers: 12_001,
      seed: 1,
      today: TODAY,
      chunkSize: 5_000,
    })) {
      count += 1;
      expect(chunk.customers.length).toBeLessThanOrEqual(5_000);
      const ids = new Set(chunk.customers.map((row) => row.external_id));
      expect(chunk.invoices.every((row) => ids.has(row.customer_external_id!))).toBe(true);
    }
    expect(count).toBe(3);
  });

  it("refuses an impossible reference day before generating anything", () => {
    expect(() => generateDemoPortfolio({ today: "2026-02-30" }).next()).toThrow(/2026-02-30.*AAAA-MM-DD/);
  });
});

describe("demo generator: customers", () => {
  it("has about 85% people with valid CPFs and 15% companies with valid CNPJs, some alphanumeric", () => {
    const people = portfolio.customers.filter((row) => row.kind === "person");
    const companies = portfolio.customers.filter((row) => row.kind === "company");
    expect(people.length + companies.length).toBe(2_000);
    expect(companies.length / 2_000).toBeGreaterThan(0.12);
    expect(companies.length / 2_000).toBeLessThan(0.18);
    expect(people.every((row) => isValidCpf(row.document!))).toBe(true);
    expect(companies.every((row) => isValidCnpj(row.document!))).toBe(true);
    const alphanumeric = companies.filter((row) => /[A-Z]/.test(row.document!.slice(0, 15)));
    expect(alphanumeric.length).toBeGreaterThan(5);
    expect(alphanumeric.length / companies.length).toBeLessThan(0.25);
    expect(companies.every((row) => / (Ltda|ME|EPP|SLU)$/.test(row.name!))).toBe(true);
    expect(companies.every((row) => row.tags!.split("|").includes("pj"))).toBe(true);
  });

  it("never repeats a document or an external id", () => {
    const documents = portfolio.customers.map((row) => row.document!.replace(/[^0-9A-Z]/g, ""));
    expect(new Set(documents).size).toBe(documents.length);
    for (const rows of [portfolio.customers, portfolio.invoices, portfolio.payments]) {
      expect(new Set(rows.map((row) => row.external_id)).size).toBe(rows.length);
    }
  });

  it("places every customer in a real UF whose area code and CEP range match", () => {
    const states = new Set<string>();
    for (const row of portfolio.customers) {
      expect(isState(row.state!)).toBe(true);
      states.add(row.state!);
      const cep = Number(row.postal_code!.slice(0, 5));
      expect(row.postal_code).toMatch(/^\d{5}-\d{3}$/);
      expect(CEP_RANGES[row.state!]!.some(([from, to]) => cep >= from && cep <= to)).toBe(true);
      if (row.mobile) {
        expect(row.mobile).toMatch(/^\+55\d{2}9\d{8}$/);
        expect(STATE_OF_AREA_CODE[row.mobile.slice(3, 5)]).toBe(row.state);
      }
    }
    expect(states.size).toBeGreaterThanOrEqual(20);
    const inSaoPaulo = portfolio.customers.filter((row) => row.state === "SP").length;
    expect(inSaoPaulo / 2_000).toBeGreaterThan(0.25);
  });

  it("writes emails only to reserved example domains, and leaves some customers without one", () => {
    const withEmail = portfolio.customers.filter((row) => row.email);
    for (const row of withEmail) {
      expect(row.email).toMatch(/^[a-z0-9._-]+@([a-z0-9-]+\.example|example\.(com|net|org))$/);
    }
    const withoutEmail = 2_000 - withEmail.length;
    expect(withoutEmail / 2_000).toBeGreaterThan(0.1);
    expect(withoutEmail / 2_000).toBeLessThan(0.3);
    const whatsapp = portfolio.customers.filter((row) => row.whatsapp === "sim");
    expect(whatsapp.every((row) => row.mobile)).toBe(true);
    expect(whatsapp.length / 2_000).toBeGreaterThan(0.4);
    expect(whatsapp.length / 2_000).toBeLessThan(0.8);
  });
});

describe("demo generator: invoices and payments", () => {
  const invoiceById = new Map(portfolio.invoices.map((row) => [row.external_id!, row]));
  const paymentsOf = new Map<string, CsvRow[]>();
  for (const payment of portfolio.payments) {
    const list = paymentsOf.get(payment.invoice_external_id!) ?? [];
    list.push(payment);
    paymentsOf.set(payment.invoice_external_id!, list);
  }
  const pastDue = portfolio.invoices.filter((row) => row.due_date! < TODAY);
  const fullyPaid = pastDue.filter((row) => {
    const paid = (paymentsOf.get(row.external_id!) ?? []).reduce(
      (sum, p) => sum + parseBrazilianAmount(p.amount!),
      0,
    );
    return paid >= parseBrazilianAmount(row.amount!);
  });

  it("dates every invoice from 90 days before today to 30 days after, issued before it falls due", () => {
    expect(portfolio.invoices.length).toBeGreaterThan(6_000);
    for (const row of portfolio.invoices) {
      expect(isIsoDate(row.due_date!)).toBe(true);
      expect(daysBetween(TODAY, row.due_date!)).toBeGreaterThanOrEqual(-90);
      expect(daysBetween(TODAY, row.due_date!)).toBeLessThanOrEqual(30);
      expect(row.issue_date! <= row.due_date! && row.issue_date! <= TODAY).toBe(true);
    }
    const amounts = new Set(portfolio.invoices.map((row) => parseBrazilianAmount(row.amount!)));
    expect(Math.min(...amounts)).toBe(4_990);
    expect(Math.max(...amounts)).toBe(199_000);
  });

  it("pays each payment on an invoice of the file, before today, by boleto, Pix or card", () => {
    const methods = new Map<string, number>();
    for (const payment of portfolio.payments) {
      expect(invoiceById.has(payment.invoice_external_id!)).toBe(true);
      expect(payment.paid_at!.slice(0, 10) < TODAY).toBe(true);
      methods.set(payment.method!, (methods.get(payment.method!) ?? 0) + 1);
    }
    expect([...methods.keys()].sort()).toEqual(["boleto", "card", "pix"]);
    for (const count of methods.values()) expect(count / portfolio.payments.length).toBeGreaterThan(0.1);
  });

  it("has most past invoices paid, some of them late with exactly the 2% fine and 1%/month interest", () => {
    const paidShare = fullyPaid.length / pastDue.length;
    expect(paidShare).toBeGreaterThan(0.85);
    expect(paidShare).toBeLessThan(0.95);
    const late = portfolio.payments.filter((payment) => {
      const invoice = invoiceById.get(payment.invoice_external_id!)!;
      return payment.paid_at!.slice(0, 10) > invoice.due_date! && parseBrazilianAmount(payment.amount!) > 0;
    });
    const lateFull = late.filter((payment) => {
      const invoice = invoiceById.get(payment.invoice_external_id!)!;
      return parseBrazilianAmount(payment.amount!) > parseBrazilianAmount(invoice.amount!);
    });
    expect(lateFull.length / fullyPaid.length).toBeGreaterThan(0.08);
    expect(lateFull.length / fullyPaid.length).toBeLessThan(0.2);
    for (const payment of lateFull) {
      const invoice = invoiceById.get(payment.invoice_external_id!)!;
      const principal = parseBrazilianAmount(invoice.amount!);
      const days = daysBetween(invoice.due_date!, payment.paid_at!.slice(0, 10));
      // 2% fine once + 1% a month pro rata per day, each rounded half-up to the cent.
      const expected = principal + Math.round(principal / 50) + Math.round((principal * days) / 3_000);
      expect(parseBrazilianAmount(payment.amount!)).toBe(expected);
    }
    // A few delinquent customers paid part of an invoice: it stays open.
    const partial = portfolio.payments.filter(
      (payment) =>
        parseBrazilianAmount(payment.amount!) <
        parseBrazilianAmount(invoiceById.get(payment.invoice_external_id!)!.amount!),
    );
    expect(partial.length).toBeGreaterThan(3);
  });

  it("leaves a delinquent minority with unpaid invoices aged from a few days to about 90", () => {
    const unpaid = pastDue.filter((row) => !fullyPaid.includes(row));
    const ages = unpaid.map((row) => daysBetween(row.due_date!, TODAY));
    expect(Math.min(...ages)).toBeLessThanOrEqual(3);
    expect(Math.max(...ages)).toBeGreaterThanOrEqual(80);
    expect(ages.filter((age) => age > 30).length).toBeGreaterThan(50);
    const delinquent = new Set(
      unpaid.filter((row) => daysBetween(row.due_date!, TODAY) > 5).map((row) => row.customer_external_id),
    );
    expect(delinquent.size / 2_000).toBeGreaterThan(0.1);
    expect(delinquent.size / 2_000).toBeLessThan(0.22);
    const withSeveral = [...delinquent].filter(
      (id) => unpaid.filter((row) => row.customer_external_id === id).length >= 2,
    );
    expect(withSeveral.length).toBeGreaterThan(30);
  });
});
