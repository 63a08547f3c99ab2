import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import { ChannelError } from "../../channels/channel.ts";
import { ChannelRegistry } from "../../channels/registry.ts";
import type { Database, Executor } from "../../db/database.ts";
import { normalizeDocument } from "../../domain/documents.ts";
import type { Clock } from "../../shared/clock.ts";
import { publicUrl } from "../../shared/config.ts";
import { AppError, notFound, validationError } from "../../shared/errors.ts";
import { openSecret, sealSecret } from "../../shared/secret-box.ts";
import { parseInput } from "../../shared/validation.ts";
import { findContactsOfCustomers, findCustomerById } from "../customers/customer.repository.ts";
import { optOutContact, recordContactConsent } from "../customers/customer.service.ts";
import { ZContactInput } from "../customers/customer.ts";
import { getOpenDebt } from "../open-debt/open-debt.service.ts";
import { getLoginStanding, type LoginStanding } from "../standing/login-standing.service.ts";
import { findMessagingSettings } from "../templates/template.repository.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { routedTenantId, routeOfToken, routePrefixOf } from "../tenants/token-route.ts";
import {
  countRecentCodes,
  deleteSession,
  findContactCode,
  findPortalKey,
  insertContactCode,
  insertPortalKey,
  insertSession,
  lockAttempts,
  lockContactCode,
  saveAttempt,
  saveVerifiedContact,
  touchSession,
  updateContactCode,
} from "./portal.repository.ts";
import type { PortalAttemptRow } from "./portal.table.ts";
import {
  type IdentityOutcome,
  type LinkCheck,
  type LinkPurpose,
  PORTAL_POLICY,
  type PortalSession,
  ZContactChange,
  ZContactCode,
} from "./portal.ts";
import { hasValidSignature, readPortalLink, signPortalLink } from "./portal-link.ts";

const MINUTE = 60_000;

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * The tenant's link-signing key, created (32 random bytes) the first time it is needed and stored
 * sealed like the providers' secrets (src/shared/secret-box.ts), so that a copy of the database
 * alone cannot mint links.
 */
async function portalKey(db: Executor, tenantId: string): Promise<string> {
  const stored =
    (await findPortalKey(db, tenantId)) ??
    (await insertPortalKey(db, tenantId, sealSecret(randomBytes(32).toString("base64url"))));
  return openSecret(stored);
}

/** `https://…/portal/entrar?t=…` for a token. */
export function portalLinkUrl(token: string): string {
  return `${publicUrl()}/portal/entrar?t=${token}`;
}

/**
 * A signed link into the portal for one customer, valid `ttlDays` from `now`. An invoice link must
 * name an open or paid invoice of that customer.
 */
export async function mintPortalLink(
  db: Executor,
  tenantId: string,
  customerId: string,
  purpose: LinkPurpose,
  now: Date,
  ttlDays: number,
): Promise<{ url: string; token: string; expiresAt: Date }> {
  const customer = await findCustomerById(db, tenantId, customerId);
  if (!customer || customer.anonymized_at) throw notFound("Cliente", customerId);
  if (purpose.kind === "invoice") {
    const invoice = await db
      .selectFrom("invoices")
      .select("id")
      .where("tenant_id", "=", tenantId)
      .where("customer_id", "=", customerId)
      .where("id", "=", purpose.invoiceId)
      .executeTakeFirst();
    if (!invoice) {
      throw validationError(
        "invoiceId",
        `invoiceId: fatura ${purpose.invoiceId} não encontrada para este cliente`,
      );
    }
  }
  const expiresAt = new Date(now.getTime() + ttlDays * 24 * 60 * MINUTE);
  const token = signPortalLink(await portalKey(db, tenantId), { tenantId, customerId, purpose, expiresAt });
  return { url: portalLinkUrl(token), token, expiresAt };
}

