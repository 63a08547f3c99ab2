import type { Executor } from "../../db/database.ts";
import type { IsoDate } from "../../domain/dates.ts";
import { applyAgreementLifecycle } from "../agreements/agreement.service.ts";
import { announceOverdueInvoices } from "../invoices/overdue-events.ts";
import { applyStanding, type StandingChange } from "../standing/standing.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { type PlanOptions, type PlanResult, planDay } from "./planner.ts";

export interface DayReport {
  tenantId: string;
  date: IsoDate;
  plan: PlanResult;
  standing: StandingChange[];
  /** Agreements the day moved (activated, completed, lapsed, broken). */
  agreements: { id: string; move: string }[];
  /** invoices that became overdue today (one `invoice.overdue` event each) */
  overdue: number;
}

/**
 * One day of the régua for one tenant, the single entry point of the daily job and of
 * `regua run`/`regua simulate`: move the agreements the calendar moved (a lapsed or broken one
 * gives its invoices back to the régua, so this goes first), plan the day's actions, announce the
 * invoices that became overdue (invoice.overdue), then apply standing.
 */
export async function runDay(
  db: Executor,
  tenant: Tenant,
  date: IsoDate,
  options: PlanOptions = {},
): Promise<DayReport> {
  const agreements = await applyAgreementLifecycle(
    db,
    tenant,
    date,
    options.now ?? new Date(`${date}T12:00:00Z`),
  );
  const plan = await planDay(db, tenant, date, options);
  // before standing, so that an endpoint hears of the overdue invoice before the suspension it causes
  const overdue = await announceOverdueInvoices(db, tenant, date, options.now);
  const standing = await applyStanding(db, tenant, date, options.now ? { now: options.now } : {});
  return { tenantId: tenant.id, date, plan, standing, agreements, overdue };
}
