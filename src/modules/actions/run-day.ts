import type { Executor } from "../../db/database.ts";
import type { IsoDate } from "../../domain/dates.ts";
import { applyStanding, type StandingChange } from "../standing/standing.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { type PlanOptions, type PlanResult, planDay } from "./planner.ts";

export interface DayReport {
  tenantId: string;
  date: IsoDate;
  plan: PlanResult;
  standing: StandingChange[];
}

/**
 * One day of the régua for one tenant, the single entry point of the daily job and of
 * `regua run`/`regua simulate`: plan the day's actions, then apply standing.
 */
export async function runDay(
  db: Executor,
  tenant: Tenant,
  date: IsoDate,
  options: PlanOptions = {},
): Promise<DayReport> {
  const plan = await planDay(db, tenant, date, options);
  const standing = await applyStanding(db, tenant, date, options.now ? { now: options.now } : {});
  return { tenantId: tenant.id, date, plan, standing };
}
