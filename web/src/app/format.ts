/** Display formats of the dashboard (pt-BR): money from integer cents, dates from 'YYYY-MM-DD'. */
const money = new Intl.NumberFormat("pt-BR", { style: "currency", currency: "BRL" });
const integer = new Intl.NumberFormat("pt-BR");
const percent = new Intl.NumberFormat("pt-BR", { style: "percent", maximumFractionDigits: 1 });

export function formatCents(cents: number): string {
  return money.format(cents / 100);
}

export function formatCount(value: number): string {
  return integer.format(value);
}

export function formatRatio(ratio: number): string {
  return percent.format(ratio);
}

/** '2026-11-23' → '23/11/2026' (no time zone involved: a date is a date). */
export function formatDate(date: string): string {
  const [year, month, day] = date.slice(0, 10).split("-");
  return `${day}/${month}/${year}`;
}

/**
 * The day of an ISO instant in the tenant's time zone, as '23/11/2026': an opt-out at 22:30 in São
 * Paulo is that day, not UTC's next one (the server's todayIn, for the browser).
 */
export function formatDayOf(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat("pt-BR", {
    timeZone,
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
  }).format(new Date(instant));
}

/** An ISO instant shown in the browser's time zone. */
export function formatInstant(instant: string): string {
  return new Date(instant).toLocaleString("pt-BR", { dateStyle: "short", timeStyle: "short" });
}

/** What an operator types as an amount ('150', '150,5', '1.234,56', 'R$ 10,00') in cents, or null. */
export function parseReais(text: string): number | null {
  const cleaned = text.replace(/R\$\s*/i, "").replace(/\s/g, "");
  if (!/^\d{1,3}(\.\d{3})*(,\d{1,2})?$|^\d+(,\d{1,2})?$/.test(cleaned)) return null;
  const [whole = "0", fraction = ""] = cleaned.replace(/\./g, "").split(",");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}

const points = new Intl.NumberFormat("pt-BR", {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
  signDisplay: "exceptZero",
});
const signedMoney = new Intl.NumberFormat("pt-BR", {
  style: "currency",
  currency: "BRL",
  signDisplay: "exceptZero",
});

/** A difference of two rates (0.301) in percentage points, signed: '+30,1 p.p.'. */
export function formatPoints(difference: number): string {
  return `${points.format(difference * 100)} p.p.`;
}

/** A difference in cents, signed: '+R$ 30,10'. */
export function formatSignedCents(cents: number): string {
  return signedMoney.format(cents / 100);
}
