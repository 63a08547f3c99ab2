import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type {
  NewWebhookEndpointRow,
  WebhookAttemptRow,
  WebhookDeliveryRow,
  WebhookEndpointRow,
} from "./webhook.table.ts";

export const OUTBOX_SOURCE = "domain_events";

export function insertEndpoint(db: Executor, row: NewWebhookEndpointRow): Promise<WebhookEndpointRow> {
  return db.insertInto("webhook_endpoints").values(row).returningAll().executeTakeFirstOrThrow();
}

/**
 * A tenant's first endpoint starts from the events that happen after it: the cursor is set to
 * the newest event, so that history is not replayed into it.
 */
export async function startOutboxCursor(db: Executor, tenantId: string): Promise<void> {
  await sql`
    insert into webhook_outbox_cursor (tenant_id, source, last_id)
    select ${tenantId}::uuid, ${OUTBOX_SOURCE}, coalesce(max(seq), 0)::text from domain_events where tenant_id = ${tenantId}
    on conflict (tenant_id, source) do nothing`.execute(db);
}

export function findEndpoints(db: Executor, tenantId: string): Promise<WebhookEndpointRow[]> {
  return db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .orderBy("created_at")
    .execute();
}

export async function deleteEndpoint(db: Executor, tenantId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom("webhook_endpoints")
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertDomainEvent(
  db: Executor,
  event: { tenantId: string; type: string; customerId: string | null; payload: unknown; occurredAt: Date },
): Promise<void> {
  await db
    .insertInto("domain_events")
    .values({
      tenant_id: event.tenantId,
      type: event.type,
      customer_id: event.customerId,
      payload: JSON.stringify(event.payload),
      occurred_at: event.occurredAt,
    })
    .execute();
}

/**
 * Several events, in one statement per few thousand: a chunk travels as four array parameters and
 * its payloads as one text of JSON lines (JSON.stringify never writes a raw line break), which the
 * statement splits and stores as json, unparsed (migration 0053): a file's payments publish one
 * `invoice.paid` each, and thousands of bound parameters per statement, or one JSON document
 * parsed whole, cost more than the rows. Events keep their order in `seq`. They are read one chunk
 * at a time, and a chunk is written while the next one is built and serialised: the database and
 * this thread work side by side.
 */
export async function insertDomainEvents(
  db: Executor,
  events: Iterable<{
    tenantId: string;
    type: string;
    customerId: string | null;
    payload: unknown;
    occurredAt: Date;
  }>,
): Promise<void> {
  let writing: Promise<unknown> = Promise.resolve();
  let chunk = new EventColumns();
  const write = async () => {
    const columns = chunk;
    chunk = new EventColumns();
    const payloads = columns.payloads.join("\n");
    await writing;
    writing = sql`
      insert into domain_events (tenant_id, type, customer_id, payload, occurred_at)
      select e.tenant_id, e.type, e.customer_id, p.payload::json, e.occurred_at
      from unnest(${columns.tenantIds}::uuid[], ${columns.types}::text[], ${columns.customerIds}::uuid[],
        ${columns.occurredAts}::timestamptz[]) with ordinality as e(tenant_id, type, customer_id, occurred_at, position)
      join string_to_table(${payloads}, E'\n') with ordinality as p(payload, position) on p.position = e.position
      order by e.position`.execute(db);
  };
  try {
    for (const event of events) {
      chunk.add(event);
      if (chunk.payloads.length === EVENT_CHUNK) await write();
    }
    if (chunk.payloads.length > 0) await write();
    await writing;
  } catch (error) {
    // the events' source failed while a chunk was being written: that write's own failure, if any,
    // must not surface later as an unhandled rejection (which ends the process)
    await writing.catch(() => undefined);
    throw error;
  }
}

/** A chunk of events as the columns insertDomainEvents sends. */
class EventColumns {
  readonly tenantIds: string[] = [];
  readonly types: string[] = [];
  readonly customerIds: (string | null)[] = [];
  readonly occurredAts: string[] = [];
  readonly payloads: string[] = [];

  add(event: {
    tenantId: string;
    type: string;
    customerId: string | null;
    payload: unknown;
    occurredAt: Date;
  }) {
    this.tenantIds.push(event.tenantId);
    this.types.push(event.type);
    this.customerIds.push(event.customerId);
    this.occurredAts.push(event.occurredAt.toISOString());
    this.payloads.push(JSON.stringify(event.payload ?? null));
  }
}

const EVENT_CHUNK = 5000;

/**
 * Fans the outbox out to deliveries, one tenant at a time, in one statement: each event after the
 * tenant's cursor goes to every live endpoint whose filter takes it (none = all; `message.*`), and
 * the cursor moves to the last event read. A second worker doing the same finds the deliveries
 * already there (unique per endpoint and event) and moves the cursor no further.
 */
export async function fanOutEvents(db: Executor, now: Date, batch = 5000): Promise<number> {
  const result = await sql<{ delivered: number }>`
    with tenants_with_endpoints as (
      select distinct tenant_id from webhook_endpoints where disabled_at is null
    ),
    cursors as (
      select t.tenant_id, coalesce((select last_id::bigint from webhook_outbox_cursor w
        where w.tenant_id = t.tenant_id and w.source = ${OUTBOX_SOURCE}), 0) as last_seq
      from tenants_with_endpoints t
    ),
    picked as (
      select e.* from cursors c
      cross join lateral (
        select * from domain_events e
        where e.tenant_id = c.tenant_id and e.seq > c.last_seq
        order by e.seq limit ${batch}
      ) e
    ),
    inserted as (
      insert into webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, customer_id, payload,
        next_attempt_at, created_at)
      select p.tenant_id, w.id, p.id, p.type, p.customer_id,
        jsonb_build_object('id', p.id, 'type', p.type, 'createdAt', p.occurred_at, 'data', p.payload),
        ${now}::timestamptz, ${now}::timestamptz
      from picked p
      join webhook_endpoints w on w.tenant_id = p.tenant_id and w.disabled_at is null
        and (cardinality(w.events) = 0 or p.type = any(w.events) or split_part(p.type, '.', 1) || '.*' = any(w.events))
      order by p.seq
      on conflict (tenant_id, endpoint_id, event_id) do nothing
      returning 1
    ),
    moved as (
      insert into webhook_outbox_cursor (tenant_id, source, last_id)
      select tenant_id, ${OUTBOX_SOURCE}, max(seq)::text from picked group by tenant_id
      on conflict (tenant_id, source) do update
        set last_id = greatest(webhook_outbox_cursor.last_id::bigint, excluded.last_id::bigint)::text
      returning 1
    )
    select (select count(*) from inserted)::integer as delivered`.execute(db);
  return Number(result.rows[0]?.delivered ?? 0);
}

/**
 * Claims due deliveries with a lease (next attempt pushed `leaseSeconds` ahead), oldest first,
 * skipping any whose endpoint still has an earlier pending delivery for the same customer: events
 * of one customer reach an endpoint in the order they happened.
 */
export async function claimDueDeliveries(
  db: Executor,
  now: Date,
  limit: number,
  leaseSeconds: number,
): Promise<WebhookDeliveryRow[]> {
  const result = await sql<WebhookDeliveryRow>`
    update webhook_deliveries d
    set next_attempt_at = ${now}::timestamptz + make_interval(secs => ${leaseSeconds})
    where (d.tenant_id, d.id) in (
      select c.tenant_id, c.id from webhook_deliveries c
      where c.status = 'pending' and c.next_attempt_at <= ${now}
        and not exists (
          select 1 from webhook_deliveries earlier
          where earlier.tenant_id = c.tenant_id and earlier.endpoint_id = c.endpoint_id
            and earlier.customer_id is not distinct from c.customer_id
            and earlier.status = 'pending' and earlier.seq < c.seq)
      order by c.seq
      limit ${limit}
      for update skip locked)
    returning d.*`.execute(db);
  return result.rows.sort((a, b) => Number(a.seq) - Number(b.seq));
}

/**
 * Claims one delivery for an attempt now (a manual redelivery), with the same lease and the same
 * order rule as claimDueDeliveries: nothing is returned while an earlier delivery of the same
 * customer to the same endpoint is pending (it goes first, through the worker), nor while another
 * process holds this one.
 */
export async function claimDelivery(
  db: Executor,
  tenantId: string,
  id: string,
  now: Date,
  leaseSeconds: number,
): Promise<WebhookDeliveryRow | undefined> {
  const result = await sql<WebhookDeliveryRow>`
    update webhook_deliveries d
    set next_attempt_at = ${now}::timestamptz + make_interval(secs => ${leaseSeconds})
    where (d.tenant_id, d.id) in (
      select c.tenant_id, c.id from webhook_deliveries c
      where c.tenant_id = ${tenantId} and c.id = ${id}
        and c.status = 'pending' and c.next_attempt_at <= ${now}
        and not exists (
          select 1 from webhook_deliveries earlier
          where earlier.tenant_id = c.tenant_id and earlier.endpoint_id = c.endpoint_id
            and earlier.customer_id is not distinct from c.customer_id
            and earlier.status = 'pending' and earlier.seq < c.seq)
      for update skip locked)
    returning d.*`.execute(db);
  return result.rows[0];
}

export function findEndpointsByIds(
  db: Executor,
  keys: { tenantId: string; id: string }[],
): Promise<WebhookEndpointRow[]> {
  if (keys.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where((eb) =>
      eb.or(keys.map((key) => eb.and([eb("tenant_id", "=", key.tenantId), eb("id", "=", key.id)]))),
    )
    .execute();
}

export async function recordAttempt(
  db: Executor,
  delivery: { tenantId: string; id: string },
  attempt: Omit<WebhookAttemptRow, "tenant_id" | "delivery_id">,
  outcome: {
    status: "pending" | "delivered" | "failed";
    nextAttemptAt: Date | null;
    deliveredAt: Date | null;
  },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("webhook_attempts")
      .values({ tenant_id: delivery.tenantId, delivery_id: delivery.id, ...attempt })
      .execute();
    await trx
      .updateTable("webhook_deliveries")
      .set({
        status: outcome.status,
        attempts: attempt.attempt,
        last_status_code: attempt.status_code,
        last_error: attempt.error,
        next_attempt_at: outcome.nextAttemptAt,
        delivered_at: outcome.deliveredAt,
      })
      .where("tenant_id", "=", delivery.tenantId)
      .where("id", "=", delivery.id)
      .execute();
  });
}

