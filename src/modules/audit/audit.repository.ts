import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { AuditLogRow, NewAuditLogRow } from "./audit.table.ts";

export interface OutboxEvent {
  tenantId: string;
  type: string;
  customerId: string | null;
  payload: unknown;
  occurredAt: Date;
}

/** An audit entry and the domain events its request raised. */
export interface AuditWrite {
  row: NewAuditLogRow;
  events: OutboxEvent[];
}

/**
 * Writes audit entries and the domain events of their requests in ONE statement (one round trip,
 * one commit): on the API's hot path (`POST /v1/invoices`) every round trip counts. Events keep
 * their order (their ids follow the array), which webhook delivery per customer relies on.
 */
export async function insertAuditEntries(db: Executor, writes: AuditWrite[]): Promise<void> {
  const entries = writes.map(({ row }) => ({
    tenant_id: row.tenant_id,
    actor_kind: row.actor_kind,
    actor_id: row.actor_id ?? null,
    action: row.action,
    resource_type: row.resource_type ?? null,
    resource_id: row.resource_id ?? null,
    request_id: row.request_id ?? null,
    status_code: row.status_code ?? null,
  }));
  const events = writes.flatMap((write) =>
    write.events.map((event) => ({
      tenant_id: event.tenantId,
      type: event.type,
      customer_id: event.customerId,
      payload: event.payload,
      occurred_at: event.occurredAt.toISOString(),
    })),
  );
  await sql`
    with audit as (
      insert into audit_log (tenant_id, actor_kind, actor_id, action, resource_type, resource_id, request_id, status_code)
      select a.tenant_id, a.actor_kind, a.actor_id, a.action, a.resource_type, a.resource_id, a.request_id,
        a.status_code
      from jsonb_array_elements(${JSON.stringify(entries)}::jsonb) with ordinality as item(value, position)
      cross join lateral jsonb_to_record(item.value)
        as a(tenant_id uuid, actor_kind text, actor_id text, action text, resource_type text,
          resource_id text, request_id text, status_code int4)
      order by item.position
    )
    insert into domain_events (tenant_id, type, customer_id, payload, occurred_at)
    select e.tenant_id, e.type, e.customer_id, e.payload, e.occurred_at
    from jsonb_array_elements(${JSON.stringify(events)}::jsonb) with ordinality as item(value, position)
    cross join lateral jsonb_to_record(item.value)
      as e(tenant_id uuid, type text, customer_id uuid, payload json, occurred_at timestamptz)
    order by item.position`.execute(db);
}

export function findAuditEntries(
  db: Executor,
  tenantId: string,
  options: { beforeId?: number; limit: number; resourceId?: string },
): Promise<AuditLogRow[]> {
  let query = db.selectFrom("audit_log").selectAll().where("tenant_id", "=", tenantId);
  if (options.beforeId !== undefined) query = query.where("id", "<", options.beforeId);
  if (options.resourceId !== undefined) query = query.where("resource_id", "=", options.resourceId);
  return query.orderBy("id", "desc").limit(options.limit).execute();
}
