import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { IsoDate } from "../../domain/dates.ts";
import type { DailyRunRow, DailyRunSummary } from "./daily-run.table.ts";

/** Records the start of an attempt at a tenant's day: 'running', one more attempt, no error. */
export async function startAttempt(db: Executor, tenantId: string, day: IsoDate, at: Date): Promise<void> {
  await db
    .insertInto("daily_runs")
    .values({ tenant_id: tenantId, day, status: "running", attempts: 1, started_at: at })
    .onConflict((conflict) =>
      conflict.columns(["tenant_id", "day"]).doUpdateSet({
        status: "running",
        attempts: sql`daily_runs.attempts + 1`,
        started_at: at,
        finished_at: null,
        error: null,
      }),
    )
    .execute();
}

/** Marks the day done; called inside the transaction of its steps, so it commits with them. */
export async function markDone(
  db: Executor,
  tenantId: string,
  day: IsoDate,
  at: Date,
  summary: DailyRunSummary,
): Promise<void> {
  await db
    .updateTable("daily_runs")
    .set({ status: "done", finished_at: at, error: null, summary: JSON.stringify(summary) })
    .where("tenant_id", "=", tenantId)
    .where("day", "=", day)
    .execute();
}

export async function markFailed(
  db: Executor,
  tenantId: string,
  day: IsoDate,
  at: Date,
  error: string,
): Promise<void> {
  await db
    .updateTable("daily_runs")
    .set({ status: "failed", finished_at: at, error })
    .where("tenant_id", "=", tenantId)
    .where("day", "=", day)
    .execute();
}

/** Which of the (tenant, day) pairs are done, as "tenantId/day" keys (the trigger leaves them alone). */
export async function findDoneRuns(
  db: Executor,
  pairs: { tenantId: string; date: IsoDate }[],
): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const rows = await db
    .selectFrom("daily_runs")
    .select(["tenant_id", "day"])
    .where("tenant_id", "in", [...new Set(pairs.map((pair) => pair.tenantId))])
    .where("day", "in", [...new Set(pairs.map((pair) => pair.date))])
    .where("status", "=", "done")
    .execute();
  return new Set(rows.map((row) => `${row.tenant_id}/${row.day}`));
}

export async function findRuns(
  db: Executor,
  tenantId: string,
  filter: { status?: DailyRunRow["status"] | undefined; limit: number },
): Promise<DailyRunRow[]> {
  let query = db.selectFrom("daily_runs").selectAll().where("tenant_id", "=", tenantId);
  if (filter.status) query = query.where("status", "=", filter.status);
  return query.orderBy("day", "desc").limit(filter.limit).execute();
}
