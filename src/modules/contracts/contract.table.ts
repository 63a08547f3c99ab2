import type { Generated, Insertable, Selectable } from "kysely";

export type ContractStatus = "active" | "suspended" | "cancelled";
export type ContractPaymentMethod = "boleto" | "pix" | "pix_automatico";

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
  /** How the contract is paid; changed when the creditor confirms the debtor's request. */
  payment_method: Generated<ContractPaymentMethod>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type ContractRow = Selectable<ContractTable>;
export type NewContractRow = Insertable<ContractTable>;