export function findDeliveryPage(
  db: Executor,
  tenantId: string,
  options: { limit: number; beforeSeq?: number; endpointId?: string; status?: string },
): Promise<WebhookDeliveryRow[]> {
  let query = db.selectFrom("webhook_deliveries").selectAll().where("tenant_id", "=", tenantId);
  if (options.endpointId) query = query.where("endpoint_id", "=", options.endpointId);
  if (options.status) query = query.where("status", "=", options.status as "pending");
  if (options.beforeSeq !== undefined) query = query.where("seq", "<", options.beforeSeq);
  return query.orderBy("seq", "desc").limit(options.limit).execute();
}

export function findDelivery(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<WebhookDeliveryRow | undefined> {
  return db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export function findAttempts(
  db: Executor,
  tenantId: string,
  deliveryId: string,
): Promise<WebhookAttemptRow[]> {
  return db
    .selectFrom("webhook_attempts")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("delivery_id", "=", deliveryId)
    .orderBy("attempt")
    .execute();
}

export async function scheduleRedelivery(
  db: Executor,
  tenantId: string,
  id: string,
  now: Date,
): Promise<WebhookDeliveryRow | undefined> {
  return db
    .updateTable("webhook_deliveries")
    .set({ status: "pending", next_attempt_at: now })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}
