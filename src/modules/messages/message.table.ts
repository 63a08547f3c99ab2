import type { ColumnType, Generated, Selectable } from "kysely";
import type { TemplateChannel } from "../templates/template.ts";

export type MessageState = "queued" | "sending" | "sent" | "delivered" | "failed" | "bounced" | "skipped";

export interface MessageTable {
  tenant_id: string;
  id: Generated<string>;
  action_id: string;
  group_key: string;
  customer_id: string;
  contact_id: string | null;
  channel: TemplateChannel;
  template: string;
  state: MessageState;
  reason: string | null;
  attempts: Generated<number>;
  next_attempt_at: Date;
  recipient: string | null;
  provider: string | null;
  provider_message_id: string | null;
  cost_cents: Generated<number>;
  segments: number | null;
  subject: string | null;
  body: string | null;
  /** what a letter was rendered from (letters are re-drawn from it); null on other channels */
  data: ColumnType<unknown, string | undefined | null, string | null>;
  sent_at: Date | null;
  delivered_at: Date | null;
  clicked_at: Date | null;
  /** first load of the e-mail's tracking image (migration 0041); nothing else about it is kept */
  opened_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type MessageRow = Selectable<MessageTable>;

export interface ShortLinkTable {
  code: string;
  tenant_id: string;
  message_id: string | null;
  kind: Generated<"link" | "optout" | "open">;
  contact_id: string | null;
  /** where the link leads; null for an open (tracking image) code */
  url: string | null;
  clicks: Generated<number>;
  first_clicked_at: Date | null;
  created_at: Generated<Date>;
}

export interface CapturedMessageTable {
  tenant_id: string;
  id: Generated<string>;
  message_id: string | null;
  channel: string;
  recipient: string;
  subject: string | null;
  text: string;
  html: string | null;
  created_at: Generated<Date>;
}

export interface AnalystTaskTable {
  tenant_id: string;
  id: Generated<string>;
  message_id: string;
  customer_id: string;
  title: string;
  description: string;
  status: Generated<"open" | "done">;
  due_on: string;
  created_at: Generated<Date>;
  done_at: Date | null;
}
