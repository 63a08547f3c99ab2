import type { ColumnType, Generated } from "kysely";

export interface ImportJobTable {
  tenant_id: string;
  id: Generated<string>;
  kind: "customers" | "invoices" | "payments";
  status: Generated<"running" | "succeeded" | "failed">;
  dry_run: Generated<boolean>;
  done: Generated<number>;
  total: Generated<number>;
  report: ColumnType<unknown, string | null, string | null>;
  error: string | null;
  created_at: Generated<Date>;
  finished_at: Date | null;
}
