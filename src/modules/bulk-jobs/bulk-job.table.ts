import type { ColumnType, Generated, Selectable } from "kysely";

export type BulkJobKind = "letters" | "batch_send" | "report_export";
export type BulkJobState = "queued" | "running" | "done" | "failed";

export interface BulkJobTable {
  tenant_id: string;
  id: Generated<string>;
  kind: BulkJobKind;
  state: Generated<BulkJobState>;
  input: ColumnType<unknown, string, string>;
  total: Generated<number>;
  done: Generated<number>;
  file_total: number | null;
  file_done: Generated<number>;
  errors: ColumnType<unknown, string | undefined, string>;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  file_name: string | null;
  file_type: string | null;
  file_content: Buffer | null;
  failure: string | null;
  created_by: string | null;
  created_at: Date;
  started_at: Date | null;
  lease_until: Date | null;
  attempts: Generated<number>;
  finished_at: Date | null;
}

export type BulkJobRow = Selectable<BulkJobTable>;
