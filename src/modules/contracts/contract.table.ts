import type { Generated, Insertable, Selectable } from "kysely";

export type ContractStatus = "active" | "suspended" | "cancelled";

export interface ContractTable {
  tenant_id: string;
  id: Generated<string>;
  external_id: string;
  customer_id: string;
  plan: string;
  status: Generated<ContractStatus>;
  consumer: Generated<boolean>;
  fine_bps: number | null;
  interest_monthly_bps: number | null;
  early_discount_bps: number | null;
  early_discount_days: number | null;
  started_on: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type ContractRow = Selectable<ContractTable>;
export type NewContractRow = Insertable<ContractTable>;
