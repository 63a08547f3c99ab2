import type { Executor } from "../../db/database.ts";
import { GroupWriter, groupWriterOf } from "../../db/group-writer.ts";
import {
  type AuditWrite,
  findAuditEntries,
  insertAuditEntries,
  type OutboxEvent,
} from "./audit.repository.ts";
import type { ActorKind } from "./audit.table.ts";

/**
 * The audit log answers "who changed this, who saw this person's data": every write through the
 * API and every operator read of personal data (customer detail, LGPD export) — LGPD art. 37.
 */
export interface AuditEntry {
  id: number;
  at: Date;
  actorKind: ActorKind;
  actorId: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  requestId: string | null;
  statusCode: number | null;
}

export interface RecordAudit {
  tenantId: string;
  actorKind: ActorKind;
  actorId: string | null;
  action: string;
  resourceType?: string | null;
  resourceId?: string | null;
  requestId?: string | null;
  statusCode?: number | null;
}

// one group writer per database handle: requests in flight together share a commit
const writers = new WeakMap<object, GroupWriter<AuditWrite, undefined>>();

/**
 * Records an audit entry, with the domain events of the same request when there are any. Outside
 * a transaction, entries of concurrent requests are written together (see GroupWriter); the
 * promise resolves once this entry is committed either way.
 */
export async function recordAudit(
  db: Executor,
  entry: RecordAudit,
  events: OutboxEvent[] = [],
): Promise<void> {
  const write: AuditWrite = {
    row: {
      tenant_id: entry.tenantId,
      actor_kind: entry.actorKind,
      actor_id: entry.actorId,
      action: entry.action,
      resource_type: entry.resourceType ?? null,
      resource_id: entry.resourceId ?? null,
      request_id: entry.requestId ?? null,
      status_code: entry.statusCode ?? null,
    },
    events,
  };
  if (db.isTransaction) {
    await insertAuditEntries(db, [write]);
    return;
  }
  const writer = groupWriterOf(
    writers,
    db,
    () =>
      new GroupWriter(async (writes: AuditWrite[]) => {
        await insertAuditEntries(db, writes);
        return writes.map(() => undefined);
      }),
  );
  await writer.add(write);
}

export async function listAudit(
  db: Executor,
  tenantId: string,
  options: { beforeId?: number; limit: number; resourceId?: string },
): Promise<AuditEntry[]> {
  const rows = await findAuditEntries(db, tenantId, options);
  return rows.map((row) => ({
    id: Number(row.id),
    at: row.at,
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    requestId: row.request_id,
    statusCode: row.status_code,
  }));
}
