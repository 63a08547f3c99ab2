import type { ColumnType, Generated, Selectable } from "kysely";
import type { Standing } from "../../domain/standing.ts";

export interface StandingTable {
  tenant_id: string;
  subject_kind: "customer" | "contract";
  subject_id: string;
  customer_id: string;
  standing: Standing;
  since: string;
  reason: string;
  reopened_on: string | null;
  updated_at: Generated<Date>;
}

export interface StandingTransitionTable {
  tenant_id: string;
  id: Generated<string>;
  subject_kind: "customer" | "contract";
  subject_id: string;
  customer_id: string;
  from_standing: Standing;
  to_standing: Standing;
  reason: string;
  effective_on: string;
  at: Date;
}

export interface CustomerPauseTable {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  invoice_id: string | null;
  kind: "pause" | "dispute";
  until: string | null;
  reason: string;
  released_at: Date | null;
  created_at: Generated<Date>;
}

export interface DomainEventTable {
  tenant_id: string;
  id: Generated<string>;
  seq: Generated<number>;
  type: string;
  customer_id: string | null;
  payload: ColumnType<unknown, string, string>;
  occurred_at: Date;
}

export type StandingRow = Selectable<StandingTable>;
export type StandingTransitionRow = Selectable<StandingTransitionTable>;
export type DomainEventRow = Selectable<DomainEventTable>;
