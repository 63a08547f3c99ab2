import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../../db/database.ts";

/**
 * Tokens that route themselves (docs/scale.md § Tokens): a token issued for a tenant starts with
 * the tenant's route number in base 36 and a dot ("1k.Xy12abCD"), so whoever receives it — a short
 * link, a cookie — finds the tenant from the token alone, then the row by (tenant_id, token): one
 * shard on Citus. A token without a dot was issued before routing (migration 0042) and is found by
 * the token alone, as before. The route number is public (it names no one); the random part after
 * the dot is what must not be guessed.
 */

const SEPARATOR = ".";

/** The tenant's prefix for the tokens it issues ("1k."). */
export async function routePrefixOf(db: Executor, tenantId: string): Promise<string> {
  const row = await db
    .selectFrom("tenants")
    .select("route_number")
    .where("id", "=", tenantId)
    .executeTakeFirstOrThrow();
  return `${Number(row.route_number).toString(36)}${SEPARATOR}`;
}

/**
 * Where a received token's row is: `{ tenantId }` for a routed token, `"unrouted"` for one issued
 * before routing, null for a token naming no tenant (never a row).
 */
export type TokenRoute = { tenantId: string } | "unrouted" | null;

export async function routeOfToken(db: Executor, token: string): Promise<TokenRoute> {
  if (!token.includes(SEPARATOR)) return "unrouted";
  // a kind tag may come first ("st_1k.…" a standing token, "pixwh_1k.…" a Pix webhook's path)
  const match = /^(?:[a-z]{2,8}_)?([0-9a-z]{1,12})\./.exec(token);
  if (!match) return null;
  const routeNumber = Number.parseInt(match[1]!, 36);
  const row = await db
    .selectFrom("tenants")
    .select("id")
    .where("route_number", "=", routeNumber)
    .executeTakeFirst();
  return row ? { tenantId: row.id } : null;
}

/** The tenant a routed token names, or null for one issued before routing (found by the token alone). */
export function routedTenantId(route: { tenantId: string } | "unrouted"): string | null {
  return route === "unrouted" ? null : route.tenantId;
}

/** `alias.tenant_id = … and` for a routed token; nothing for an unrouted one (found by the token). */
export function routeScope(route: { tenantId: string } | "unrouted", alias: string): RawBuilder<unknown> {
  return route === "unrouted" ? sql`` : sql`${sql.ref(`${alias}.tenant_id`)} = ${route.tenantId} and`;
}
