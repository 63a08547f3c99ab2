import type { ColumnType, Selectable } from "kysely";

export type DailyRunStatus = "running" | "done" | "failed";

/** What a finished day did, kept on its row for `regua runs` and GET /v1/runs. */
export interface DailyRunSummary {
  plannedDays: string[];
  actions: number;
  agreementMoves: number;
  standingChanges: number;
  overdue: number;
}

export interface DailyRunTable {
  tenant_id: string;
  day: string;
  status: DailyRunStatus;
  attempts: ColumnType<number, number | undefined, number>;
  started_at: Date;
  finished_at: Date | null;
  error: string | null;
  summary: ColumnType<DailyRunSummary | null, string | null, string | null>;
}

export type DailyRunRow = Selectable<DailyRunTable>;
