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

/**
 * Writes the audit entry of a request and the domain events it raised in ONE statement (one round
 * trip, one commit): on the API's hot path (`POST /v1/invoices`) every round trip counts.
 */
export async function insertAuditEntry(
  db: Executor,
  row: NewAuditLogRow,
  events: OutboxEvent[] = [],
): Promise<void> {
  if (events.length === 0) {
    await db.insertInto("audit_log").values(row).execute();
    return;
  }
  const rows = events.map((event) => ({
    tenant_id: event.tenantId,
    type: event.type,
    customer_id: event.customerId,
    payload: event.payload,
    occurred_at: event.occurredAt.toISOString(),
  }));
  await sql`
    with audit as (
      insert into audit_log (tenant_id, actor_kind, actor_id, action, resource_type, resource_id, request_id, status_code)
      values (${row.tenant_id}, ${row.actor_kind}, ${row.actor_id}, ${row.action}, ${row.resource_type ?? null},
        ${row.resource_id ?? null}, ${row.request_id ?? null}, ${row.status_code ?? null})
    )
    insert into domain_events (tenant_id, type, customer_id, payload, occurred_at)
    select tenant_id, type, customer_id, payload, occurred_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as e(tenant_id uuid, type text, customer_id uuid, payload jsonb, occurred_at timestamptz)`.execute(db);
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
