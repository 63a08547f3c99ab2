import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { MessageRow, MessageState } from "./message.table.ts";

/** The channels the dispatcher carries; webhook steps are the webhooks module's. */
export const DISPATCHED_CHANNELS = ["email", "sms", "whatsapp", "letter", "task"] as const;

/**
 * Turns due planned actions into queued messages, one per group (customer, step, channel, day),
 * set-based. Actions are claimed with SKIP LOCKED so that several workers split the work; the
 * unique group key makes a second insert of the same group a no-op.
 */
export async function queueDueActions(
  db: Executor,
  now: Date,
  limit: number,
  tenantId?: string,
): Promise<number> {
  const result = await sql<{ id: string }>`
    with due as (
      select a.tenant_id, a.id, a.group_key, a.customer_id, a.channel, a.template
      from dunning_actions a
      where a.status = 'planned' and a.scheduled_for <= ${now}
        and a.channel in ('email', 'sms', 'whatsapp', 'letter', 'task')
        ${tenantId ? sql`and a.tenant_id = ${tenantId}` : sql``}
        and not exists (
          select 1 from messages m where m.tenant_id = a.tenant_id and m.group_key = a.group_key)
      order by a.scheduled_for
      limit ${limit}
      for update of a skip locked
    )
    insert into messages (tenant_id, action_id, group_key, customer_id, channel, template, state, next_attempt_at)
    select distinct on (tenant_id, group_key)
           tenant_id, id, group_key, customer_id, channel, template, 'queued', ${now}::timestamptz
    from due
    order by tenant_id, group_key, id
    on conflict do nothing
    returning id`.execute(db);
  return result.rows.length;
}

/**
 * Refreshes the planner's statistics of `messages` after a large batch was queued. PostgreSQL's
 * autovacuum does this by itself a little later; the embedded PGlite has no autovacuum, and on a
 * table it has never analyzed the planner takes a tenant's thousands of messages for a handful
 * and reads them all, on every claim and every write of outcomes, instead of using the keys.
 */
export async function analyzeMessages(db: Executor): Promise<void> {
  await sql`analyze messages`.execute(db);
}

/**
 * Claims messages ready to go: queued ones whose time has come, and 'sending' ones whose lease
 * ran out (their worker died mid-send: they go again with the same idempotency key). The lease
 * is short (seconds) and renewed by the live worker while it sends (renewLeases), so a dead
 * worker's claims are taken over within one lease.
 */
export async function claimMessages(
  db: Executor,
  now: Date,
  limit: number,
  leaseMs: number,
  tenantId?: string,
): Promise<MessageRow[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const result = await sql<MessageRow>`
    update messages m
    set state = 'sending', attempts = m.attempts + 1, next_attempt_at = ${leaseUntil}, updated_at = ${now}
    from (
      select tenant_id, id from messages
      where state in ('queued', 'sending') and next_attempt_at <= ${now}
        ${tenantId ? sql`and tenant_id = ${tenantId}` : sql``}
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    ) due
    where m.tenant_id = due.tenant_id and m.id = due.id
    returning m.*`.execute(db);
  return result.rows;
}

/**
 * Pushes the leases of messages a live worker still holds (claimed, not yet recorded) another
 * `leaseMs` ahead: the worker's heartbeat. Only 'sending' rows still under the worker's own claim
 * (the attempt number it wrote) move; the ids returned are those renewed, so a claim another worker
 * took over after its lease ran out is not renewed by the worker that lost it.
 */
export async function renewLeases(
  db: Executor,
  tenantId: string,
  claims: { id: string; claim: number }[],
  now: Date,
  leaseMs: number,
): Promise<string[]> {
  if (claims.length === 0) return [];
  const ids = claims.map((claim) => claim.id);
  const result = await sql<{ id: string }>`
    update messages m set next_attempt_at = ${new Date(now.getTime() + leaseMs)}
    from unnest(${ids}::uuid[], ${claims.map((claim) => claim.claim)}::int[]) as v(id, claim)
    where m.tenant_id = ${tenantId} and m.id = any(${ids}::uuid[]) and m.id = v.id
      and m.attempts = v.claim and m.state = 'sending'
    returning m.id`.execute(db);
  return result.rows.map((row) => row.id);
}

/**
 * `= any($1::type[])`: one array parameter for a batch's thousand keys, where `in (…)` would bind
 * a thousand (PGlite parses them on the sending thread).
 */
