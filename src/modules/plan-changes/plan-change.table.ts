import type { Generated, Selectable } from "kysely";

export interface PlanCatalogueTable {
  tenant_id: string;
  /** `[{ name, monthlyPriceCents }]`, as `ZPlanCatalogue`. */
  plans: Generated<unknown>;
  updated_at: Generated<Date>;
}

export interface PlanChangeRequestTable {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  contract_id: string;
  kind: "plan" | "payment_method";
  current_value: string;
  requested_value: string;
  monthly_price_cents: number | null;
  status: Generated<"requested" | "confirmed" | "declined">;
  requested_at: Date;
  decided_at: Date | null;
}

export type PlanChangeRequestRow = Selectable<PlanChangeRequestTable>;