/** Mints many links of one tenant with one key read (the dispatcher, per batch). */
export async function portalLinkSigner(
  db: Executor,
  tenantId: string,
): Promise<(customerId: string, purpose: LinkPurpose, expiresAt: Date) => string> {
  const secret = await portalKey(db, tenantId);
  return (customerId, purpose, expiresAt) =>
    portalLinkUrl(signPortalLink(secret, { tenantId, customerId, purpose, expiresAt }));
}

/** What a token is: valid (for whom, for what), expired (whose), or not a link of ours at all. */
export async function checkPortalLink(db: Executor, token: string, now: Date): Promise<LinkCheck> {
  const read = readPortalLink(token);
  if (!read) return { status: "invalid" };
  const stored = await findPortalKey(db, read.claims.tenantId);
  if (!stored || !hasValidSignature(openSecret(stored), read)) return { status: "invalid" };
  const { tenantId, customerId, purpose, expiresAt } = read.claims;
  if (expiresAt <= now) return { status: "expired", tenantId };
  const customer = await findCustomerById(db, tenantId, customerId);
  if (!customer || customer.anonymized_at) return { status: "invalid" };
  return { status: "valid", tenantId, customerId, purpose, expiresAt };
}

/** What the identity question asks for: CPF (digits) or CNPJ (possibly letters, IN RFB 2.229/2024). */
export async function identityQuestion(
  db: Executor,
  tenantId: string,
  customerId: string,
): Promise<{ document: "cpf" | "cnpj"; alphanumeric: boolean }> {
  const customer = await findCustomerById(db, tenantId, customerId);
  if (!customer) throw notFound("Cliente", customerId);
  const first = normalizeDocument(customer.document).slice(0, PORTAL_POLICY.identityCharacters);
  return customer.kind === "company" || customer.document.length === 14
    ? { document: "cnpj", alphanumeric: /[A-Z]/.test(first) }
    : { document: "cpf", alphanumeric: false };
}

/** A throttle row as of `now`: a window or lock that has passed starts afresh. */
function current(row: PortalAttemptRow, now: Date): PortalAttemptRow {
  const windowOver = row.window_started_at.getTime() + PORTAL_POLICY.lockMinutes * MINUTE <= now.getTime();
  const lockOver = row.locked_until !== null && row.locked_until <= now;
  if (lockOver || (row.locked_until === null && windowOver)) {
    return { ...row, failures: 0, window_started_at: now, locked_until: null };
  }
  return row;
}

/**
 * The identity check: the first characters of the customer's CPF/CNPJ, compared in constant time.
 * Wrong answers count per link and per client IP; at the limit the key is locked for
 * PORTAL_POLICY.lockMinutes and every answer, right or wrong, is refused until then. A right answer
 * starts a session (sliding PORTAL_POLICY.sessionMinutes).
 */