function anyOf(values: string[], type: "uuid" | "text") {
  return sql<string>`any(${values}::${sql.raw(type)}[])`;
}

export interface GroupAction {
  group_key: string;
  invoice_id: string;
  send_on: string;
  send_until: Date;
  /** the step asks for the debtor's letter as a PDF attachment (e-mail) */
  attach_letter: boolean;
  /** the step asks for a contact whose owner is verified (see contact-eligibility) */
  verified_contacts_only: boolean;
}

export async function findGroupActions(
  db: Executor,
  tenantId: string,
  groupKeys: string[],
): Promise<GroupAction[]> {
  if (groupKeys.length === 0) return [];
  return db
    .selectFrom("dunning_actions as a")
    .leftJoin("policy_steps as s", (join) =>
      join.onRef("s.tenant_id", "=", "a.tenant_id").onRef("s.id", "=", "a.step_id"),
    )
    .select([
      "a.group_key",
      "a.invoice_id",
      "a.send_on",
      "a.send_until",
      sql<boolean>`coalesce(s.attach_letter, false)`.as("attach_letter"),
      sql<boolean>`coalesce(s.verified_contacts_only, false)`.as("verified_contacts_only"),
    ])
    .where("a.tenant_id", "=", tenantId)
    .where("a.group_key", "=", anyOf(groupKeys, "text"))
    .where("a.status", "=", "planned")
    .execute();
}

export interface InvoiceForMessage {
  id: string;
  description: string;
  status: string;
  typeable_line: string | null;
  pix_payload: string | null;
}

export async function findInvoicesForMessages(
  db: Executor,
  tenantId: string,
  ids: string[],
): Promise<InvoiceForMessage[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("invoices")
    .select(["id", "description", "status", "typeable_line", "pix_payload"])
    .where("tenant_id", "=", tenantId)
    .where("id", "=", anyOf(ids, "uuid"))
    .execute();
}

export async function findCustomersForMessages(db: Executor, tenantId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom("customers")
    .select([
      "id",
      "name",
      "document",
      "kind",
      "time_zone",
      "anonymized_at",
      "address_street",
      "address_number",
      "address_district",
      "address_city",
      "address_state",
      "address_postal_code",
    ])
    .where("tenant_id", "=", tenantId)
    .where("id", "=", anyOf(ids, "uuid"))
    .execute();
}

/**
 * The customers' contacts with the facts the eligibility rule reads (src/modules/contact-eligibility),
 * verified owners first, then the oldest: the order in which a message picks its contact.
 */
export async function findContactsForMessages(db: Executor, tenantId: string, customerIds: string[]) {
  if (customerIds.length === 0) return [];
  return db
    .selectFrom("contacts")
    .select([
      "id",
      "customer_id",
      "channel",
      "value",
      "consent_at",
      "opted_out_at",
      "unusable_reason",
      "verified_owner",
      "created_at",
    ])
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", anyOf(customerIds, "uuid"))
    .orderBy("verified_owner", "desc")
    .orderBy("created_at")
    .execute();
}

export interface MessageOutcome {
  tenantId: string;
  id: string;
  /** the attempt number the worker's claim wrote: the outcome is recorded only under that claim */
  claim: number;
  groupKey: string;
  state: MessageState;
  /** what the team reads (pt-BR) */
  reason: string | null;
  /** the planned actions' skip reason code (SKIP_REASONS), for skipped messages */
  skipCode: string | null;
  nextAttemptAt: Date | null;
  contactId: string | null;
  recipient: string | null;
  provider: string | null;
  providerMessageId: string | null;
  costCents: number;
  segments: number | null;
  subject: string | null;
  body: string | null;
  data: unknown;
}

/**
 * Records the outcome of a batch in one statement per tenant: the messages, and the planned
 * actions of their groups (sent, failed or skipped with the reason) — together, so a process that
 * dies in between cannot leave a sent message beside an action still planned. Retries leave the
 * actions planned. The `= any(…)` lists let both updates find their rows through an index
 * whatever the table's statistics say (PGlite has no autovacuum to refresh them, and a hash join
 * over the whole table on every group of outcomes would cost more than the sends it records). An
 * outcome is written only under the claim it was decided in: one whose lease ran out and which
 * another worker claimed since is that worker's to record.
 */
