import { createPrivateKey, randomBytes, X509Certificate } from "node:crypto";
import type { Updateable } from "kysely";
import type { Executor } from "../../db/database.ts";
import { publicUrl } from "../../shared/config.ts";
import { notFound, validationError } from "../../shared/errors.ts";
import { maskSecret, openSecret, sealSecret } from "../../shared/secret-box.ts";
import { parseInput } from "../../shared/validation.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { routePrefixOf } from "../tenants/token-route.ts";
import { findPixSettings, upsertPixSettings } from "./pix.repository.ts";
import type { PixSettingsRow, PixSettingsTable } from "./pix.table.ts";
import { forgetPixTokens } from "./pix-api.client.ts";
import {
  type PixConnection,
  type PixSettings,
  REQUIRED_ON_FIRST_SAVE,
  type TUpdatePixSettings,
  ZUpdatePixSettings,
} from "./pix-settings.ts";

/** The URL the PSP is told to notify (it appends `/pix` to it for Pix received). */
export function pixWebhookUrl(webhookToken: string): string {
  return `${publicUrl()}/v1/pix/webhook/${webhookToken}`;
}

function certificateSummary(pem: string): PixSettings["certificate"] {
  const certificate = new X509Certificate(pem);
  return {
    subject: certificate.subject.replace(/\n/g, ", "),
    validTo: new Date(certificate.validTo).toISOString(),
  };
}

function settingsFromRow(row: PixSettingsRow): PixSettings {
  return {
    baseUrl: row.base_url,
    tokenUrl: row.token_url,
    clientId: row.client_id,
    clientSecret: maskSecret(openSecret(row.client_secret)),
    certificate: certificateSummary(row.certificate_pem),
    privateKeySet: true,
    caSet: row.ca_pem !== null,
    receiverKey: row.receiver_key,
    daysValidAfterDue: row.days_valid_after_due,
    recurrenceRetryPolicy: row.recurrence_retry_policy,
    webhookUrl: pixWebhookUrl(row.webhook_token),
    webhookRegisteredAt: row.webhook_registered_at,
    sweptUntil: row.swept_until,
  };
}

export async function getPixSettings(db: Executor, tenant: Tenant): Promise<PixSettings> {
  const row = await findPixSettings(db, tenant.id);
  if (!row) throw notFound("Configuração Pix do credor", tenant.slug);
  return settingsFromRow(row);
}

/** The certificate must parse, not be expired, and belong to the key (a mismatch fails every TLS handshake). */
function checkCredentials(certificatePem: string, privateKeyPem: string, now: Date): void {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch {
    throw validationError("certificatePem", "certificatePem: o certificado não pôde ser lido (PEM X.509)");
  }
  if (new Date(certificate.validTo) < now) {
    throw validationError("certificatePem", `certificatePem: o certificado venceu em ${certificate.validTo}`);
  }
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch {
    throw validationError(
      "privateKeyPem",
      "privateKeyPem: a chave privada não pôde ser lida (PEM sem senha)",
    );
  }
  if (!certificate.checkPrivateKey(key)) {
    throw validationError("privateKeyPem", "privateKeyPem: a chave privada não é a do certificado informado");
  }
}

/**
 * Saves the tenant's Pix settings: the first save needs every connection field; later saves change
 * what they name (`caPem: null` clears the CA). Secrets are sealed before they reach the database.
 */
export async function updatePixSettings(
  db: Executor,
  tenant: Tenant,
  input: TUpdatePixSettings,
  now: Date,
): Promise<PixSettings> {
  const data = parseInput(ZUpdatePixSettings, input);
  const current = await findPixSettings(db, tenant.id);
  if (!current) {
    const missing = REQUIRED_ON_FIRST_SAVE.find((field) => data[field] === undefined);
    if (missing) throw validationError(missing, `${missing}: obrigatório na primeira configuração do Pix`);
  }
  const certificatePem = data.certificatePem ?? current?.certificate_pem;
  const privateKeyPem = data.privateKeyPem ?? (current ? openSecret(current.private_key_pem) : undefined);
  if ((data.certificatePem || data.privateKeyPem) && certificatePem && privateKeyPem) {
    checkCredentials(certificatePem, privateKeyPem, now);
  }
  const changes: Updateable<PixSettingsTable> = {};
  if (data.baseUrl !== undefined) changes.base_url = data.baseUrl;
  if (data.tokenUrl !== undefined) changes.token_url = data.tokenUrl;
  if (data.clientId !== undefined) changes.client_id = data.clientId;
  if (data.clientSecret !== undefined) changes.client_secret = sealSecret(data.clientSecret);
  if (data.certificatePem !== undefined) changes.certificate_pem = data.certificatePem;
  if (data.privateKeyPem !== undefined) changes.private_key_pem = sealSecret(data.privateKeyPem);
  if (data.caPem !== undefined) changes.ca_pem = data.caPem;
  if (data.receiverKey !== undefined) changes.receiver_key = data.receiverKey;
  if (data.daysValidAfterDue !== undefined) changes.days_valid_after_due = data.daysValidAfterDue;
  if (data.recurrenceRetryPolicy !== undefined) changes.recurrence_retry_policy = data.recurrenceRetryPolicy;
  // a new receiver key or PSP needs the webhook registered again
  if (data.receiverKey !== undefined || data.baseUrl !== undefined) changes.webhook_registered_at = null;
  const row = await upsertPixSettings(
    db,
    tenant.id,
    changes,
    // the path names its tenant (tenants/token-route.ts)
    `pixwh_${await routePrefixOf(db, tenant.id)}${randomBytes(24).toString("base64url")}`,
  );
  forgetPixTokens(tenant.id);
  return settingsFromRow(row);
}

export function connectionFromRow(row: PixSettingsRow): PixConnection {
  return {
    tenantId: row.tenant_id,
    baseUrl: row.base_url,
    tokenUrl: row.token_url,
    clientId: row.client_id,
    clientSecret: openSecret(row.client_secret),
    certificatePem: row.certificate_pem,
    privateKeyPem: openSecret(row.private_key_pem),
    caPem: row.ca_pem,
    receiverKey: row.receiver_key,
    daysValidAfterDue: row.days_valid_after_due,
    recurrenceRetryPolicy: row.recurrence_retry_policy,
    webhookToken: row.webhook_token,
  };
}

/** The tenant's connection to its PSP, or null when Pix is not configured (Régua then keeps the static Pix). */
export async function pixConnectionOf(db: Executor, tenantId: string): Promise<PixConnection | null> {
  const row = await findPixSettings(db, tenantId);
  return row ? connectionFromRow(row) : null;
}
