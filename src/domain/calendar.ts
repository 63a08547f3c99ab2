import {
  civilOf,
  dayNumber,
  dayNumberOf,
  fromDayNumber,
  type IsoDate,
  isIsoDate,
  isLeapYear,
  weekdayOfDayNumber,
} from "./dates.ts";

/**
 * The Brazilian bank calendar: which days banks settle payments on. Not business days: Saturdays,
 * Sundays, national holidays (Lei 662/1949, Lei 6.802/1980, Lei 14.759/2023 for Nov 20), Carnival
 * Monday and Tuesday and Good Friday and Corpus Christi (movable, derived from Easter), plus the
 * holidays of the place (state table below, tenant-supplied extras).
 */

export interface Holiday {
  date: IsoDate;
  name: string;
}

/** A tenant-configured holiday: 'YYYY-MM-DD' (that year only) or 'MM-DD' (every year). */
export interface ExtraHoliday {
  date: string;
  name: string;
  /** UF: applies only to a calendar of that state. */
  state?: string;
  /** City name: applies only to a calendar of that city. */
  city?: string;
}

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  return fromDayNumber(easterDayNumber(year));
}

function easterDayNumber(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumberOf(year, month, day);
}

interface FixedHoliday {
  monthDay: string;
  name: string;
  /** First year it is observed. */
  since?: number;
}

const FIXED_NATIONAL: FixedHoliday[] = [
  { monthDay: "01-01", name: "Confraternização Universal" },
  { monthDay: "04-21", name: "Tiradentes" },
  { monthDay: "05-01", name: "Dia do Trabalho" },
  { monthDay: "09-07", name: "Independência do Brasil" },
  { monthDay: "10-12", name: "Nossa Senhora Aparecida" },
  { monthDay: "11-02", name: "Finados" },
  { monthDay: "11-15", name: "Proclamação da República" },
  // National since Lei 14.759/2023; before that only some states and cities kept it.
  { monthDay: "11-20", name: "Dia Nacional de Zumbi e da Consciência Negra", since: 2024 },
  { monthDay: "12-25", name: "Natal" },
];

/** Days that are bank holidays everywhere in Brazil in `year`, sorted by date (weekends not listed). */
export function nationalBankHolidays(year: number): Holiday[] {
  const easter = easterDayNumber(year);
  const holidays: Holiday[] = FIXED_NATIONAL.filter((holiday) => !holiday.since || year >= holiday.since).map(
    (holiday) => ({ date: `${pad4(year)}-${holiday.monthDay}`, name: holiday.name }),
  );
  // Ash Wednesday (easter − 46) is a half day for banks, still a business day.
  holidays.push(
    { date: fromDayNumber(easter - 48), name: "Carnaval (segunda-feira)" },
    { date: fromDayNumber(easter - 47), name: "Carnaval (terça-feira)" },
    { date: fromDayNumber(easter - 2), name: "Sexta-feira da Paixão" },
    { date: fromDayNumber(easter + 60), name: "Corpus Christi" },
  );
  return holidays.sort(byDate);
}

/**
 * The states' own holidays (state laws), as commonly observed by banks in that state. A tenant can
 * add what this table misses (or city holidays) as ExtraHoliday entries.
 */
