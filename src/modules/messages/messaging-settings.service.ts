import type { Executor } from "../../db/database.ts";
import { publicUrl } from "../../shared/config.ts";
import { validationError } from "../../shared/errors.ts";
import { assertOutboundUrl } from "../../shared/outbound.ts";
import { maskSecret, openSecretOrNull, sealSecretOrNull } from "../../shared/secret-box.ts";
import { parseInput } from "../../shared/validation.ts";
import { findMessagingSettings } from "../templates/template.repository.ts";
import type { MessagingSettingsRow } from "../templates/template.table.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { type MessagingSettingsChanges, upsertMessagingSettings } from "./messaging-settings.repository.ts";
import {
  type MessagingSettings,
  type TUpdateMessagingSettings,
  ZUpdateMessagingSettings,
} from "./messaging-settings.ts";

/** "smtps://cobranca:••••abcd@smtp.example.com:465": the host stays readable, the password does not. */
function maskSmtpUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    const password = decodeURIComponent(parsed.password);
    return url.replace(`:${parsed.password}@`, `:${maskSecret(password)}@`);
  } catch {
    return maskSecret(url);
  }
}

export function callbackUrls(tenant: Tenant): MessagingSettings["callbackUrls"] {
  const base = publicUrl();
  const slug = encodeURIComponent(tenant.slug);
  return {
    twilio: `${base}/v1/providers/twilio/callbacks`,
    zenvia: `${base}/v1/providers/zenvia/callbacks?tenant=${slug}`,
    whatsapp: `${base}/v1/providers/whatsapp/callbacks?tenant=${slug}`,
  };
}

function settingsFromRow(tenant: Tenant, row: MessagingSettingsRow | undefined): MessagingSettings {
  return {
    emailFrom: row?.email_from ?? null,
    smtpUrl: maskSmtpUrl(openSecretOrNull(row?.smtp_url)),
    emailPerSecond: row?.email_per_second ?? 50,
    smsProvider: row?.sms_provider ?? null,
    smsBaseUrl: row?.sms_base_url ?? null,
    smsAccount: row?.sms_account ?? null,
    smsToken: maskSecret(openSecretOrNull(row?.sms_token)),
    smsCallbackToken: maskSecret(openSecretOrNull(row?.sms_callback_token)),
    smsFrom: row?.sms_from ?? null,
    smsPriceCents: row?.sms_price_cents ?? 9,
    smsMaxSegments: row?.sms_max_segments ?? 3,
    smsPerSecond: row?.sms_per_second ?? 100,
    whatsappBaseUrl: row?.whatsapp_base_url ?? null,
    whatsappVersion: row?.whatsapp_version ?? "v21.0",
    whatsappPhoneNumberId: row?.whatsapp_phone_number_id ?? null,
    whatsappToken: maskSecret(openSecretOrNull(row?.whatsapp_token)),
    whatsappAppSecret: maskSecret(openSecretOrNull(row?.whatsapp_app_secret)),
    whatsappVerifyToken: maskSecret(openSecretOrNull(row?.whatsapp_verify_token)),
    whatsappPriceCents: row?.whatsapp_price_cents ?? 35,
    whatsappPerSecond: row?.whatsapp_per_second ?? 20,
    callbackUrls: callbackUrls(tenant),
  };
}

export async function getMessagingSettings(db: Executor, tenant: Tenant): Promise<MessagingSettings> {
  return settingsFromRow(tenant, await findMessagingSettings(db, tenant.id));
}

const PLAIN_COLUMNS = {
  emailFrom: "email_from",
  emailPerSecond: "email_per_second",
  smsProvider: "sms_provider",
  smsBaseUrl: "sms_base_url",
  smsAccount: "sms_account",
  smsFrom: "sms_from",
  smsPriceCents: "sms_price_cents",
  smsMaxSegments: "sms_max_segments",
  smsPerSecond: "sms_per_second",
  whatsappBaseUrl: "whatsapp_base_url",
  whatsappVersion: "whatsapp_version",
  whatsappPhoneNumberId: "whatsapp_phone_number_id",
  whatsappPriceCents: "whatsapp_price_cents",
  whatsappPerSecond: "whatsapp_per_second",
} as const;

const SEALED_COLUMNS = {
  smtpUrl: "smtp_url",
  smsToken: "sms_token",
  smsCallbackToken: "sms_callback_token",
  whatsappToken: "whatsapp_token",
  whatsappAppSecret: "whatsapp_app_secret",
  whatsappVerifyToken: "whatsapp_verify_token",
} as const;

/** Changes the given fields; credentials are sealed before they reach the database. */
export async function updateMessagingSettings(
  db: Executor,
  tenant: Tenant,
  input: TUpdateMessagingSettings,
): Promise<MessagingSettings> {
  const data = parseInput(ZUpdateMessagingSettings, input);
  if (data.smsProvider === "twilio" && data.smsAccount === null) {
    throw validationError("smsAccount", "a Twilio precisa do Account SID (AC…)");
  }
  // the provider URLs are called on the tenant's behalf: never at an internal address
  await assertOutboundUrl("smsBaseUrl", data.smsBaseUrl);
  await assertOutboundUrl("whatsappBaseUrl", data.whatsappBaseUrl);
  await assertOutboundUrl("smtpUrl", data.smtpUrl);
  const changes: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(PLAIN_COLUMNS)) {
    const value = data[field as keyof typeof PLAIN_COLUMNS];
    if (value !== undefined) changes[column] = value;
  }
  for (const [field, column] of Object.entries(SEALED_COLUMNS)) {
    const value = data[field as keyof typeof SEALED_COLUMNS];
    if (value !== undefined) changes[column] = sealSecretOrNull(value);
  }
  const row = await upsertMessagingSettings(db, tenant.id, changes as MessagingSettingsChanges);
  return settingsFromRow(tenant, row);
}
