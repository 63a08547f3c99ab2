import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type {
  AttemptScope,
  PortalAttemptRow,
  PortalContactCodeRow,
  PortalSessionRow,
} from "./portal.table.ts";

export async function findPortalKey(db: Executor, tenantId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("portal_keys")
    .select("secret")
    .where("tenant_id", "=", tenantId)
    .executeTakeFirst();
  return row?.secret;
}

/** Stores the tenant's key unless another process stored one first; returns the one that won. */
export async function insertPortalKey(db: Executor, tenantId: string, secret: string): Promise<string> {
  await db
    .insertInto("portal_keys")
    .values({ tenant_id: tenantId, secret })
    .onConflict((conflict) => conflict.column("tenant_id").doNothing())
    .execute();
  return (await findPortalKey(db, tenantId))!;
}

/** The throttle rows of these keys, created empty when missing, locked for update. */
export async function lockAttempts(
  db: Executor,
  tenantId: string,
  keys: { scope: AttemptScope; keyHash: string }[],
  now: Date,
): Promise<PortalAttemptRow[]> {
  await db
    .insertInto("portal_attempts")
    .values(
      keys.map((key) => ({
        tenant_id: tenantId,
        scope: key.scope,
        key_hash: key.keyHash,
        failures: 0,
        window_started_at: now,
        locked_until: null,
      })),
    )
    .onConflict((conflict) => conflict.columns(["tenant_id", "scope", "key_hash"]).doNothing())
    .execute();
  return db
    .selectFrom("portal_attempts")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where((eb) =>
      eb.or(keys.map((key) => eb.and([eb("scope", "=", key.scope), eb("key_hash", "=", key.keyHash)]))),
    )
    .orderBy("scope")
    .forUpdate()
    .execute();
}

export async function saveAttempt(
  db: Executor,
  row: Pick<
    PortalAttemptRow,
    "tenant_id" | "scope" | "key_hash" | "failures" | "window_started_at" | "locked_until"
  >,
): Promise<void> {
  await db
    .updateTable("portal_attempts")
    .set({ failures: row.failures, window_started_at: row.window_started_at, locked_until: row.locked_until })
    .where("tenant_id", "=", row.tenant_id)
    .where("scope", "=", row.scope)
    .where("key_hash", "=", row.key_hash)
    .execute();
}

export async function insertSession(db: Executor, row: PortalSessionRow): Promise<void> {
  await db.insertInto("portal_sessions").values(row).execute();
  // ended sessions of the tenant, and throttle counts a day past their window, are swept as new
  // sessions start
  await db
    .deleteFrom("portal_sessions")
    .where("tenant_id", "=", row.tenant_id)
    .where("expires_at", "<", row.created_at)
    .execute();
  const dayAgo = new Date(row.created_at.getTime() - 86_400_000);
  await db
    .deleteFrom("portal_attempts")
    .where("tenant_id", "=", row.tenant_id)
    .where("window_started_at", "<", dayAgo)
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", row.created_at)]))
    .execute();
}

/**
 * The live session with this token hash, its expiry pushed to `until` in the same statement; the
 * tenant comes from the token (tenants/token-route.ts), null for a cookie issued before routing.
 */
export async function touchSession(
  db: Executor,
  tenantId: string | null,
  tokenHash: string,
  now: Date,
  until: Date,
): Promise<PortalSessionRow | undefined> {
  return db
    .updateTable("portal_sessions")
    .set({ expires_at: until })
    .$if(tenantId !== null, (query) => query.where("tenant_id", "=", tenantId!))
    .where("token_hash", "=", tokenHash)
    .where("expires_at", ">", now)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteSession(db: Executor, tenantId: string | null, tokenHash: string): Promise<void> {
  await db
    .deleteFrom("portal_sessions")
    .$if(tenantId !== null, (query) => query.where("tenant_id", "=", tenantId!))
    .where("token_hash", "=", tokenHash)
    .execute();
}

export async function countRecentCodes(
  db: Executor,
  tenantId: string,
  customerId: string,
  since: Date,
): Promise<number> {
  const row = await db
    .selectFrom("portal_contact_codes")
    .select(sql<number>`count(*)::int`.as("count"))
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .where("created_at", ">=", since)
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function insertContactCode(
  db: Executor,
  row: Omit<PortalContactCodeRow, "id" | "attempts" | "used_at">,
): Promise<string> {
  // codes a day past their expiry are swept as new ones are sent
  await db
    .deleteFrom("portal_contact_codes")
    .where("tenant_id", "=", row.tenant_id)
    .where("expires_at", "<", new Date(row.created_at.getTime() - 86_400_000))
    .execute();
  const inserted = await db
    .insertInto("portal_contact_codes")
    .values(row)
    .returning("id")
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** A code the customer asked for, to show its form again after a wrong answer. */
export function findContactCode(
  db: Executor,
  tenantId: string,
  customerId: string,
  id: string,
): Promise<Pick<PortalContactCodeRow, "id" | "channel" | "value"> | undefined> {
  return db
    .selectFrom("portal_contact_codes")
    .select(["id", "channel", "value"])
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export function lockContactCode(
  db: Executor,
  tenantId: string,
  customerId: string,
  id: string,
): Promise<PortalContactCodeRow | undefined> {
  return db
    .selectFrom("portal_contact_codes")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateContactCode(
  db: Executor,
  tenantId: string,
  id: string,
  changes: { attempts?: number; used_at?: Date },
): Promise<void> {
  await db
    .updateTable("portal_contact_codes")
    .set(changes)
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .execute();
}

/**
 * Saves a verified contact: the (channel, value) row is created or revived as verified, and the
 * customer's other contacts on that channel are retired (kept for history, no longer used).
 */
export async function saveVerifiedContact(
  db: Executor,
  tenantId: string,
  customerId: string,
  contact: { channel: "email" | "sms"; value: string },
  now: Date,
  retiredReason: string,
): Promise<void> {
  await db
    .insertInto("contacts")
    .values({
      tenant_id: tenantId,
      customer_id: customerId,
      channel: contact.channel,
      value: contact.value,
      consent_at: now,
      verified_owner: true,
      created_at: now,
    })
    .onConflict((conflict) =>
      conflict.columns(["tenant_id", "customer_id", "channel", "value"]).doUpdateSet({
        consent_at: now,
        opted_out_at: null,
        unusable_reason: null,
        verified_owner: true,
      }),
    )
    .execute();
  await db
    .updateTable("contacts")
    .set({ unusable_reason: retiredReason })
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .where("channel", "=", contact.channel)
    .where("value", "<>", contact.value)
    .where("unusable_reason", "is", null)
    .execute();
}
