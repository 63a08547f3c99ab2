import type { Executor } from "../../db/database.ts";
import { BusinessCalendar } from "../../domain/calendar.ts";
import { addDays, todayIn } from "../../domain/dates.ts";
import { firstContactSlot } from "../../domain/dunning-schedule.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { loadContactWindows } from "./policy.service.ts";

/** The instant of a local wall-clock time in a time zone (for contact hours). */
export function localInstant(day: string, time: string, timeZone: string): Date {
  const guess = new Date(`${day}T${time}:00Z`);
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(guess);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const shown = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  return new Date(guess.getTime() - (shown - guess.getTime()));
}

export interface ContactSlot {
  sendOn: string;
  scheduledFor: Date;
  sendUntil: Date;
}

/**
 * The first legal contact slot from now, per debtor state and time zone (today's window if it is
 * still open, else the next one): what a one-off send (a batch, a campaign's offer) is scheduled
 * for. Null when no window opens in the next month.
 */
export async function contactSlots(
  db: Executor,
  tenant: Tenant,
  now: Date,
): Promise<(state: string | null, timeZone: string) => ContactSlot | null> {
  const windows = await loadContactWindows(db, tenant.id);
  const byState = new Map(windows.map((window) => [window.state, window]));
  const slots = new Map<string, { sendOn: string; scheduledFor: Date; sendUntil: Date } | null>();
  return (state: string | null, timeZone: string) => {
    const key = `${state ?? "*"}|${timeZone}`;
    if (!slots.has(key)) {
      const window = byState.get(state ?? "*") ?? byState.get("*");
      const calendar = new BusinessCalendar(tenant.extraHolidays, state ? { state } : {});
      const localToday = todayIn(timeZone, now);
      let found: { sendOn: string; scheduledFor: Date; sendUntil: Date } | null = null;
      for (
        let from = localToday;
        window && !found && from <= addDays(localToday, 31);
        from = addDays(from, 1)
      ) {
        const slot = firstContactSlot(from, window, calendar);
        if (!slot) break;
        const until = localInstant(slot.day, slot.end, timeZone);
        if (until <= now) {
          from = slot.day;
          continue;
        }
        const start = localInstant(slot.day, slot.start, timeZone);
        found = {
          sendOn: slot.day,
          scheduledFor: new Date(Math.max(start.getTime(), now.getTime())),
          sendUntil: until,
        };
      }
      slots.set(key, found);
    }
    return slots.get(key) ?? null;
  };
}
