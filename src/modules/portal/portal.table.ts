import type { Generated, Selectable } from "kysely";

export interface PortalKeyTable {
  tenant_id: string;
  secret: string;
  created_at: Generated<Date>;
}

export type AttemptScope = "link" | "ip";

export interface PortalAttemptTable {
  tenant_id: string;
  scope: AttemptScope;
  key_hash: string;
  failures: Generated<number>;
  window_started_at: Date;
  locked_until: Date | null;
}

export interface PortalSessionTable {
  tenant_id: string;
  token_hash: string;
  customer_id: string;
  csrf_token: string;
  created_at: Date;
  expires_at: Date;
}

export interface PortalContactCodeTable {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  channel: "email" | "sms";
  value: string;
  code_hash: string;
  attempts: Generated<number>;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

export type PortalAttemptRow = Selectable<PortalAttemptTable>;
export type PortalSessionRow = Selectable<PortalSessionTable>;
export type PortalContactCodeRow = Selectable<PortalContactCodeTable>;
