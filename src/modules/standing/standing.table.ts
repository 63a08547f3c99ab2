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

/** The last day the daily run decided standing, with the fingerprint of its tenant-wide inputs. */
export interface StandingDecisionTable {
  tenant_id: string;
  decided_on: string;
  overdue_cutoff: string;
  fingerprint: string;
  decided_at: Date;
}

/** Customers to decide again on the next daily run (marked by the database's triggers). */
export interface StandingStaleCustomerTable {
  tenant_id: string;
  customer_id: string;
  marked_at: Generated<Date>;
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
