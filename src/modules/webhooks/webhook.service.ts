import { createHmac, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { webhookAttemptsTotal, webhookDeliveryLag } from "../../observability/metrics.ts";
import { notFound } from "../../shared/errors.ts";
import {
  assertOutboundUrl,
  type OutboundOptions,
  OutboundRefused,
  requestOutbound,
} from "../../shared/outbound.ts";
import { openSecret, sealSecret } from "../../shared/secret-box.ts";
import { parseInput } from "../../shared/validation.ts";
import {
  claimDelivery,
  claimDueDeliveries,
  deleteEndpoint,
  fanOutEvents,
  findAttempts,
  findDelivery,
  findDeliveryPage,
  findEndpoints,
  findEndpointsByIds,
  insertDomainEvent,
  insertDomainEvents,
  insertEndpoint,
  recordAttempt,
  scheduleRedelivery,
  startOutboxCursor,
} from "./webhook.repository.ts";
import type { WebhookDeliveryRow, WebhookEndpointRow } from "./webhook.table.ts";
import type { TCreateWebhookEndpoint, WebhookDelivery, WebhookEndpoint } from "./webhook.ts";
import { ZCreateWebhookEndpoint } from "./webhook.ts";

/** Deliveries are retried with exponential backoff (30 s doubling, at most 6 h apart) for 3 days. */
export const FIRST_RETRY_SECONDS = 30;
export const MAX_RETRY_SECONDS = 6 * 3600;
export const GIVE_UP_AFTER_SECONDS = 3 * 24 * 3600;
const REQUEST_TIMEOUT_MS = 10_000;
const LEASE_SECONDS = 120;

export const SIGNATURE_HEADER = "Regua-Signature";

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under the endpoint's secret. */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${v1}`;
}

/** Seconds to wait after the n-th failed attempt (n ≥ 1). */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(FIRST_RETRY_SECONDS * 2 ** (attempt - 1), MAX_RETRY_SECONDS);
}

function endpointFromRow(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
  };
}

function deliveryFromRow(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    customerId: row.customer_id,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    nextAttemptAt: row.status === "pending" ? row.next_attempt_at : null,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
    payload: row.payload,
  };
}

/** Writes an event to the domain events outbox; the worker fans it out to the endpoints. */
export async function publishEvent(
  db: Executor,
  event: { tenantId: string; type: string; customerId: string | null; data: unknown; occurredAt: Date },
): Promise<void> {
  await insertDomainEvent(db, {
    tenantId: event.tenantId,
    type: event.type,
    customerId: event.customerId,
    payload: event.data,
    occurredAt: event.occurredAt,
  });
}

/**
 * Writes several events to the outbox at once (the payments of a file), read as they are written:
 * a generator builds each event's payload only when its chunk's turn comes.
 */
export async function publishEvents(
  db: Executor,
  events: Iterable<{
    tenantId: string;
    type: string;
    customerId: string | null;
    data: unknown;
    occurredAt: Date;
  }>,
): Promise<void> {
  await insertDomainEvents(
    db,
    (function* () {
      for (const event of events) yield { ...event, payload: event.data };
    })(),
  );
}

export async function createEndpoint(
  db: Kysely<Database>,
  tenantId: string,
  input: TCreateWebhookEndpoint,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const data = parseInput(ZCreateWebhookEndpoint, input);
  await assertOutboundUrl("url", data.url);
  const secret = `whsec_${randomBytes(32).toString("base64url")}`;
  const row = await db.transaction().execute(async (trx) => {
    await startOutboxCursor(trx, tenantId);
    return insertEndpoint(trx, {
      tenant_id: tenantId,
      url: data.url,
      description: data.description,
      events: [...new Set(data.events)],
      secret: sealSecret(secret),
    });
  });
  return { endpoint: endpointFromRow(row), secret };
}

export async function listEndpoints(db: Kysely<Database>, tenantId: string): Promise<WebhookEndpoint[]> {
  return (await findEndpoints(db, tenantId)).map(endpointFromRow);
}

export async function removeEndpoint(db: Kysely<Database>, tenantId: string, id: string): Promise<void> {
  if (!(await deleteEndpoint(db, tenantId, id))) throw notFound("Endpoint de webhook", id);
}

export async function listDeliveries(
  db: Kysely<Database>,
  tenantId: string,
  options: { limit: number; beforeSeq?: number; endpointId?: string; status?: string },
) {
  const rows = await findDeliveryPage(db, tenantId, options);
  return rows.map((row) => ({ seq: Number(row.seq), delivery: deliveryFromRow(row) }));
}

export async function getDelivery(db: Kysely<Database>, tenantId: string, id: string) {
  const row = await findDelivery(db, tenantId, id);
  if (!row) throw notFound("Entrega de webhook", id);
  const attempts = await findAttempts(db, tenantId, id);
  return {
    ...deliveryFromRow(row),
    attemptLog: attempts.map((attempt) => ({
      attempt: attempt.attempt,
      at: attempt.at,
      statusCode: attempt.status_code,
      error: attempt.error,
      durationMs: attempt.duration_ms,
    })),
  };
}

/**
 * Manual redelivery: one more attempt, now, whatever the delivery's state — made by this very
 * call (signed and recorded like the worker's), not left to the worker's next tick. The answer
 * is the delivery after that attempt. If an earlier delivery of the same customer to the same
 * endpoint is still pending, this one waits for it (events keep their order) and the worker sends
 * both; if the attempt fails, the usual retries follow.
 */