export async function confirmIdentity(
  db: Kysely<Database>,
  input: { token: string; answer: string; ip: string },
  now: Date,
): Promise<IdentityOutcome | { ok: false; reason: "link"; link: LinkCheck }> {
  const link = await checkPortalLink(db, input.token, now);
  if (link.status !== "valid") return { ok: false, reason: "link", link };
  const keys = {
    link: sha256(input.token),
    ip: sha256(`${link.tenantId}|${input.ip}`),
  };
  return db.transaction().execute(async (trx): Promise<IdentityOutcome> => {
    const rows = await lockAttempts(
      trx,
      link.tenantId,
      [
        { scope: "ip", keyHash: keys.ip },
        { scope: "link", keyHash: keys.link },
      ],
      now,
    );
    const limits = { link: PORTAL_POLICY.linkMaxFailures, ip: PORTAL_POLICY.ipMaxFailures };
    const states = rows.map((row) => current(row, now));
    const locked = states.filter((row) => row.locked_until && row.locked_until > now);
    if (locked.length > 0) {
      const until = new Date(Math.max(...locked.map((row) => row.locked_until!.getTime())));
      return { ok: false, reason: "locked", until };
    }
    const customer = await findCustomerById(trx, link.tenantId, link.customerId);
    const expected = normalizeDocument(customer!.document).slice(0, PORTAL_POLICY.identityCharacters);
    const given = normalizeDocument(input.answer).slice(0, 40);
    const right =
      given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
    if (!right) {
      let remaining = Number.POSITIVE_INFINITY;
      let lockedUntil: Date | null = null;
      for (const row of states) {
        const failures = row.failures + 1;
        const limit = limits[row.scope];
        const locks = failures >= limit ? new Date(now.getTime() + PORTAL_POLICY.lockMinutes * MINUTE) : null;
        if (locks) lockedUntil = locks;
        remaining = Math.min(remaining, limit - failures);
        await saveAttempt(trx, { ...row, failures, locked_until: locks });
      }
      if (lockedUntil) return { ok: false, reason: "locked", until: lockedUntil };
      return { ok: false, reason: "wrong", remaining };
    }
    // a right answer clears the link's count; the IP's runs out with its window (an attacker's own
    // valid link must not reset what they spent guessing others)
    const linkRow = states.find((row) => row.scope === "link")!;
    await saveAttempt(trx, { ...linkRow, failures: 0, locked_until: null });
    // the cookie names its tenant (tenants/token-route.ts): found by (tenant, hash)
    const token = `${await routePrefixOf(trx, link.tenantId)}${randomBytes(32).toString("base64url")}`;
    const csrfToken = randomBytes(24).toString("base64url");
    const expiresAt = new Date(now.getTime() + PORTAL_POLICY.sessionMinutes * MINUTE);
    await insertSession(trx, {
      tenant_id: link.tenantId,
      token_hash: sha256(token),
      customer_id: link.customerId,
      csrf_token: csrfToken,
      created_at: now,
      expires_at: expiresAt,
    });
    return { ok: true, session: { token, csrfToken, expiresAt }, purpose: link.purpose };
  });
}

/** The session of a cookie, its expiry slid forward; null when absent or ended. */
export async function resolvePortalSession(
  db: Executor,
  token: string | undefined,
  now: Date,
): Promise<PortalSession | null> {
  if (!token || token.length > 100) return null;
  const route = await routeOfToken(db, token);
  if (!route) return null;
  const row = await touchSession(
    db,
    routedTenantId(route),
    sha256(token),
    now,
    new Date(now.getTime() + PORTAL_POLICY.sessionMinutes * MINUTE),
  );
  return row ? { tenantId: row.tenant_id, customerId: row.customer_id, csrfToken: row.csrf_token } : null;
}

export async function endPortalSession(db: Executor, token: string | undefined): Promise<void> {
  if (!token) return;
  const route = await routeOfToken(db, token);
  if (route) await deleteSession(db, routedTenantId(route), sha256(token));
}

/** An open invoice as the portal lists it: the amount of the day and its parts. */
export interface PortalInvoice {
  id: string;
  externalId: string;
  description: string;
  dueDate: string;
  daysOverdue: number;
  principalCents: number;
  fineCents: number;
  interestCents: number;
  totalCents: number;
}

export interface PortalOverview {
  customer: { name: string; document: string; kind: "person" | "company" };
  standing: LoginStanding;
  invoices: PortalInvoice[];
  totalCents: number;
}

