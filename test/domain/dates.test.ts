import { describe, expect, it } from "vitest";
import {
  addDays,
  dayNumber,
  daysBetween,
  formatBrazilianDate,
  fromDayNumber,
  isIsoDate,
  parseBrazilianDate,
  todayIn,
  weekday,
} from "../../src/domain/dates.ts";

describe("dates (Gregorian calendar; 1970-01-01 was a Thursday, 2026-01-01 a Thursday)", () => {
  it("day numbers count days since 1970-01-01 and round-trip", () => {
    expect(dayNumber("1970-01-01")).toBe(0);
    expect(dayNumber("2000-03-01")).toBe(11017); // 30 years incl. 7 leap days = 10957, + 31 + 29 Jan–Feb 2000
    expect(dayNumber("1969-12-31")).toBe(-1);
    for (const date of ["1600-02-29", "1997-10-07", "2024-02-29", "2026-12-31", "2400-12-31"]) {
      expect(fromDayNumber(dayNumber(date))).toBe(date);
    }
  });

  it("checks real calendar days (leap years by the Gregorian rule)", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2026-02-29")).toBe(false);
    expect(isIsoDate("1900-02-29")).toBe(false); // century not divisible by 400
    expect(isIsoDate("2000-02-29")).toBe(true);
    expect(isIsoDate("2026-04-31")).toBe(false);
    expect(isIsoDate("2026-13-01")).toBe(false);
    expect(isIsoDate("26-01-01")).toBe(false);
  });

  it("adds days and measures intervals across months and leap days", () => {
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
    expect(daysBetween("2026-01-01", "2027-01-01")).toBe(365);
    expect(daysBetween("2024-01-01", "2025-01-01")).toBe(366);
    expect(daysBetween("2026-03-10", "2026-03-01")).toBe(-9);
  });

  it("gives weekdays with 0 = Sunday (2026 calendar: Jan 1 Thursday, Feb 16 Monday)", () => {
    expect(weekday("2026-01-01")).toBe(4);
    expect(weekday("2026-02-16")).toBe(1);
    expect(weekday("2026-11-22")).toBe(0);
    expect(weekday("1969-12-28")).toBe(0);
  });

  it("reads Brazilian and ISO dates, and formats the Brazilian way", () => {
    expect(parseBrazilianDate("31/12/2026")).toBe("2026-12-31");
    expect(parseBrazilianDate(" 1/2/2026 ")).toBe("2026-02-01");
    expect(parseBrazilianDate("2026-12-31")).toBe("2026-12-31");
    expect(formatBrazilianDate("2026-02-01")).toBe("01/02/2026");
  });

  it("says in pt-BR why a date is refused", () => {
    expect(() => parseBrazilianDate("31/02/2026")).toThrow("o dia 31 não existe em 02/2026");
    expect(() => parseBrazilianDate("10/13/2026")).toThrow("o mês 13 não existe");
    expect(() => parseBrazilianDate("12-31-2026")).toThrow("formato desconhecido: use DD/MM/AAAA");
  });

  it("finds the calendar day in a time zone (02:30 UTC is still the previous day in São Paulo, UTC−3)", () => {
    const instant = new Date("2026-03-01T02:30:00Z");
    expect(todayIn("America/Sao_Paulo", instant)).toBe("2026-02-28");
    expect(todayIn("UTC", instant)).toBe("2026-03-01");
    expect(todayIn("America/Rio_Branco", new Date("2026-03-01T04:30:00Z"))).toBe("2026-02-28"); // UTC−5
  });
});
