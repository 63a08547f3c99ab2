/**
 * The size of the scale bench (bench/scale.bench.ts): `npm run bench -- --scale 10m` sets it for
 * the bench processes through REGUA_BENCH_SCALE. A number of invoices with `k` or `m` (`1m`, `10m`;
 * `0.1m` for a quick try); five invoices per customer, and an import of a tenth as many rows.
 */
export interface BenchScale {
  label: string;
  invoices: number;
  customers: number;
  importRows: number;
}

export const SCALE_ENV = "REGUA_BENCH_SCALE";
export const DEFAULT_SCALE = "1m";
export const INVOICES_PER_CUSTOMER = 5;

/** Parses `10m`, `1m`, `0.1m`, `500k`; undefined for anything else. */
export function parseScale(text: string): BenchScale | undefined {
  const match = /^(\d+(?:\.\d+)?)([km])$/i.exec(text.trim());
  if (!match) return undefined;
  const invoices = Math.round(Number(match[1]) * (match[2]!.toLowerCase() === "m" ? 1_000_000 : 1_000));
  const customers = Math.floor(invoices / INVOICES_PER_CUSTOMER);
  if (customers < 1000) return undefined;
  return {
    label: text.trim().toLowerCase(),
    invoices: customers * INVOICES_PER_CUSTOMER,
    customers,
    importRows: Math.floor(invoices / 10),
  };
}

/** The scale the bench runner was given (DEFAULT_SCALE when none). */
export function benchScale(): BenchScale {
  const text = process.env[SCALE_ENV] ?? DEFAULT_SCALE;
  const scale = parseScale(text);
  if (!scale) throw new Error(`${SCALE_ENV}=${text}: use a number of invoices such as 1m, 10m or 0.1m`);
  return scale;
}

/** "10,000,000" — how the figures' names and notes quote sizes. */
export function count(value: number): string {
  return value.toLocaleString("en");
}
