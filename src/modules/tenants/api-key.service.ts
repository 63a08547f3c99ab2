import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import { notFound } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import {
  findApiKeyByPrefix,
  findApiKeysOfTenant,
  insertApiKey,
  revokeApiKeyRow,
  touchApiKey,
} from "./tenant.repository.ts";
import type { ApiKeyRow } from "./tenant.table.ts";
import { type ApiKey, type ApiKeyScope, type TCreateApiKey, ZCreateApiKey } from "./tenant.ts";
import { routedTenantId, routeOfToken, routePrefixOf } from "./token-route.ts";

/**
 * API keys look like `rg_<prefix>_<secret>`: the prefix (the tenant's route and a dot, then 12 hex
 * characters; without the route for keys made before migration 0042) finds the row and is shown in
 * listings — the route names the tenant (tenants/token-route.ts); the secret is 32 random bytes (256 bits) and only its SHA-256 is stored.
 * A fast hash is enough here, unlike for passwords: slow hashes (bcrypt, scrypt) exist to make
 * guessing low-entropy human secrets expensive, but a 256-bit random secret cannot be guessed or
 * brute-forced from its hash at any speed, so a slow hash would only cost every API request.
 */
const KEY_PATTERN = /^rg_((?:[0-9a-z]{1,12}\.)?[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The full key; shown once, never stored. */
  plaintext: string;
}

function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

function apiKeyFromRow(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    prefix: row.prefix,
    scope: row.scope,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export async function createApiKey(
  db: Kysely<Database>,
  tenantId: string,
  input: TCreateApiKey,
): Promise<CreatedApiKey> {
  const data = parseInput(ZCreateApiKey, input);
  const prefix = `${await routePrefixOf(db, tenantId)}${randomBytes(6).toString("hex")}`;
  const secret = randomBytes(32).toString("base64url");
  const row = await insertApiKey(db, {
    tenant_id: tenantId,
    name: data.name,
    prefix,
    secret_hash: hashSecret(secret),
    scope: data.scope,
  });
  return { apiKey: apiKeyFromRow(row), plaintext: `rg_${prefix}_${secret}` };
}

export async function listApiKeys(db: Kysely<Database>, tenantId: string): Promise<ApiKey[]> {
  return (await findApiKeysOfTenant(db, tenantId)).map(apiKeyFromRow);
}

/** Revokes a key by its prefix or id; revoking twice keeps the first revocation time. */
export async function revokeApiKey(
  db: Kysely<Database>,
  tenantId: string,
  prefixOrId: string,
): Promise<ApiKey> {
  const row = await revokeApiKeyRow(db, tenantId, prefixOrId.replace(/^rg_/, ""));
  if (!row) throw notFound("Chave de API", prefixOrId);
  return apiKeyFromRow(row);
}

/** The tenant and scope a presented key grants, or null for a malformed, unknown or revoked key. */
export async function authenticateApiKey(
  db: Kysely<Database>,
  presented: string,
): Promise<{ tenantId: string; scope: ApiKeyScope; keyId: string } | null> {
  const match = KEY_PATTERN.exec(presented.trim());
  if (!match) return null;
  const route = await routeOfToken(db, match[1]!);
  if (!route) return null;
  const row = await findApiKeyByPrefix(db, routedTenantId(route), match[1]!);
  if (!row || row.revoked_at) return null;
  const expected = Buffer.from(row.secret_hash, "hex");
  const actual = Buffer.from(hashSecret(match[2]!), "hex");
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  await touchApiKey(db, row.tenant_id, row.id);
  return { tenantId: row.tenant_id, scope: row.scope, keyId: row.id };
}
