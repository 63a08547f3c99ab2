import type { BusinessCalendar } from "./calendar.ts";
import { addDays, type IsoDate, weekday } from "./dates.ts";

/**
 * When a régua step falls and when a debtor may be contacted. The planner computes these small
 * tables here, for the days being planned, and hands them to its single SQL pass as arrays: the
 * calendar (holidays, business days) stays in one place and the SQL stays simple.
 */

export interface StepTiming {
  offsetDays: number;
  dayKind: "calendar" | "business";
}

/**
 * The day a step falls on for a due date: `offsetDays` calendar days from it, or business days
 * (offset 0 in business days is the payable date: the next business day, Lei 7.089/1983).
 */
export function stepDate(due: IsoDate, step: StepTiming, calendar: BusinessCalendar): IsoDate {
  if (step.dayKind === "calendar") return addDays(due, step.offsetDays);
  if (step.offsetDays === 0) return calendar.nextBusinessDay(due);
  return calendar.addBusinessDays(due, step.offsetDays);
}

/** Every due date whose step falls on `day` (several for business days: Friday, Saturday, Sunday → Monday). */
export function dueDatesForStepOn(day: IsoDate, step: StepTiming, calendar: BusinessCalendar): IsoDate[] {
  if (step.dayKind === "calendar") return [addDays(day, -step.offsetDays)];
  // A business day is at most a few calendar days long (long holidays included): search generously.
  const reach = Math.abs(step.offsetDays) * 3 + 20;
  const found: IsoDate[] = [];
  for (let back = -reach; back <= reach; back += 1) {
    const due = addDays(day, -step.offsetDays + back);
    if (stepDate(due, step, calendar) === day) found.push(due);
  }
  return found;
}

/**
 * The last day a reminder still makes sense: a pre-due reminder must go out before the due date;
 * the due-day reminder until the payable date. Post-due steps have no deadline (null).
 */
export function reminderDeadline(
  due: IsoDate,
  offsetDays: number,
  calendar: BusinessCalendar,
): IsoDate | null {
  if (offsetDays < 0) return addDays(due, -1);
  if (offsetDays === 0) return calendar.nextBusinessDay(due);
  return null;
}

export interface DailyWindow {
  weekday: { start: string; end: string };
  saturday: { start: string; end: string } | null;
}

export interface ContactSlot {
  day: IsoDate;
  /** Local times 'HH:MM' in the debtor's zone. */
  start: string;
  end: string;
}

/**
 * Whether a day is a bank holiday at the place (national, state, tenant extras), weekends aside:
 * used for contact hours, which never fall on Sundays or holidays (CDC art. 42, state laws).
 */
export function isHoliday(day: IsoDate, calendar: BusinessCalendar): boolean {
  const dayOfWeek = weekday(day);
  if (dayOfWeek !== 0 && dayOfWeek !== 6) return !calendar.isBusinessDay(day);
  const year = Number(day.slice(0, 4));
  return calendar.holidaysOf(year).some((holiday) => holiday.date === day);
}

/**
 * The first day on or after `from` with contact hours at the debtor's place, intersected with a
 * step's own window when it has one; null when none within `horizonDays` (a window that never
 * overlaps, say).
 */
export function firstContactSlot(
  from: IsoDate,
  window: DailyWindow,
  calendar: BusinessCalendar,
  stepWindow: { start: string; end: string } | null = null,
  horizonDays = 31,
): ContactSlot | null {
  for (let ahead = 0; ahead <= horizonDays; ahead += 1) {
    const day = addDays(from, ahead);
    const dayOfWeek = weekday(day);
    if (dayOfWeek === 0 || isHoliday(day, calendar)) continue;
    const hours = dayOfWeek === 6 ? window.saturday : window.weekday;
    if (!hours) continue;
    const start = stepWindow && stepWindow.start > hours.start ? stepWindow.start : hours.start;
    const end = stepWindow && stepWindow.end < hours.end ? stepWindow.end : hours.end;
    if (start < end) return { day, start, end };
  }
  return null;
}
