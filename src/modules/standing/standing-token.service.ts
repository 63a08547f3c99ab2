import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import { AppError, notFound } from "../../shared/errors.ts";
import { routedTenantId, routeOfToken, routePrefixOf } from "../tenants/token-route.ts";

/**
 * The login-page banner runs in the debtor's browser, where no API key may go. The creditor's
 * backend mints a token for one customer (valid for minutes, hashed at rest) and writes it into
 * the page; the embedded script reads that customer's standing with it and nothing else.
 */
export async function mintStandingToken(
  db: Kysely<Database>,
  tenantId: string,
  customerId: string,
  now: Date,
  ttlMinutes: number,
): Promise<{ token: string; expiresAt: Date }> {
  const customer = await db
    .selectFrom("customers")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("id", "=", customerId)
    .executeTakeFirst();
  if (!customer) throw notFound("Cliente", customerId);
  // the token names its tenant (tenants/token-route.ts): found by (tenant, hash)
  const token = `st_${await routePrefixOf(db, tenantId)}${randomBytes(24).toString("base64url")}`;
  const expiresAt = new Date(now.getTime() + ttlMinutes * 60_000);
  await db
    .insertInto("standing_tokens")
    .values({ tenant_id: tenantId, customer_id: customerId, token_hash: hash(token), expires_at: expiresAt })
    .execute();
  // expired tokens of the tenant are swept as new ones are minted
  await db
    .deleteFrom("standing_tokens")
    .where("tenant_id", "=", tenantId)
    .where("expires_at", "<", now)
    .execute();
  return { token, expiresAt };
}

export async function resolveStandingToken(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<{ tenantId: string; customerId: string }> {
  const route = await routeOfToken(db, token);
  const tenantId = route ? routedTenantId(route) : null;
  const row = route
    ? await db
        .selectFrom("standing_tokens")
        .select(["tenant_id", "customer_id"])
        .$if(tenantId !== null, (query) => query.where("tenant_id", "=", tenantId!))
        .where("token_hash", "=", hash(token))
        .where("expires_at", ">", now)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError("unauthorized", "Token de situação inválido ou expirado; recarregue a página");
  return { tenantId: row.tenant_id, customerId: row.customer_id };
}

function hash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
