import { describe, expect, it } from "vitest";
import { BusinessCalendar } from "../../src/domain/calendar.ts";
import {
  dueDatesForStepOn,
  firstContactSlot,
  reminderDeadline,
  stepDate,
} from "../../src/domain/dunning-schedule.ts";

const calendar = new BusinessCalendar([], { state: "SP" });
const sp = { weekday: { start: "08:00", end: "20:00" }, saturday: { start: "08:00", end: "14:00" } };
const rj = { weekday: { start: "09:00", end: "19:00" }, saturday: null };

describe("when a step falls", () => {
  it("calendar offsets count every day; business offsets skip weekends and holidays", () => {
    expect(stepDate("2026-11-17", { offsetDays: 6, dayKind: "calendar" }, calendar)).toBe("2026-11-23");
    // from Tuesday the 17th, 3 business days: 18, 19, (20 is a holiday), 23
    expect(stepDate("2026-11-17", { offsetDays: 3, dayKind: "business" }, calendar)).toBe("2026-11-23");
    expect(stepDate("2026-11-20", { offsetDays: 0, dayKind: "business" }, calendar)).toBe("2026-11-23");
  });

  it("finds every due date whose business-day step lands on a day", () => {
    const dues = dueDatesForStepOn("2026-11-23", { offsetDays: 1, dayKind: "business" }, calendar);
    expect(dues).toEqual(["2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22"]);
  });

  it("a pre-due reminder's moment ends the day before the due date; D0's on the payable date", () => {
    expect(reminderDeadline("2026-11-20", -1, calendar)).toBe("2026-11-19");
    expect(reminderDeadline("2026-11-20", 0, calendar)).toBe("2026-11-23");
    expect(reminderDeadline("2026-11-20", 6, calendar)).toBeNull();
  });
});

describe("contact hours", () => {
  it("SP allows Saturday mornings; RJ waits for Monday; nobody on Sundays or holidays", () => {
    expect(firstContactSlot("2026-12-12", sp, calendar)).toEqual({
      day: "2026-12-12",
      start: "08:00",
      end: "14:00",
    });
    expect(firstContactSlot("2026-12-12", rj, calendar)).toEqual({
      day: "2026-12-14",
      start: "09:00",
      end: "19:00",
    });
    expect(firstContactSlot("2026-12-13", sp, calendar)?.day).toBe("2026-12-14");
    expect(firstContactSlot("2026-12-25", sp, calendar)?.day).toBe("2026-12-26");
    // 2026-01-25 (Sunday) aside, São Paulo state's 09 July is a holiday there
    expect(firstContactSlot("2026-07-09", sp, calendar)?.day).toBe("2026-07-10");
  });

  it("a step's own window narrows the legal one", () => {
    expect(firstContactSlot("2026-12-14", sp, calendar, { start: "18:00", end: "22:00" })).toEqual({
      day: "2026-12-14",
      start: "18:00",
      end: "20:00",
    });
    // 15–16h on a Saturday in SP is outside 08–14h: the slot moves to Monday
    expect(firstContactSlot("2026-12-12", sp, calendar, { start: "15:00", end: "16:00" })?.day).toBe(
      "2026-12-14",
    );
  });
});