export async function recordOutcomes(db: Executor, outcomes: MessageOutcome[], now: Date): Promise<void> {
  const byTenant = new Map<string, MessageOutcome[]>();
  for (const outcome of outcomes) {
    const list = byTenant.get(outcome.tenantId);
    if (list) list.push(outcome);
    else byTenant.set(outcome.tenantId, [outcome]);
  }
  for (const [tenantId, tenantOutcomes] of byTenant) {
    await recordTenantOutcomes(db, tenantId, tenantOutcomes, now);
  }
}

async function recordTenantOutcomes(
  db: Executor,
  tenantId: string,
  outcomes: MessageOutcome[],
  now: Date,
): Promise<void> {
  const column = <T>(pick: (outcome: MessageOutcome) => T) => outcomes.map(pick);
  const ids = column((o) => o.id);
  const finalGroups = outcomes.filter((o) => o.state !== "queued").map((o) => o.groupKey);
  await sql`
    with written as (
      update messages m set
        state = v.state, reason = v.reason,
        next_attempt_at = coalesce(v.next_attempt_at, m.next_attempt_at),
        contact_id = coalesce(v.contact_id, m.contact_id), recipient = coalesce(v.recipient, m.recipient),
        provider = coalesce(v.provider, m.provider),
        provider_message_id = coalesce(v.provider_message_id, m.provider_message_id),
        cost_cents = m.cost_cents + v.cost_cents, segments = coalesce(v.segments, m.segments),
        subject = coalesce(v.subject, m.subject), body = coalesce(v.body, m.body),
        data = coalesce(v.data, m.data),
        sent_at = case when v.state = 'sent' then ${now}::timestamptz else m.sent_at end,
        updated_at = ${now}
      from unnest(
        ${ids}::uuid[], ${column((o) => o.state)}::text[],
        ${column((o) => o.reason)}::text[], ${column((o) => o.nextAttemptAt)}::timestamptz[],
        ${column((o) => o.contactId)}::uuid[], ${column((o) => o.recipient)}::text[], ${column((o) => o.provider)}::text[],
        ${column((o) => o.providerMessageId)}::text[], ${column((o) => o.costCents)}::int[],
        ${column((o) => o.segments)}::int[], ${column((o) => o.subject)}::text[], ${column((o) => o.body)}::text[],
        ${column((o) => (o.data === null || o.data === undefined ? null : JSON.stringify(o.data)))}::jsonb[],
        ${column((o) => o.claim)}::int[], ${column((o) => o.skipCode ?? o.reason)}::text[]
      ) as v(id, state, reason, next_attempt_at, contact_id, recipient, provider,
             provider_message_id, cost_cents, segments, subject, body, data, claim, action_reason)
      where m.tenant_id = ${tenantId} and m.id = any(${ids}::uuid[]) and m.id = v.id and m.attempts = v.claim
      returning m.group_key, v.state, v.action_reason
    )
    update dunning_actions a set
      status = case w.state when 'sent' then 'sent' when 'delivered' then 'delivered'
                            when 'skipped' then 'skipped' else 'failed' end,
      skip_reason = case when w.state = 'skipped' then w.action_reason end,
      updated_at = ${now}
    from written w
    where a.tenant_id = ${tenantId} and a.group_key = any(${finalGroups}::text[]) and a.status = 'planned'
      and a.group_key = w.group_key and w.state <> 'queued'`.execute(db);
}

export async function markContactsUnusable(
  db: Executor,
  contacts: { tenantId: string; contactId: string; reason: string }[],
): Promise<void> {
  for (const contact of contacts) {
    await db
      .updateTable("contacts")
      .set({ unusable_reason: contact.reason })
      .where("tenant_id", "=", contact.tenantId)
      .where("id", "=", contact.contactId)
      .execute();
  }
}

/** One statement however many links (array parameters: a multi-row VALUES would take six per link). */
export async function insertShortLinks(
  db: Executor,
  links: {
    code: string;
    tenant_id: string;
    message_id: string;
    kind: "link" | "optout" | "open";
    contact_id: string | null;
    url: string | null;
  }[],
): Promise<void> {
  if (links.length === 0) return;
  const column = <T>(pick: (link: (typeof links)[number]) => T) => links.map(pick);
  await sql`
    insert into short_links (code, tenant_id, message_id, kind, contact_id, url)
    select * from unnest(
      ${column((l) => l.code)}::text[], ${column((l) => l.tenant_id)}::uuid[], ${column((l) => l.message_id)}::uuid[],
      ${column((l) => l.kind)}::text[], ${column((l) => l.contact_id)}::uuid[], ${column((l) => l.url)}::text[])
    on conflict (tenant_id, code) do nothing`.execute(db);
}
