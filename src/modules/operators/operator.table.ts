import type { Generated, Insertable, Selectable } from "kysely";
import type { Role } from "../../http/permissions.ts";

export interface OperatorTable {
  tenant_id: string;
  id: Generated<string>;
  email: string;
  name: Generated<string>;
  role: Role;
  password_hash: string;
  disabled_at: Date | null;
  created_at: Generated<Date>;
}

export interface OperatorSessionTable {
  tenant_id: string;
  id: Generated<string>;
  operator_id: string;
  token_hash: string;
  csrf_token: string;
  created_at: Generated<Date>;
  expires_at: Date;
  revoked_at: Date | null;
}

/** Wrong sign-ins per account or client IP (see sign-in-throttle.ts). */
export interface OperatorSignInAttemptTable {
  tenant_id: string;
  scope: "account" | "ip";
  key: string;
  failures: number;
  window_started_at: Date;
  locked_until: Date | null;
}

export type OperatorSignInAttemptRow = Selectable<OperatorSignInAttemptTable>;
export type OperatorRow = Selectable<OperatorTable>;
export type NewOperatorRow = Insertable<OperatorTable>;
export type OperatorSessionRow = Selectable<OperatorSessionTable>;
