import { z } from "zod";
import type { IsoDate } from "../../domain/dates.ts";
import type { PlanResult } from "../actions/planner.ts";
import type { StandingChange } from "../standing/standing.service.ts";
import type { DailyRunStatus, DailyRunSummary } from "./daily-run.table.ts";

/**
 * Glossary: the daily run is one day of the régua for one tenant — its agreements moved by the
 * calendar, the missed contact windows caught up, the day's actions planned, the invoices that
 * became overdue announced and standing applied. A run is recorded per tenant and date
 * (`daily_runs`): 'running' while an attempt is under way, 'done' once every step committed,
 * 'failed' with the reason of the last attempt (retried by its job and by the hourly trigger).
 */
export interface DayReport {
  tenantId: string;
  date: IsoDate;
  /** The day standing was applied for: `date`, or today when `date` is in the past (never backwards). */
  standingDate: IsoDate;
  plan: PlanResult;
  standing: StandingChange[];
  /** Agreements the day moved (activated, completed, lapsed, broken). */
  agreements: { id: string; move: string }[];
  /** invoices that became overdue today (one `invoice.overdue` event each) */
  overdue: number;
  /** planned actions whose contact window passed unsent, moved to the next window (or skipped) */
  caughtUp: { moved: number; skipped: number };
}

export interface DailyRun {
  date: IsoDate;
  status: DailyRunStatus;
  attempts: number;
  startedAt: Date;
  finishedAt: Date | null;
  /** why the last attempt failed (null unless status is 'failed') */
  error: string | null;
  summary: DailyRunSummary | null;
}

export const ZRunsQuery = z.object({
  status: z.enum(["running", "done", "failed"]).optional(),
  limit: z.coerce.number().int().min(1).max(366).default(30),
});
export type TRunsQuery = z.infer<typeof ZRunsQuery>;