const STATE_HOLIDAYS: Record<string, FixedHoliday[]> = {
  AC: [
    { monthDay: "01-23", name: "Dia do Evangélico" },
    { monthDay: "06-15", name: "Aniversário do Acre" },
    { monthDay: "09-05", name: "Dia da Amazônia" },
    { monthDay: "11-17", name: "Assinatura do Tratado de Petrópolis" },
  ],
  AL: [
    { monthDay: "06-24", name: "São João" },
    { monthDay: "06-29", name: "São Pedro" },
    { monthDay: "09-16", name: "Emancipação Política de Alagoas" },
  ],
  AP: [
    { monthDay: "03-19", name: "São José" },
    { monthDay: "10-05", name: "Criação do Estado do Amapá" },
  ],
  AM: [
    { monthDay: "09-05", name: "Elevação do Amazonas à Categoria de Província" },
    { monthDay: "12-08", name: "Nossa Senhora da Conceição" },
  ],
  BA: [{ monthDay: "07-02", name: "Independência da Bahia" }],
  CE: [
    { monthDay: "03-19", name: "São José" },
    { monthDay: "03-25", name: "Data Magna do Ceará" },
  ],
  DF: [{ monthDay: "11-30", name: "Dia do Evangélico" }],
  ES: [],
  GO: [],
  MA: [{ monthDay: "07-28", name: "Adesão do Maranhão à Independência do Brasil" }],
  MT: [],
  MS: [{ monthDay: "10-11", name: "Criação do Estado de Mato Grosso do Sul" }],
  MG: [],
  PA: [{ monthDay: "08-15", name: "Adesão do Grão-Pará à Independência do Brasil" }],
  PB: [{ monthDay: "08-05", name: "Fundação do Estado da Paraíba" }],
  PR: [{ monthDay: "12-19", name: "Emancipação Política do Paraná" }],
  PE: [{ monthDay: "03-06", name: "Data Magna de Pernambuco (Revolução Pernambucana)" }],
  PI: [{ monthDay: "10-19", name: "Dia do Piauí" }],
  RJ: [{ monthDay: "04-23", name: "São Jorge" }],
  RN: [
    { monthDay: "06-29", name: "São Pedro" },
    { monthDay: "10-03", name: "Mártires de Cunhaú e Uruaçu" },
  ],
  RS: [{ monthDay: "09-20", name: "Revolução Farroupilha" }],
  RO: [
    { monthDay: "01-04", name: "Criação do Estado de Rondônia" },
    { monthDay: "06-18", name: "Dia do Evangélico" },
  ],
  RR: [{ monthDay: "10-05", name: "Criação do Estado de Roraima" }],
  SC: [],
  SP: [{ monthDay: "07-09", name: "Revolução Constitucionalista de 1932" }],
  SE: [{ monthDay: "07-08", name: "Emancipação Política de Sergipe" }],
  TO: [
    { monthDay: "03-18", name: "Autonomia do Estado do Tocantins" },
    { monthDay: "09-08", name: "Nossa Senhora da Natividade" },
    { monthDay: "10-05", name: "Criação do Estado do Tocantins" },
  ],
};

/** The holidays a state adds to the national ones in `year` (empty for an unknown UF), sorted. */
export function stateHolidays(year: number, uf: string): Holiday[] {
  return (STATE_HOLIDAYS[uf.toUpperCase()] ?? [])
    .filter((holiday) => !holiday.since || year >= holiday.since)
    .map((holiday) => ({ date: `${pad4(year)}-${holiday.monthDay}`, name: holiday.name }))
    .sort(byDate);
}

interface YearCache {
  /** Day number of Jan 1. */
  start: number;
  /** 1 where the day (index = day of year) is not a business day. */
  closed: Uint8Array;
  holidays: Holiday[];
}

/**
 * Business days of one place: national holidays, the state's table when `place.state` is given, and
 * the tenant's extras that apply to the place. Each year is computed once and cached as a bitmap,
 * so lookups cost a few array reads.
 */
export class BusinessCalendar {
  private readonly extra: ExtraHoliday[];
  private readonly state: string | undefined;
  private readonly city: string | undefined;
  private readonly years = new Map<number, YearCache>();
  private last: YearCache | undefined;

  constructor(extra: ExtraHoliday[] = [], place: { state?: string; city?: string } = {}) {
    for (const holiday of extra) {
      const valid = /^\d{2}-\d{2}$/.test(holiday.date)
        ? isIsoDate(`2024-${holiday.date}`)
        : isIsoDate(holiday.date);
      if (!valid) {
        throw new Error(
          `feriado "${holiday.name}": data "${holiday.date}" inválida; use AAAA-MM-DD (um ano) ou MM-DD (todo ano)`,
        );
      }
    }
    this.extra = extra;
    this.state = place.state?.toUpperCase();
    this.city = place.city === undefined ? undefined : normalizeCity(place.city);
  }

  /** Whether banks settle payments on that date. */
  isBusinessDay(date: IsoDate): boolean {
    return this.isBusinessDayNumber(dayNumber(date));
  }

