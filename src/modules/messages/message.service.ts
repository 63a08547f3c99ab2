import { createHmac, timingSafeEqual } from "node:crypto";
import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError } from "../../shared/errors.ts";
import { openSecretOrNull } from "../../shared/secret-box.ts";
import { routeOfToken, routeScope } from "../tenants/token-route.ts";

/** A delivery report from a provider, in our words. */
export interface DeliveryReport {
  providerMessageId: string;
  state: "delivered" | "failed" | "sent";
  reason: string | null;
}

export type CallbackProvider = "zenvia" | "twilio" | "whatsapp";

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

/**
 * Reads a provider's delivery callback: Zenvia's MESSAGE_STATUS event (messageId,
 * messageStatus.code SENT/DELIVERED/NOT_DELIVERED/REJECTED), Twilio's status callback (form:
 * MessageSid, MessageStatus, ErrorCode), the WhatsApp Cloud API's statuses webhook
 * (entry[].changes[].value.statuses[] with id and status sent/delivered/read/failed).
 */
export function parseDeliveryReports(provider: CallbackProvider, body: unknown): DeliveryReport[] {
  const root = asRecord(body);
  if (provider === "zenvia") {
    const status = asRecord(root.messageStatus);
    const code = String(status.code ?? "");
    if (typeof root.messageId !== "string") return [];
    const state =
      code === "DELIVERED"
        ? "delivered"
        : code === "NOT_DELIVERED" || code === "REJECTED"
          ? "failed"
          : "sent";
    return [
      {
        providerMessageId: root.messageId,
        state,
        reason: state === "failed" ? `Zenvia ${code}: ${String(status.description ?? "")}`.trim() : null,
      },
    ];
  }
  if (provider === "twilio") {
    const sid = root.MessageSid ?? root.SmsSid;
    if (typeof sid !== "string") return [];
    const status = String(root.MessageStatus ?? root.SmsStatus ?? "");
    const state =
      status === "delivered" || status === "read"
        ? "delivered"
        : status === "failed" || status === "undelivered"
          ? "failed"
          : "sent";
    return [
      {
        providerMessageId: sid,
        state,
        reason: state === "failed" ? `Twilio ${status} (${String(root.ErrorCode ?? "sem código")})` : null,
      },
    ];
  }
  const reports: DeliveryReport[] = [];
  for (const entry of Array.isArray(root.entry) ? root.entry : []) {
    for (const change of Array.isArray(asRecord(entry).changes)
      ? (asRecord(entry).changes as unknown[])
      : []) {
      const value = asRecord(asRecord(change).value);
      for (const status of Array.isArray(value.statuses) ? value.statuses : []) {
        const item = asRecord(status);
        if (typeof item.id !== "string") continue;
        const code = String(item.status ?? "");
        const state =
          code === "delivered" || code === "read" ? "delivered" : code === "failed" ? "failed" : "sent";
        const error = asRecord(Array.isArray(item.errors) ? item.errors[0] : undefined);
        reports.push({
          providerMessageId: item.id,
          state,
          reason:
            state === "failed"
              ? `WhatsApp ${String(error.code ?? "")} ${String(error.title ?? "")}`.trim()
              : null,
        });
      }
    }
  }
  return reports;
}

const PROVIDER_NAME: Record<CallbackProvider, string> = {
  zenvia: "zenvia",
  twilio: "twilio",
  whatsapp: "whatsapp-cloud",
};

/**
 * Twilio signs each callback: base64 HMAC-SHA1, keyed by the auth token, of the full URL followed
 * by the POST parameters sorted by name, each name and value appended (X-Twilio-Signature).
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((text, key) => text + key + params[key], url);
  return createHmac("sha1", authToken).update(data).digest("base64");
}

/**
 * Applies delivery reports to messages and their actions: a message only moves forward (sent →
 * delivered or failed); a report for an unknown id is ignored (it may be another system's).
 */
