import type { ColumnType, Generated, Insertable, Selectable } from "kysely";
import type { ScoreBand } from "../../domain/score-bands.ts";

export type ChannelName = "email" | "sms" | "whatsapp" | "letter" | "webhook" | "task";
export type DayKind = "calendar" | "business";

export interface PolicyTable {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  priority: Generated<number>;
  active: Generated<boolean>;
  segment_tags: ColumnType<string[], string[] | undefined, string[]>;
  segment_kind: "person" | "company" | null;
  segment_min_amount_cents: number | null;
  segment_max_amount_cents: number | null;
  segment_plans: ColumnType<string[], string[] | undefined, string[]>;
  segment_score_bands: ColumnType<ScoreBand[], ScoreBand[] | undefined, ScoreBand[]>;
  warning_days: Generated<number>;
  suspended_days: Generated<number>;
  cancelled_days: Generated<number>;
  standing_day_kind: Generated<DayKind>;
  standing_min_amount_cents: Generated<number>;
  group_by_customer: Generated<boolean>;
  max_messages_per_channel_per_day: Generated<number>;
  max_messages_per_channel_per_week: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PolicyStepTable {
  tenant_id: string;
  id: Generated<string>;
  policy_id: string;
  name: string;
  position: number;
  offset_days: number;
  day_kind: Generated<DayKind>;
  channels: ColumnType<ChannelName[], ChannelName[], ChannelName[]>;
  templates: ColumnType<Record<string, string>, string, string>;
  min_amount_cents: number | null;
  max_amount_cents: number | null;
  verified_contacts_only: Generated<boolean>;
  only_without_channel: "email" | "sms" | "whatsapp" | null;
  only_if_step: string | null;
  only_if_outcome: "failed" | "succeeded" | null;
  score_bands: ColumnType<ScoreBand[], ScoreBand[] | undefined, ScoreBand[]>;
  window_start: string | null;
  window_end: string | null;
  attach_letter: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface PolicyAssignmentTable {
  tenant_id: string;
  id: Generated<string>;
  policy_id: string;
  customer_id: string | null;
  contract_id: string | null;
  created_at: Generated<Date>;
}

export interface PlannerRunTable {
  tenant_id: string;
  day: string;
  ran_at: Date;
  actions: number;
}

export interface ContactWindowTable {
  tenant_id: string;
  /** A UF ('SP') or '*' for every other state. */
  state: string;
  weekday_start: string;
  weekday_end: string;
  saturday_start: string | null;
  saturday_end: string | null;
}

export type PolicyRow = Selectable<PolicyTable>;
export type NewPolicyRow = Insertable<PolicyTable>;
export type PolicyStepRow = Selectable<PolicyStepTable>;
export type NewPolicyStepRow = Insertable<PolicyStepTable>;
export type ContactWindowRow = Selectable<ContactWindowTable>;
