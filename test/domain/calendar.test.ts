import { describe, expect, it } from "vitest";
import {
  BusinessCalendar,
  easterSunday,
  nationalBankHolidays,
  stateHolidays,
} from "../../src/domain/calendar.ts";

describe("bank calendar", () => {
  it("finds Easter Sunday (published Gregorian Easter dates)", () => {
    expect(easterSunday(2024)).toBe("2024-03-31");
    expect(easterSunday(2025)).toBe("2025-04-20");
    expect(easterSunday(2026)).toBe("2026-04-05");
    expect(easterSunday(2027)).toBe("2027-03-28");
    expect(easterSunday(2038)).toBe("2038-04-25"); // latest possible date
    expect(easterSunday(2285)).toBe("2285-03-22"); // earliest possible date
  });

  it("lists the 2026 national bank holidays given in DOMAIN.md (Carnival Feb 16–17, Good Friday Apr 3, Corpus Christi Jun 4)", () => {
    expect(nationalBankHolidays(2026).map((holiday) => holiday.date)).toEqual([
      "2026-01-01",
      "2026-02-16",
      "2026-02-17",
      "2026-04-03",
      "2026-04-21",
      "2026-05-01",
      "2026-06-04",
      "2026-09-07",
      "2026-10-12",
      "2026-11-02",
      "2026-11-15",
      "2026-11-20",
      "2026-12-25",
    ]);
    expect(nationalBankHolidays(2026).find((holiday) => holiday.date === "2026-02-16")?.name).toBe(
      "Carnaval (segunda-feira)",
    );
  });

  it("has Nov 20 only from 2024 (Lei 14.759/2023)", () => {
    expect(nationalBankHolidays(2023).some((holiday) => holiday.date === "2023-11-20")).toBe(false);
    expect(nationalBankHolidays(2024).some((holiday) => holiday.date === "2024-11-20")).toBe(true);
  });

  it("derives 2025's movable days from Easter (Apr 20): Carnival Mar 3–4, Good Friday Apr 18, Corpus Christi Jun 19", () => {
    const dates = nationalBankHolidays(2025).map((holiday) => holiday.date);
    expect(dates).toEqual(expect.arrayContaining(["2025-03-03", "2025-03-04", "2025-04-18", "2025-06-19"]));
    expect(dates).not.toContain("2025-03-05"); // Ash Wednesday: banks open at noon, still a business day
  });

  it("adds the state's own holidays (SP: Jul 9, Revolução Constitucionalista)", () => {
    expect(stateHolidays(2026, "SP")).toEqual([
      { date: "2026-07-09", name: "Revolução Constitucionalista de 1932" },
    ]);
    expect(stateHolidays(2026, "XX")).toEqual([]);
    const sp = new BusinessCalendar([], { state: "SP" });
    expect(sp.isBusinessDay("2026-07-09")).toBe(false);
    expect(new BusinessCalendar().isBusinessDay("2026-07-09")).toBe(true);
  });

  it("treats weekends and holidays as non-business days", () => {
    const calendar = new BusinessCalendar();
    expect(calendar.isBusinessDay("2026-11-23")).toBe(true); // Monday
    expect(calendar.isBusinessDay("2026-11-21")).toBe(false); // Saturday
    expect(calendar.isBusinessDay("2026-11-22")).toBe(false); // Sunday
    expect(calendar.isBusinessDay("2026-11-20")).toBe(false); // Friday, Consciência Negra
    expect(calendar.isBusinessDay("2026-02-18")).toBe(true); // Ash Wednesday
  });

  it("moves to the next business day across Carnival and long weekends", () => {
    const calendar = new BusinessCalendar();
    expect(calendar.nextBusinessDay("2026-02-14")).toBe("2026-02-18"); // Sat → Sun, Carnival Mon/Tue → Wed
    expect(calendar.nextBusinessDay("2026-04-03")).toBe("2026-04-06"); // Good Friday → Monday
    expect(calendar.nextBusinessDay("2026-11-20")).toBe("2026-11-23");
    expect(calendar.nextBusinessDay("2026-11-24")).toBe("2026-11-24");
    expect(calendar.nextBusinessDay("2026-12-25")).toBe("2026-12-28");
    expect(calendar.nextBusinessDay("2026-12-31")).toBe("2026-12-31"); // Thursday
    expect(calendar.nextBusinessDay("2027-01-01")).toBe("2027-01-04"); // Friday holiday → Monday
  });

  it("adds and counts business days", () => {
    const calendar = new BusinessCalendar();
    // Fri Feb 13 2026 + 1 business day: Sat, Sun, Carnival Mon, Tue skipped → Wed Feb 18
    expect(calendar.addBusinessDays("2026-02-13", 1)).toBe("2026-02-18");
    expect(calendar.addBusinessDays("2026-02-18", -1)).toBe("2026-02-13");
    expect(calendar.addBusinessDays("2026-11-16", 5)).toBe("2026-11-24"); // 17,18,19,(20 holiday),23,24
    expect(calendar.addBusinessDays("2026-11-16", 0)).toBe("2026-11-16");
    expect(calendar.businessDaysBetween("2026-11-16", "2026-11-24")).toBe(5);
    expect(calendar.businessDaysBetween("2026-11-24", "2026-11-16")).toBe(-5);
    // 2026: 365 days − 104 weekend days − 12 holidays on weekdays (Nov 15 falls on Sunday) = 249
    expect(calendar.businessDaysBetween("2025-12-31", "2026-12-31")).toBe(249);
  });

  it("applies the tenant's extra holidays to the right place", () => {
    const extra = [
      { date: "01-25", name: "Aniversário de São Paulo", city: "São Paulo", state: "SP" },
      { date: "2026-12-24", name: "Véspera de Natal (ponto facultativo da empresa)" },
      { date: "04-23", name: "São Jorge", state: "RJ" },
    ];
    const saoPaulo = new BusinessCalendar(extra, { state: "sp", city: "sao paulo" });
    const campinas = new BusinessCalendar(extra, { state: "SP", city: "Campinas" });
    expect(saoPaulo.isBusinessDay("2027-01-25")).toBe(false); // every year, Monday
    expect(campinas.isBusinessDay("2027-01-25")).toBe(true);
    expect(campinas.isBusinessDay("2026-12-24")).toBe(false); // one year only
    expect(campinas.isBusinessDay("2027-12-24")).toBe(true);
    expect(saoPaulo.holidaysOf(2026).map((holiday) => holiday.name)).toContain("Aniversário de São Paulo");
    expect(saoPaulo.holidaysOf(2026).map((holiday) => holiday.name)).not.toContain("São Jorge");
  });

  it("refuses an impossible extra holiday date in pt-BR", () => {
    expect(() => new BusinessCalendar([{ date: "2026-02-30", name: "X" }])).toThrow(
      'feriado "X": data "2026-02-30" inválida',
    );
  });
});
