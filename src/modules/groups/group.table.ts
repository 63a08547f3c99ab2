import type { Generated, Insertable, Selectable } from "kysely";
import type { ActorKind } from "../audit/audit.table.ts";

export type GroupPurpose = "general" | "protest" | "bureau" | "agency";

export interface CustomerGroupTable {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  purpose: GroupPurpose;
  description: Generated<string>;
  created_at: Generated<Date>;
}

export interface CustomerGroupMemberTable {
  tenant_id: string;
  id: Generated<string>;
  group_id: string;
  customer_id: string;
  added_at: Date;
  added_by_kind: ActorKind;
  added_by_id: string | null;
  notice_message_id: string | null;
  settled_on: string | null;
  removal_due_on: string | null;
  removed_at: Date | null;
}

export interface GroupSettingsTable {
  tenant_id: string;
  bureau_notice_wait_days: Generated<number>;
  updated_at: Generated<Date>;
}

export type CustomerGroupRow = Selectable<CustomerGroupTable>;
export type NewCustomerGroupRow = Insertable<CustomerGroupTable>;
export type CustomerGroupMemberRow = Selectable<CustomerGroupMemberTable>;
