import type { Generated, Selectable } from "kysely";
import type { ChannelName } from "../policies/policy.table.ts";

export type ActionStatus = "planned" | "skipped" | "sent" | "delivered" | "failed";

export interface DunningActionTable {
  tenant_id: string;
  id: Generated<string>;
  invoice_id: string;
  customer_id: string;
  policy_id: string;
  step_id: string;
  step_name: string;
  offset_days: number;
  channel: ChannelName;
  template: string;
  group_key: string;
  status: ActionStatus;
  skip_reason: string | null;
  planned_on: string;
  send_on: string;
  scheduled_for: Date;
  send_until: Date;
  amount_cents: number;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type DunningActionRow = Selectable<DunningActionTable>;