/** The customer's open invoices with today's amounts, and their standing (suspended, cancelled…). */
export async function portalOverview(
  db: Kysely<Database>,
  tenant: Tenant,
  customerId: string,
  today: string,
  clock: Clock,
): Promise<PortalOverview> {
  const customer = await findCustomerById(db, tenant.id, customerId);
  if (!customer) throw notFound("Cliente", customerId);
  // what is owed today, from the one read model: invoices an agreement in force replaced are paid
  // through its installments, not directly
  const debt = await getOpenDebt(db, tenant, customerId, today);
  const invoices: PortalInvoice[] = debt.invoices
    .filter((invoice) => invoice.owed)
    .slice(0, 200)
    .map((invoice) => ({
      id: invoice.id,
      externalId: invoice.externalId,
      description: invoice.description,
      dueDate: invoice.dueDate,
      daysOverdue: invoice.daysOverdue,
      principalCents: invoice.outstandingPrincipalCents,
      fineCents: invoice.fineCents,
      interestCents: invoice.interestCents,
      totalCents: invoice.totalDueCents,
    }));
  return {
    customer: { name: customer.name, document: customer.document, kind: customer.kind },
    standing: await getLoginStanding(db, tenant.id, customerId, clock),
    invoices,
    totalCents: debt.totals.owedCents,
  };
}

/** The customer's contacts, for the contact and preference pages (retired ones left out). */
export async function portalContacts(db: Executor, tenantId: string, customerId: string) {
  const rows = await findContactsOfCustomers(db, tenantId, [customerId]);
  return rows
    .filter((row) => row.unusable_reason === null || row.opted_out_at !== null)
    .map((row) => ({
      id: row.id,
      channel: row.channel,
      value: row.value,
      optedOut: row.opted_out_at !== null,
      consented: row.consent_at !== null,
      verified: row.verified_owner,
    }));
}

function codeHash(salt: string, code: string): string {
  return `${salt}$${sha256(`${salt}:${code}`)}`;
}

/**
 * A new e-mail or mobile as it would be saved (the phone normalised to E.164), or an AppError
 * naming `value`: what the portal's review step shows before any code is sent.
 */
export function checkContactChange(input: unknown): { channel: "email" | "sms"; value: string } {
  const change = parseInput(ZContactChange, input);
  const contact = ZContactInput.safeParse(change);
  if (!contact.success) throw validationError("value", contact.error.issues[0]!.message);
  return { channel: change.channel, value: contact.data.value };
}

/**
 * Sends a one-time code to a new e-mail or mobile through the tenant's own channel (its SMTP or
 * SMS provider, else the process's SMTP_URL, else the capture store). The contact is saved only
 * when the code comes back (confirmContactChange).
 */
