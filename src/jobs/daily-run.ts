import type { Kysely } from "kysely";
import type { Database } from "../db/database.ts";
import { type IsoDate, todayIn } from "../domain/dates.ts";
import { type DayReport, runDay } from "../modules/actions/run-day.ts";
import { listTenants } from "../modules/tenants/tenant.service.ts";

/** The local hour from which a tenant's day is planned (its messages then wait for the contact window). */
export const DAILY_RUN_LOCAL_HOUR = 6;

export interface DueRun {
  tenantSlug: string;
  date: IsoDate;
  report: DayReport;
}

/**
 * Runs the régua's day for every tenant whose local clock has reached the run hour and whose day
 * has not been planned yet. Triggered by an hourly pg-boss schedule, which fires once per tick
 * however many workers run; planning is idempotent besides (unique actions, planner_runs), so a
 * repeated trigger changes nothing. Tenants are few: the loop is over tenants, never over invoices.
 */
export async function runDueTenants(db: Kysely<Database>, now: Date): Promise<DueRun[]> {
  const done: DueRun[] = [];
  for (const tenant of await listTenants(db)) {
    if (localHour(tenant.timeZone, now) < DAILY_RUN_LOCAL_HOUR) continue;
    const date = todayIn(tenant.timeZone, now);
    const alreadyRan = await db
      .selectFrom("planner_runs")
      .select("day")
      .where("tenant_id", "=", tenant.id)
      .where("day", "=", date)
      .executeTakeFirst();
    if (alreadyRan) continue;
    done.push({ tenantSlug: tenant.slug, date, report: await runDay(db, tenant, date, { now }) });
  }
  return done;
}

function localHour(timeZone: string, instant: Date): number {
  const hour = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", hourCycle: "h23" }).format(
    instant,
  );
  return Number(hour);
}