  /** `isBusinessDay` for a day number (days since 1970-01-01). */
  isBusinessDayNumber(n: number): boolean {
    let cache = this.last;
    if (cache === undefined || n < cache.start || n >= cache.start + cache.closed.length) {
      cache = this.yearOf(civilOf(n).year);
      this.last = cache;
    }
    return cache.closed[n - cache.start] === 0;
  }

  /** Every non-weekend holiday of the place in `year` (national, state, extras), sorted by date. */
  holidaysOf(year: number): Holiday[] {
    return this.yearOf(year).holidays.map((holiday) => ({ ...holiday }));
  }

  /** The date itself when it is a business day, else the next one (Lei 7.089/1983 payment rule). */
  nextBusinessDay(date: IsoDate): IsoDate {
    return fromDayNumber(this.nextBusinessDayNumber(dayNumber(date)));
  }

  /** `nextBusinessDay` for day numbers. */
  nextBusinessDayNumber(n: number): number {
    let day = n;
    while (!this.isBusinessDayNumber(day)) day += 1;
    return day;
  }

  /**
   * The business day `n` business days after `date` (before, when negative), not counting `date`
   * itself; `n = 0` returns `date` unchanged.
   */
  addBusinessDays(date: IsoDate, n: number): IsoDate {
    let day = dayNumber(date);
    const step = n < 0 ? -1 : 1;
    let remaining = Math.abs(n);
    while (remaining > 0) {
      day += step;
      if (this.isBusinessDayNumber(day)) remaining -= 1;
    }
    return fromDayNumber(day);
  }

  /**
   * Business days in (from, to]: so that `addBusinessDays(from, k) === to` for a business day `to`.
   * Negative when `to` is before `from`.
   */
  businessDaysBetween(from: IsoDate, to: IsoDate): number {
    const start = dayNumber(from);
    const end = dayNumber(to);
    if (end < start) return -this.businessDaysBetween(to, from);
    let count = 0;
    for (let day = start + 1; day <= end; day += 1) if (this.isBusinessDayNumber(day)) count += 1;
    return count;
  }

  private yearOf(year: number): YearCache {
    const cached = this.years.get(year);
    if (cached) return cached;
    const start = dayNumberOf(year, 1, 1);
    const closed = new Uint8Array(isLeapYear(year) ? 366 : 365);
    for (let index = 0; index < closed.length; index += 1) {
      const weekday = weekdayOfDayNumber(start + index);
      if (weekday === 0 || weekday === 6) closed[index] = 1;
    }
    const byDay = new Map<string, Holiday>();
    const add = (holiday: Holiday) => {
      if (!byDay.has(holiday.date)) byDay.set(holiday.date, holiday);
    };
    for (const holiday of nationalBankHolidays(year)) add(holiday);
    if (this.state) for (const holiday of stateHolidays(year, this.state)) add(holiday);
    for (const extra of this.extra) {
      if (!this.applies(extra)) continue;
      if (/^\d{2}-\d{2}$/.test(extra.date)) {
        if (extra.date === "02-29" && !isLeapYear(year)) continue;
        add({ date: `${pad4(year)}-${extra.date}`, name: extra.name });
      } else if (extra.date.startsWith(`${pad4(year)}-`)) {
        add({ date: extra.date, name: extra.name });
      }
    }
    const holidays = [...byDay.values()].sort(byDate);
    for (const holiday of holidays) closed[dayNumber(holiday.date) - start] = 1;
    const entry: YearCache = { start, closed, holidays };
    this.years.set(year, entry);
    return entry;
  }

  private applies(extra: ExtraHoliday): boolean {
    if (extra.state && extra.state.toUpperCase() !== this.state) return false;
    if (extra.city && normalizeCity(extra.city) !== this.city) return false;
    return true;
  }
}

function normalizeCity(city: string): string {
  return city.normalize("NFD").replace(/\p{M}/gu, "").trim().toLowerCase();
}

function byDate(a: Holiday, b: Holiday): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}

function pad4(year: number): string {
  return String(year).padStart(4, "0");
}
