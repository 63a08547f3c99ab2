import type { Generated, Insertable, Selectable } from "kysely";

export type ActorKind = "api_key" | "operator" | "system";

export interface AuditLogTable {
  tenant_id: string;
  id: Generated<number>;
  at: Generated<Date>;
  actor_kind: ActorKind;
  actor_id: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  request_id: string | null;
  status_code: number | null;
}

export interface IdempotencyKeyTable {
  tenant_id: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  created_at: Generated<Date>;
  completed_at: Date | null;
}

export type AuditLogRow = Selectable<AuditLogTable>;
export type NewAuditLogRow = Insertable<AuditLogTable>;
