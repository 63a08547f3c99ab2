import type { ColumnType, Generated, Selectable } from "kysely";
import type { TemplateChannel } from "./template.ts";

export interface MessageTemplateTable {
  tenant_id: string;
  name: string;
  channel: TemplateChannel;
  subject: string | null;
  body: string;
  whatsapp_template: string | null;
  whatsapp_language: string | null;
  whatsapp_parameters: ColumnType<string[], string[] | undefined, string[]>;
  updated_at: Generated<Date>;
}

export type MessageTemplateRow = Selectable<MessageTemplateTable>;

export interface MessagingSettingsTable {
  tenant_id: string;
  email_from: string | null;
  /** sealed: it carries the SMTP password */
  smtp_url: string | null;
  email_per_second: Generated<number>;
  sms_provider: "zenvia" | "twilio" | null;
  sms_base_url: string | null;
  sms_account: string | null;
  /** sealed (src/shared/secret-box.ts), as every credential below */
  sms_token: string | null;
  /** Zenvia: the token its subscription sends back in X-Regua-Token */
  sms_callback_token: string | null;
  sms_from: string | null;
  sms_price_cents: Generated<number>;
  sms_max_segments: Generated<number>;
  sms_per_second: Generated<number>;
  whatsapp_base_url: string | null;
  whatsapp_version: Generated<string>;
  whatsapp_phone_number_id: string | null;
  whatsapp_token: string | null;
  /** signs Meta's webhooks (X-Hub-Signature-256) */
  whatsapp_app_secret: string | null;
  /** answers Meta's subscription handshake (hub.verify_token) */
  whatsapp_verify_token: string | null;
  whatsapp_price_cents: Generated<number>;
  whatsapp_per_second: Generated<number>;
  updated_at: Generated<Date>;
}

export type MessagingSettingsRow = Selectable<MessagingSettingsTable>;
