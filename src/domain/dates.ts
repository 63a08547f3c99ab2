/**
 * Calendar dates as 'YYYY-MM-DD' strings. Arithmetic goes through day numbers (days since
 * 1970-01-01, proleptic Gregorian) instead of Date objects: it is exact, free of time zones and
 * fast enough for millions of invoices.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const BRAZILIAN_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** Whether the year has a Feb 29 (Gregorian rule). */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1 = January). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
export function dayNumberOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Year, month (1–12) and day of a day number (H. Hinnant's civil_from_days). */
export function civilOf(n: number): { year: number; month: number; day: number } {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Whether `text` is 'YYYY-MM-DD' naming a real calendar day (2026-02-29 is not). */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Days since 1970-01-01 of an ISO date. Hot path: reads the digits directly and trusts the
 * shape (validate with `isIsoDate` at the boundary).
 */
export function dayNumber(date: IsoDate): number {
  const year =
    (date.charCodeAt(0) - 48) * 1000 +
    (date.charCodeAt(1) - 48) * 100 +
    (date.charCodeAt(2) - 48) * 10 +
    (date.charCodeAt(3) - 48);
  const month = (date.charCodeAt(5) - 48) * 10 + (date.charCodeAt(6) - 48);
  const day = (date.charCodeAt(8) - 48) * 10 + (date.charCodeAt(9) - 48);
  return dayNumberOf(year, month, day);
}

/** The ISO date of a day number. */
export function fromDayNumber(n: number): IsoDate {
  const { year, month, day } = civilOf(n);
  return `${String(year).padStart(4, "0")}-${month < 10 ? "0" : ""}${month}-${day < 10 ? "0" : ""}${day}`;
}

/** The date `n` calendar days after `date` (before, when negative). */
export function addDays(date: IsoDate, n: number): IsoDate {
  return fromDayNumber(dayNumber(date) + n);
}

/** Calendar days from `from` to `to` (to − from; negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** Day of the week of a day number: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOfDayNumber(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

/** Day of the week: 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  return weekdayOfDayNumber(dayNumber(date));
}

/**
 * Reads a date written the Brazilian way ('31/12/2026', also '1/2/2026') or as ISO ('2026-12-31').
 * Throws an Error with a pt-BR message when the text is not a date or the day does not exist.
 */
export function parseBrazilianDate(text: string): IsoDate {
  const trimmed = text.trim();
  let year: number;
  let month: number;
  let day: number;
  const iso = ISO_DATE.exec(trimmed);
  const brazilian = BRAZILIAN_DATE.exec(trimmed);
  if (iso) {
    year = Number(iso[1]);
    month = Number(iso[2]);
    day = Number(iso[3]);
  } else if (brazilian) {
    day = Number(brazilian[1]);
    month = Number(brazilian[2]);
    year = Number(brazilian[3]);
  } else {
    throw new Error(
      `data "${text}" em formato desconhecido: use DD/MM/AAAA (31/12/2026) ou AAAA-MM-DD (2026-12-31)`,
    );
  }
  if (month < 1 || month > 12)
    throw new Error(`data "${text}" inválida: o mês ${month} não existe (use 1 a 12)`);
  if (day < 1 || day > daysInMonth(year, month)) {
    throw new Error(
      `data "${text}" inválida: o dia ${day} não existe em ${String(month).padStart(2, "0")}/${year}`,
    );
  }
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** '2026-12-31' → '31/12/2026'. */
export function formatBrazilianDate(date: IsoDate): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day that `instant` falls on in an IANA time zone (business rules run in the tenant's zone). */
export function todayIn(timeZone: string, instant: Date): IsoDate {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    dayFormatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(instant);
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time ('HH:MM', 24 h) of `instant` in an IANA time zone. */
export function timeIn(timeZone: string, instant: Date): string {
  let formatter = timeFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    timeFormatters.set(timeZone, formatter);
  }
  return formatter.format(instant);
}