export async function applyDeliveryReports(
  db: Executor,
  provider: CallbackProvider,
  reports: DeliveryReport[],
  clock: Clock,
  verify?: (tenantId: string) => Promise<void>,
  /** a callback verified for one tenant only moves that tenant's messages */
  onlyTenantId?: string,
): Promise<number> {
  let applied = 0;
  for (const report of reports) {
    if (report.state === "sent") continue;
    const message = await db
      .selectFrom("messages")
      .select(["tenant_id", "id", "group_key", "state"])
      .where("provider", "=", PROVIDER_NAME[provider])
      .where("provider_message_id", "=", report.providerMessageId)
      .$if(onlyTenantId !== undefined, (query) => query.where("tenant_id", "=", onlyTenantId!))
      .executeTakeFirst();
    if (!message) continue;
    if (verify) await verify(message.tenant_id);
    if (message.state !== "sent" && !(message.state === "delivered" && report.state === "failed")) continue;
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable("messages")
        .set({
          state: report.state,
          reason: report.reason,
          ...(report.state === "delivered" ? { delivered_at: now } : {}),
          updated_at: now,
        })
        .where("tenant_id", "=", message.tenant_id)
        .where("id", "=", message.id)
        .execute();
      await trx
        .updateTable("dunning_actions")
        .set({ status: report.state, updated_at: now })
        .where("tenant_id", "=", message.tenant_id)
        .where("group_key", "=", message.group_key)
        .where("status", "in", ["sent", "delivered"])
        .execute();
    });
    applied += 1;
  }
  return applied;
}

export async function twilioAuthToken(db: Executor, tenantId: string): Promise<string | null> {
  const row = await db
    .selectFrom("messaging_settings")
    .select("sms_token")
    .where("tenant_id", "=", tenantId)
    .where("sms_provider", "=", "twilio")
    .executeTakeFirst();
  return openSecretOrNull(row?.sms_token);
}

export function checkTwilioSignature(
  token: string,
  url: string,
  params: Record<string, string>,
  sent: string,
): void {
  const expected = Buffer.from(twilioSignature(token, url, params));
  const given = Buffer.from(sent);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new AppError("unauthorized", "Assinatura X-Twilio-Signature inválida");
  }
}

export interface ShortLink {
  code: string;
  tenantId: string;
  kind: "link" | "optout";
  url: string;
  contactId: string | null;
}

/** Counts a click on a short link (and the message's first click) and returns where it goes. */
export async function followShortLink(db: Executor, code: string, clock: Clock): Promise<ShortLink | null> {
  const route = await routeOfToken(db, code);
  if (!route) return null;
  const now = clock.now();
  const result = await sql<{
    tenant_id: string;
    message_id: string | null;
    kind: "link" | "optout";
    url: string;
    contact_id: string | null;
  }>`
    update short_links l set clicks = clicks + 1, first_clicked_at = coalesce(first_clicked_at, ${now})
    where ${routeScope(route, "l")} l.code = ${code} and l.kind in ('link', 'optout')
    returning tenant_id, message_id, kind, url, contact_id`.execute(db);
  const link = result.rows[0];
  if (!link) return null;
  if (link.message_id) {
    await db
      .updateTable("messages")
      .set({ clicked_at: now })
      .where("tenant_id", "=", link.tenant_id)
      .where("id", "=", link.message_id)
      .where("clicked_at", "is", null)
      .execute();
  }
  return { code, tenantId: link.tenant_id, kind: link.kind, url: link.url, contactId: link.contact_id };
}

/**
 * Records the first open of an e-mail whose tracking image was loaded (a code of kind 'open').
 * Only the instant is kept (LGPD minimisation: no address, no user agent, no count), and nothing
 * once the contact has opted out or is gone (erased with its customer's personal data): the
 * debtor said stop, so Régua stops observing too.
 */
export async function recordOpen(db: Executor, code: string, clock: Clock): Promise<void> {
  const route = await routeOfToken(db, code);
  if (!route) return;
  await sql`
    update messages m set opened_at = ${clock.now()}
    from short_links l
    where ${routeScope(route, "l")} l.code = ${code} and l.kind = 'open'
      and m.tenant_id = l.tenant_id and m.id = l.message_id and m.opened_at is null
      and exists (select 1 from contacts k
        where k.tenant_id = l.tenant_id and k.id = l.contact_id and k.opted_out_at is null)`.execute(db);
}

