import type { Generated, Selectable } from "kysely";

export type ExperimentArm = "control" | "variant" | "holdout";

export interface ExperimentTable {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  control_policy_id: string;
  variant_policy_id: string | null;
  holdout_bps: number;
  horizon_days: number;
  status: Generated<"running" | "stopped">;
  started_on: string;
  stopped_on: string | null;
  created_at: Generated<Date>;
}

export interface ExperimentAssignmentTable {
  tenant_id: string;
  experiment_id: string;
  customer_id: string;
  arm: ExperimentArm;
  assigned_on: string;
}

export type ExperimentRow = Selectable<ExperimentTable>;
