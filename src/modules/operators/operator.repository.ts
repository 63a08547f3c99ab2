import type { Executor } from "../../db/database.ts";
import type {
  NewOperatorRow,
  OperatorRow,
  OperatorSessionRow,
  OperatorSignInAttemptRow,
} from "./operator.table.ts";

export function insertOperator(db: Executor, row: NewOperatorRow): Promise<OperatorRow> {
  return db.insertInto("operators").values(row).returningAll().executeTakeFirstOrThrow();
}

export function findOperatorByEmail(
  db: Executor,
  tenantId: string,
  email: string,
): Promise<OperatorRow | undefined> {
  return db
    .selectFrom("operators")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("email", "=", email)
    .executeTakeFirst();
}

export function findOperators(db: Executor, tenantId: string): Promise<OperatorRow[]> {
  return db.selectFrom("operators").selectAll().where("tenant_id", "=", tenantId).orderBy("email").execute();
}

export function insertSession(
  db: Executor,
  row: { tenant_id: string; operator_id: string; token_hash: string; csrf_token: string; expires_at: Date },
): Promise<OperatorSessionRow> {
  return db.insertInto("operator_sessions").values(row).returningAll().executeTakeFirstOrThrow();
}

/** The live session of a token with its operator, or nothing when expired, revoked or disabled. */
export function findLiveSession(db: Executor, tenantId: string | null, tokenHash: string, now: Date) {
  return (
    db
      .selectFrom("operator_sessions as s")
      .innerJoin("operators as o", (join) =>
        join.onRef("o.tenant_id", "=", "s.tenant_id").onRef("o.id", "=", "s.operator_id"),
      )
      .select([
        "s.tenant_id",
        "s.id as session_id",
        "s.csrf_token",
        "o.id as operator_id",
        "o.role",
        "o.email",
        "o.name",
      ])
      // the tenant the cookie names (tenants/token-route.ts); null for one issued before routing
      .$if(tenantId !== null, (query) => query.where("s.tenant_id", "=", tenantId!))
      .where("s.token_hash", "=", tokenHash)
      .where("s.revoked_at", "is", null)
      .where("s.expires_at", ">", now)
      .where("o.disabled_at", "is", null)
      .executeTakeFirst()
  );
}

export async function revokeSession(
  db: Executor,
  tenantId: string,
  sessionId: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable("operator_sessions")
    .set({ revoked_at: now })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", sessionId)
    .where("revoked_at", "is", null)
    .execute();
}

/** The sign-in attempt rows of these keys, created when missing and locked for this transaction. */
export async function lockSignInAttempts(
  db: Executor,
  tenantId: string,
  keys: { scope: "account" | "ip"; key: string }[],
  now: Date,
): Promise<OperatorSignInAttemptRow[]> {
  await db
    .insertInto("operator_sign_in_attempts")
    .values(
      keys.map((key) => ({
        tenant_id: tenantId,
        ...key,
        failures: 0,
        window_started_at: now,
        locked_until: null,
      })),
    )
    .onConflict((conflict) => conflict.columns(["tenant_id", "scope", "key"]).doNothing())
    .execute();
  return db
    .selectFrom("operator_sign_in_attempts")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where((eb) => eb.or(keys.map((key) => eb.and([eb("scope", "=", key.scope), eb("key", "=", key.key)]))))
    .orderBy("scope")
    .forUpdate()
    .execute();
}

export async function saveSignInAttempt(db: Executor, row: OperatorSignInAttemptRow): Promise<void> {
  await db
    .updateTable("operator_sign_in_attempts")
    .set({ failures: row.failures, window_started_at: row.window_started_at, locked_until: row.locked_until })
    .where("tenant_id", "=", row.tenant_id)
    .where("scope", "=", row.scope)
    .where("key", "=", row.key)
    .execute();
}
