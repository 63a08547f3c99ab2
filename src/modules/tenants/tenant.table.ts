import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

export interface ExtraHolidayRow {
  date: string;
  name: string;
  state?: string;
  city?: string;
}

export interface TenantTable {
  id: Generated<string>;
  slug: string;
  legal_name: string;
  document: string;
  address: string;
  time_zone: Generated<string>;
  default_fine_bps: Generated<number>;
  default_interest_monthly_bps: Generated<number>;
  extra_holidays: ColumnType<ExtraHolidayRow[], string | undefined, string>;
  is_demo: Generated<boolean>;
  boleto_bank_code: string | null;
  boleto_agency: string | null;
  boleto_account: string | null;
  boleto_wallet: Generated<string>;
  boleto_next_our_number: Generated<number>;
  pix_key: string | null;
  pix_merchant_city: string | null;
  /** the tenant's number inside the tokens it issues (token-route.ts, migration 0042) */
  route_number: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ApiKeyTable {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  prefix: string;
  secret_hash: string;
  scope: "read" | "write";
  created_at: Generated<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export type TenantRow = Selectable<TenantTable>;
export type NewTenantRow = Insertable<TenantTable>;
export type TenantUpdate = Updateable<TenantTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;