/** Opts the link's contact out of its channel at once (RFC 8058 one-click, or the page's button). */
export async function optOutByLink(db: Executor, code: string, clock: Clock): Promise<boolean> {
  const route = await routeOfToken(db, code);
  if (!route) return false;
  const link = await db
    .selectFrom("short_links")
    .select(["tenant_id", "contact_id"])
    .$if(route !== "unrouted", (query) =>
      query.where("tenant_id", "=", (route as { tenantId: string }).tenantId),
    )
    .where("code", "=", code)
    .where("kind", "=", "optout")
    .executeTakeFirst();
  if (!link?.contact_id) return false;
  await db
    .updateTable("contacts")
    .set({ opted_out_at: clock.now() })
    .where("tenant_id", "=", link.tenant_id)
    .where("id", "=", link.contact_id)
    .where("opted_out_at", "is", null)
    .execute();
  return true;
}

export interface CallbackSecrets {
  tenantId: string;
  whatsappAppSecret: string | null;
  whatsappVerifyToken: string | null;
  zenviaCallbackToken: string | null;
}

/** What the tenant named in a callback URL (`?tenant=slug`) checks its provider callbacks with. */
export async function callbackSecretsOf(db: Executor, tenantSlug: string): Promise<CallbackSecrets | null> {
  const row = await db
    .selectFrom("tenants")
    .leftJoin("messaging_settings", "messaging_settings.tenant_id", "tenants.id")
    .select([
      "tenants.id",
      "messaging_settings.whatsapp_app_secret",
      "messaging_settings.whatsapp_verify_token",
      "messaging_settings.sms_callback_token",
      "messaging_settings.sms_provider",
    ])
    .where("tenants.slug", "=", tenantSlug)
    .executeTakeFirst();
  if (!row) return null;
  return {
    tenantId: row.id,
    whatsappAppSecret: openSecretOrNull(row.whatsapp_app_secret),
    whatsappVerifyToken: openSecretOrNull(row.whatsapp_verify_token),
    zenviaCallbackToken: row.sms_provider === "zenvia" ? openSecretOrNull(row.sms_callback_token) : null,
  };
}

function sameText(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Meta signs each webhook: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body under the app secret>`. */
export function metaSignature(appSecret: string, rawBody: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}

export function checkMetaSignature(appSecret: string | null, rawBody: string, sent: unknown): void {
  if (!appSecret || typeof sent !== "string" || !sameText(metaSignature(appSecret, rawBody), sent)) {
    throw new AppError(
      "unauthorized",
      "Webhook do WhatsApp sem assinatura X-Hub-Signature-256 válida (confira o app secret nas configurações)",
    );
  }
}

/** Zenvia does not sign its webhooks: its subscription sends our per-tenant token back in a header. */
export const ZENVIA_TOKEN_HEADER = "x-regua-token";

export function checkZenviaToken(expected: string | null, sent: unknown): void {
  if (!expected || typeof sent !== "string" || !sameText(expected, sent)) {
    throw new AppError(
      "unauthorized",
      "Callback da Zenvia sem o cabeçalho X-Regua-Token do credor (configure-o na assinatura da Zenvia)",
    );
  }
}

/**
 * Meta's subscription handshake: `hub.mode=subscribe` with the verify token chosen in the app's
 * settings gets `hub.challenge` back; anything else is refused.
 */
export function answerWhatsAppHandshake(
  secrets: CallbackSecrets | null,
  query: {
    "hub.mode"?: string | undefined;
    "hub.verify_token"?: string | undefined;
    "hub.challenge"?: string | undefined;
  },
): string {
  const token = secrets?.whatsappVerifyToken;
  if (
    query["hub.mode"] !== "subscribe" ||
    !token ||
    !query["hub.verify_token"] ||
    !sameText(token, query["hub.verify_token"]) ||
    !query["hub.challenge"]
  ) {
    throw new AppError(
      "forbidden",
      "Verificação do webhook do WhatsApp recusada: hub.verify_token não confere",
    );
  }
  return query["hub.challenge"];
}