export async function requestContactChange(
  db: Kysely<Database>,
  tenant: Tenant,
  customerId: string,
  input: unknown,
  now: Date,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ codeId: string; channel: "email" | "sms"; value: string }> {
  const change = checkContactChange(input);
  const value = change.value;
  const since = new Date(now.getTime() - PORTAL_POLICY.lockMinutes * MINUTE);
  if ((await countRecentCodes(db, tenant.id, customerId, since)) >= PORTAL_POLICY.codesPerWindow) {
    throw new AppError(
      "rate_limited",
      `Você já pediu ${PORTAL_POLICY.codesPerWindow} códigos; espere ${PORTAL_POLICY.lockMinutes} minutos para pedir outro`,
    );
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const salt = randomBytes(12).toString("base64url");
  const codeId = await insertContactCode(db, {
    tenant_id: tenant.id,
    customer_id: customerId,
    channel: change.channel,
    value,
    code_hash: codeHash(salt, code),
    created_at: now,
    expires_at: new Date(now.getTime() + PORTAL_POLICY.codeMinutes * MINUTE),
  });
  const registry = new ChannelRegistry(db, {
    smtpUrl: env.SMTP_URL ?? null,
    emailFrom: env.EMAIL_FROM ?? null,
    publicUrl: publicUrl(env),
  });
  const text = `${tenant.legalName}: seu código de verificação é ${code}. Ele vale por ${PORTAL_POLICY.codeMinutes} minutos. Se não foi você que pediu, ignore esta mensagem.`;
  try {
    const settings = await findMessagingSettings(db, tenant.id);
    await registry.adapterFor(tenant.id, change.channel, settings).send({
      tenantId: tenant.id,
      messageId: codeId,
      idempotencyKey: codeId,
      channel: change.channel,
      recipient: value,
      subject: change.channel === "email" ? `Código de verificação: ${code}` : null,
      text,
      html: null,
      unsubscribeUrl: null,
      attachments: [],
      whatsapp: null,
    });
  } catch (error) {
    if (error instanceof ChannelError) {
      throw validationError(
        "value",
        "Não conseguimos enviar o código para esse contato; confira o endereço ou número e tente de novo",
      );
    }
    throw error;
  } finally {
    await registry.close();
  }
  return { codeId, channel: change.channel, value };
}

/** The change still waiting for its code, as the form shows it again; none for an unknown id. */
export async function pendingContactChange(
  db: Executor,
  tenantId: string,
  customerId: string,
  codeId: string | undefined,
): Promise<{ codeId: string; channel: string; value: string } | undefined> {
  // ids are UUIDs: anything else is simply not a pending change, never a SQL error
  if (!codeId || !/^[0-9a-f-]{36}$/i.test(codeId)) return undefined;
  const row = await findContactCode(db, tenantId, customerId, codeId);
  return row ? { codeId: row.id, channel: row.channel, value: row.value } : undefined;
}

/**
 * Checks the code and saves the contact as verified (and as the one to use on its channel). A
 * wrong code counts; after PORTAL_POLICY.codeMaxAttempts, or once expired, a new one is needed.
 */
export async function confirmContactChange(
  db: Kysely<Database>,
  tenantId: string,
  customerId: string,
  input: unknown,
  now: Date,
): Promise<{ channel: "email" | "sms"; value: string }> {
  const { codeId, code } = parseInput(ZContactCode, input);
  const outcome = await db.transaction().execute(async (trx) => {
    const row = await lockContactCode(trx, tenantId, customerId, codeId);
    if (!row || row.used_at || row.expires_at <= now || row.attempts >= PORTAL_POLICY.codeMaxAttempts) {
      return { ok: false as const, remaining: 0 };
    }
    const [salt] = row.code_hash.split("$");
    const expected = Buffer.from(row.code_hash);
    const given = Buffer.from(codeHash(salt!, code));
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      await updateContactCode(trx, tenantId, row.id, { attempts: row.attempts + 1 });
      return { ok: false as const, remaining: PORTAL_POLICY.codeMaxAttempts - row.attempts - 1 };
    }
    await updateContactCode(trx, tenantId, row.id, { used_at: now });
    await saveVerifiedContact(
      trx,
      tenantId,
      customerId,
      { channel: row.channel, value: row.value },
      now,
      "substituído pelo cliente no portal",
    );
    return { ok: true as const, channel: row.channel, value: row.value };
  });
  if (!outcome.ok) {
    throw validationError(
      "code",
      outcome.remaining > 0
        ? `Código incorreto; você ainda pode tentar ${outcome.remaining} vez(es)`
        : "Este código expirou ou já foi usado; peça um novo código",
    );
  }
  return { channel: outcome.channel, value: outcome.value };
}

/**
 * Opts every contact of one channel out (LGPD art. 18; honoured at once) or back in, through the
 * customers module's own use cases.
 */
export async function setChannelPreference(
  db: Kysely<Database>,
  tenantId: string,
  customerId: string,
  channel: "email" | "sms" | "whatsapp",
  receive: boolean,
  clock: Clock,
): Promise<number> {
  const contacts = (await findContactsOfCustomers(db, tenantId, [customerId])).filter(
    (contact) => contact.channel === channel,
  );
  const byDebtor = { source: "portal", actorId: null } as const;
  for (const contact of contacts) {
    if (receive) await recordContactConsent(db, tenantId, contact.id, clock, byDebtor);
    else await optOutContact(db, tenantId, contact.id, clock, byDebtor);
  }
  return contacts.length;
}
