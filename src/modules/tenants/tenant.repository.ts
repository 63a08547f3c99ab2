import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { ApiKeyRow, NewTenantRow, TenantRow, TenantUpdate } from "./tenant.table.ts";

export function insertTenant(db: Executor, row: NewTenantRow): Promise<TenantRow> {
  return db.insertInto("tenants").values(row).returningAll().executeTakeFirstOrThrow();
}

export function findTenantById(db: Executor, id: string): Promise<TenantRow | undefined> {
  return db.selectFrom("tenants").selectAll().where("id", "=", id).executeTakeFirst();
}

export function findTenantBySlug(db: Executor, slug: string): Promise<TenantRow | undefined> {
  return db.selectFrom("tenants").selectAll().where("slug", "=", slug).executeTakeFirst();
}

export function findAllTenants(db: Executor): Promise<TenantRow[]> {
  return db.selectFrom("tenants").selectAll().orderBy("slug").execute();
}

export function updateTenant(
  db: Executor,
  id: string,
  changes: TenantUpdate,
): Promise<TenantRow | undefined> {
  return db
    .updateTable("tenants")
    .set({ ...changes, updated_at: sql`now()` })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Reserves `count` consecutive boleto "nosso número" values for a tenant and returns the first.
 * The row lock taken by the update serialises concurrent imports, so no number is handed out twice.
 */
export async function reserveOurNumbers(db: Executor, tenantId: string, count: number): Promise<number> {
  const row = await db
    .updateTable("tenants")
    .set({ boleto_next_our_number: sql`boleto_next_our_number + ${count}` })
    .where("id", "=", tenantId)
    .returning(sql<number>`boleto_next_our_number - ${count}`.as("first"))
    .executeTakeFirstOrThrow();
  return Number(row.first);
}

export function insertApiKey(
  db: Executor,
  row: { tenant_id: string; name: string; prefix: string; secret_hash: string; scope: "read" | "write" },
): Promise<ApiKeyRow> {
  return db.insertInto("api_keys").values(row).returningAll().executeTakeFirstOrThrow();
}

/** The key with this prefix, in the tenant its route names (null: a key made before routing). */
export function findApiKeyByPrefix(
  db: Executor,
  tenantId: string | null,
  prefix: string,
): Promise<ApiKeyRow | undefined> {
  return db
    .selectFrom("api_keys")
    .selectAll()
    .$if(tenantId !== null, (query) => query.where("tenant_id", "=", tenantId!))
    .where("prefix", "=", prefix)
    .executeTakeFirst();
}

export function findApiKeysOfTenant(db: Executor, tenantId: string): Promise<ApiKeyRow[]> {
  return db
    .selectFrom("api_keys")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .orderBy("created_at")
    .execute();
}

/** Revokes a key of the tenant named by its id or its prefix; returns it, or undefined if none matched. */
export function revokeApiKeyRow(
  db: Executor,
  tenantId: string,
  prefixOrId: string,
): Promise<ApiKeyRow | undefined> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(prefixOrId);
  return db
    .updateTable("api_keys")
    .set({ revoked_at: sql`coalesce(revoked_at, now())` })
    .where("tenant_id", "=", tenantId)
    .where((eb) => (isUuid ? eb("id", "=", prefixOrId) : eb("prefix", "=", prefixOrId)))
    .returningAll()
    .executeTakeFirst();
}

export async function touchApiKey(db: Executor, tenantId: string, id: string): Promise<void> {
  await db
    .updateTable("api_keys")
    .set({ last_used_at: sql`now()` })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .execute();
}