export async function redeliver(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  now: Date,
  outbound: OutboundOptions = {},
): Promise<WebhookDelivery> {
  const row = await scheduleRedelivery(db, tenantId, id, now);
  if (!row) throw notFound("Entrega de webhook", id);
  const claimed = await claimDelivery(db, tenantId, id, now, LEASE_SECONDS);
  if (!claimed) return deliveryFromRow(row);
  const [endpoint] = await findEndpointsByIds(db, [{ tenantId, id: claimed.endpoint_id }]);
  if (endpoint) await attempt(db, claimed, endpoint, now, outbound);
  const after = await findDelivery(db, tenantId, id);
  return deliveryFromRow(after ?? claimed);
}

export interface DeliveryRunReport {
  fannedOut: number;
  attempted: number;
  delivered: number;
  failed: number;
}

/**
 * The delivery worker: fans new outbox events out, then POSTs every due delivery (batches of
 * `batchSize`, several in flight), signed with the endpoint's secret. A 2xx answer delivers; any
 * other answer, a timeout or a network error schedules the next attempt, until 3 days after the
 * delivery was created, when it is marked failed (a manual redelivery can still send it).
 */
export async function deliverDueWebhooks(
  db: Kysely<Database>,
  now: Date,
  outbound: OutboundOptions = {},
  options: { batchSize?: number; concurrency?: number } = {},
): Promise<DeliveryRunReport> {
  const report: DeliveryRunReport = {
    fannedOut: await fanOutEvents(db, now),
    attempted: 0,
    delivered: 0,
    failed: 0,
  };
  const batchSize = options.batchSize ?? 100;
  const concurrency = options.concurrency ?? 8;
  for (;;) {
    const due = await claimDueDeliveries(db, now, batchSize, LEASE_SECONDS);
    if (due.length === 0) break;
    const endpoints = await findEndpointsByIds(
      db,
      [...new Set(due.map((row) => `${row.tenant_id}|${row.endpoint_id}`))].map((key) => {
        const [tenantId, id] = key.split("|") as [string, string];
        return { tenantId, id };
      }),
    );
    const byKey = new Map(endpoints.map((endpoint) => [`${endpoint.tenant_id}|${endpoint.id}`, endpoint]));
    // deliveries of one customer and endpoint go one after the other; the rest in parallel
    const lanes = new Map<string, WebhookDeliveryRow[]>();
    for (const row of due) {
      const lane = `${row.tenant_id}|${row.endpoint_id}|${row.customer_id ?? ""}`;
      lanes.set(lane, [...(lanes.get(lane) ?? []), row]);
    }
    const queue = [...lanes.values()];
    const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let lane = queue.shift(); lane; lane = queue.shift()) {
        for (const row of lane) {
          const endpoint = byKey.get(`${row.tenant_id}|${row.endpoint_id}`);
          if (!endpoint) continue;
          const outcome = await attempt(db, row, endpoint, now, outbound);
          webhookAttemptsTotal.inc({ outcome });
          if (outcome === "delivered")
            webhookDeliveryLag.observe(Math.max(0, (now.getTime() - row.created_at.getTime()) / 1000));
          report.attempted += 1;
          if (outcome === "delivered") report.delivered += 1;
          if (outcome === "failed") report.failed += 1;
          if (outcome !== "delivered") break; // keep the customer's order: later events wait
        }
      }
    });
    // a delivery that went out may free the next one of its customer: claim again until nothing is due
    // (each claimed row is delivered, failed or leased into the future, so this ends)
    await Promise.all(workers);
  }
  return report;
}

async function attempt(
  db: Kysely<Database>,
  row: WebhookDeliveryRow,
  endpoint: WebhookEndpointRow,
  now: Date,
  outbound: OutboundOptions,
): Promise<"delivered" | "pending" | "failed"> {
  const body = JSON.stringify(row.payload);
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    // checked again now and pinned: the endpoint's name may resolve elsewhere than at save time
    const response = await requestOutbound(
      endpoint.url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "Regua-Webhooks/1",
          [SIGNATURE_HEADER]: signatureHeader(openSecret(endpoint.secret), body, now),
          "Regua-Event-Id": row.event_id,
          "Regua-Event-Type": row.event_type,
          "Regua-Delivery-Id": row.id,
        },
        body,
        timeoutMs: REQUEST_TIMEOUT_MS,
      },
      outbound,
    );
    statusCode = response.status;
    if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
  } catch (caught) {
    error =
      caught instanceof OutboundRefused
        ? `endereço recusado: ${caught.message}`
        : (caught as Error).name === "TimeoutError"
          ? "tempo esgotado (10 s)"
          : String((caught as Error).message ?? caught);
  }
  const attemptNumber = row.attempts + 1;
  const durationMs = Math.round(performance.now() - started);
  if (error === null) {
    await recordAttempt(
      db,
      { tenantId: row.tenant_id, id: row.id },
      { attempt: attemptNumber, at: now, status_code: statusCode, error: null, duration_ms: durationMs },
      { status: "delivered", nextAttemptAt: null, deliveredAt: now },
    );
    return "delivered";
  }
  const next = new Date(now.getTime() + retryDelaySeconds(attemptNumber) * 1000);
  const giveUp = next.getTime() - row.created_at.getTime() > GIVE_UP_AFTER_SECONDS * 1000;
  await recordAttempt(
    db,
    { tenantId: row.tenant_id, id: row.id },
    {
      attempt: attemptNumber,
      at: now,
      status_code: statusCode,
      error: error.slice(0, 500),
      duration_ms: durationMs,
    },
    { status: giveUp ? "failed" : "pending", nextAttemptAt: giveUp ? null : next, deliveredAt: null },
  );
  return giveUp ? "failed" : "pending";
}
