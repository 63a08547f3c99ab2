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
 * Claims messages ready to go: queued ones whose time has come, and 'sending' ones whose lease
 * ran out (their worker died mid-send: they go again with the same idempotency key). The lease
 * is the time a worker has to record the outcome.
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

export interface GroupAction {
  group_key: string;
  invoice_id: string;
  send_on: string;
  send_until: Date;
}

export async function findGroupActions(
  db: Executor,
  tenantId: string,
  groupKeys: string[],
): Promise<GroupAction[]> {
  if (groupKeys.length === 0) return [];
  return db
    .selectFrom("dunning_actions")
    .select(["group_key", "invoice_id", "send_on", "send_until"])
    .where("tenant_id", "=", tenantId)
    .where("group_key", "in", groupKeys)
    .where("status", "=", "planned")
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
    .where("id", "in", ids)
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
    .where("id", "in", ids)
    .execute();
}

/** Contacts a message may go to: not opted out, not marked unusable. */
export async function findUsableContacts(db: Executor, tenantId: string, customerIds: string[]) {
  if (customerIds.length === 0) return [];
  return db
    .selectFrom("contacts")
    .select(["id", "customer_id", "channel", "value", "consent_at", "verified_owner", "created_at"])
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "in", customerIds)
    .where("opted_out_at", "is", null)
    .where("unusable_reason", "is", null)
    .orderBy("verified_owner", "desc")
    .orderBy("created_at")
    .execute();
}

export interface MessageOutcome {
  tenantId: string;
  id: string;
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
 * Records the outcome of a batch in two statements: the messages, and the planned actions of
 * their groups (sent, failed or skipped with the reason). Retries leave the actions planned.
 */
export async function recordOutcomes(db: Executor, outcomes: MessageOutcome[], now: Date): Promise<void> {
  if (outcomes.length === 0) return;
  const column = <T>(pick: (outcome: MessageOutcome) => T) => outcomes.map(pick);
  await sql`
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
      ${column((o) => o.tenantId)}::uuid[], ${column((o) => o.id)}::uuid[], ${column((o) => o.state)}::text[],
      ${column((o) => o.reason)}::text[], ${column((o) => o.nextAttemptAt)}::timestamptz[],
      ${column((o) => o.contactId)}::uuid[], ${column((o) => o.recipient)}::text[], ${column((o) => o.provider)}::text[],
      ${column((o) => o.providerMessageId)}::text[], ${column((o) => o.costCents)}::int[],
      ${column((o) => o.segments)}::int[], ${column((o) => o.subject)}::text[], ${column((o) => o.body)}::text[],
      ${column((o) => (o.data === null || o.data === undefined ? null : JSON.stringify(o.data)))}::jsonb[]
    ) as v(tenant_id, id, state, reason, next_attempt_at, contact_id, recipient, provider,
           provider_message_id, cost_cents, segments, subject, body, data)
    where m.tenant_id = v.tenant_id and m.id = v.id`.execute(db);

  const final = outcomes.filter((outcome) => outcome.state !== "queued");
  if (final.length === 0) return;
  await sql`
    update dunning_actions a set
      status = case v.state when 'sent' then 'sent' when 'delivered' then 'delivered'
                            when 'skipped' then 'skipped' else 'failed' end,
      skip_reason = case when v.state = 'skipped' then v.reason end,
      updated_at = ${now}
    from unnest(${final.map((o) => o.tenantId)}::uuid[], ${final.map((o) => o.groupKey)}::text[],
                ${final.map((o) => o.state)}::text[], ${final.map((o) => o.skipCode ?? o.reason)}::text[])
      as v(tenant_id, group_key, state, reason)
    where a.tenant_id = v.tenant_id and a.group_key = v.group_key and a.status = 'planned'`.execute(db);
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

export async function insertShortLinks(
  db: Executor,
  links: {
    code: string;
    tenant_id: string;
    message_id: string;
    kind: "link" | "optout";
    contact_id: string | null;
    url: string;
  }[],
): Promise<void> {
  if (links.length === 0) return;
  await db
    .insertInto("short_links")
    .values(links)
    .onConflict((conflict) => conflict.column("code").doNothing())
    .execute();
}
