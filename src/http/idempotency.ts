import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Executor } from "../db/database.ts";
import { AppError } from "../shared/errors.ts";

/**
 * Idempotency-Key on POST (Stripe's model): the first request with a key runs and its response
 * (any status below 500) is stored; a replay with the same key and the same method, path and body
 * gets that response back with `Idempotent-Replayed: true`; the same key with anything else is a
 * 409. Keys are scoped per tenant and kept for 24 hours. A 5xx frees the key so the client can retry.
 */
export const IDEMPOTENCY_HEADER = "idempotency-key";
export const KEY_TTL_HOURS = 24;

export type IdempotencyOutcome =
  | { kind: "proceed"; hash: string }
  | { kind: "replay"; statusCode: number; body: string };

export function requestHash(method: string, path: string, rawBody: string | undefined): string {
  return createHash("sha256")
    .update(`${method} ${path}\n`)
    .update(rawBody ?? "")
    .digest("hex");
}

export function validateKey(key: string): void {
  if (key.length === 0 || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new AppError(
      "validation_failed",
      "Idempotency-Key deve ter de 1 a 255 caracteres visíveis (use um UUID por operação)",
      "Idempotency-Key",
    );
  }
}

/** Claims the key for this request, or finds the stored response of an earlier one. */
export async function claimKey(
  db: Executor,
  tenantId: string,
  key: string,
  hash: string,
  now: Date,
): Promise<IdempotencyOutcome> {
  const expiredBefore = new Date(now.getTime() - KEY_TTL_HOURS * 3600_000);
  // One statement: insert, or take over a row that expired; a live row is left alone.
  const claimed = await sql<{ key: string }>`
    insert into idempotency_keys (tenant_id, key, request_hash, created_at)
    values (${tenantId}, ${key}, ${hash}, ${now})
    on conflict (tenant_id, key) do update
      set request_hash = excluded.request_hash, created_at = excluded.created_at,
          status_code = null, response_body = null, completed_at = null
      where idempotency_keys.created_at < ${expiredBefore}
    returning key`.execute(db);
  if (claimed.rows.length > 0) return { kind: "proceed", hash };
  const existing = await db
    .selectFrom("idempotency_keys")
    .select(["request_hash", "status_code", "response_body"])
    .where("tenant_id", "=", tenantId)
    .where("key", "=", key)
    .executeTakeFirst();
  if (!existing) return claimKey(db, tenantId, key, hash, now);
  if (existing.request_hash !== hash) {
    throw new AppError(
      "conflict",
      "Esta Idempotency-Key já foi usada com outro pedido (método, caminho ou corpo diferentes); use uma chave nova",
      "Idempotency-Key",
    );
  }
  if (existing.status_code === null || existing.response_body === null) {
    throw new AppError(
      "conflict",
      "Um pedido com esta Idempotency-Key ainda está em andamento; tente de novo em instantes",
      "Idempotency-Key",
    );
  }
  return { kind: "replay", statusCode: existing.status_code, body: existing.response_body };
}

export async function completeKey(
  db: Executor,
  tenantId: string,
  key: string,
  statusCode: number,
  body: string,
  now: Date,
): Promise<void> {
  if (statusCode >= 500) {
    await db
      .deleteFrom("idempotency_keys")
      .where("tenant_id", "=", tenantId)
      .where("key", "=", key)
      .execute();
    return;
  }
  await db
    .updateTable("idempotency_keys")
    .set({ status_code: statusCode, response_body: body, completed_at: now })
    .where("tenant_id", "=", tenantId)
    .where("key", "=", key)
    .execute();
}

/**
 * Deletes the keys older than KEY_TTL_HOURS, in one statement (the worker runs it hourly). An
 * expired key would be taken over by its next use anyway (claimKey); this keeps the table small.
 */
export async function purgeExpiredKeys(db: Executor, now: Date): Promise<number> {
  const expiredBefore = new Date(now.getTime() - KEY_TTL_HOURS * 3600_000);
  const result = await db
    .deleteFrom("idempotency_keys")
    .where("created_at", "<", expiredBefore)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
