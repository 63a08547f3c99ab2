import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { authenticateSession } from "../modules/operators/operator.service.ts";
import { authenticateApiKey } from "../modules/tenants/api-key.service.ts";
import { publicUrl } from "../shared/config.ts";
import { AppError } from "../shared/errors.ts";
import type { AppContext } from "./app.ts";
import type { Principal } from "./permissions.ts";

/**
 * Who is calling: an API key (`Authorization: Bearer rg_…`) for the creditor's systems, or an
 * operator's session cookie for the dashboard. Both resolve to a tenant; every query downstream
 * filters by that tenant, so another tenant's ids simply are not found.
 */
export const SESSION_COOKIE = "regua_session";
export const CSRF_HEADER = "x-csrf-token";

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index > 0 && part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Checking a key costs a read and a write (its last use) on one row that every request of that
 * key shares; under load that row serialises the requests. A valid key is therefore remembered for
 * KEY_CACHE_MS per process (keyed by the SHA-256 of what was presented, never the key itself).
 * Revoking through this process forgets it at once; another process notices within KEY_CACHE_MS,
 * and `last_used_at` is accurate to that interval.
 */
export const KEY_CACHE_MS = 10_000;
type AuthenticatedKey = NonNullable<Awaited<ReturnType<typeof authenticateApiKey>>>;
const keyCache = new Map<string, { key: AuthenticatedKey; until: number }>();

async function authenticateCached(context: AppContext, presented: string): Promise<AuthenticatedKey | null> {
  const digest = createHash("sha256").update(presented).digest("hex");
  const cached = keyCache.get(digest);
  const now = performance.now();
  if (cached && cached.until > now) return cached.key;
  const key = await authenticateApiKey(context.handle.db, presented);
  if (key) {
    if (keyCache.size > 10_000) keyCache.clear();
    keyCache.set(digest, { key, until: now + KEY_CACHE_MS });
  } else keyCache.delete(digest);
  return key;
}

/** Forgets cached keys (after a revocation), so that the revoked key fails on its next request here. */
export function forgetApiKeys(): void {
  keyCache.clear();
}

export async function resolvePrincipal(context: AppContext, request: FastifyRequest): Promise<Principal> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const key = match ? await authenticateCached(context, match[1]!) : null;
    if (!key) {
      throw new AppError(
        "unauthorized",
        "Chave de API inválida ou revogada; envie Authorization: Bearer rg_… com uma chave ativa",
      );
    }
    return { kind: "api_key", tenantId: key.tenantId, actorId: key.keyId, scope: key.scope };
  }
  const token = readCookie(request, SESSION_COOKIE);
  if (token) {
    const session = await authenticateSession(context.handle.db, token, context.clock.now());
    if (session) {
      return {
        kind: "operator",
        tenantId: session.tenantId,
        actorId: session.operatorId,
        role: session.role,
        sessionId: session.sessionId,
        csrfToken: session.csrfToken,
      };
    }
    throw new AppError("unauthorized", "Sessão expirada ou encerrada; entre de novo");
  }
  throw new AppError(
    "unauthorized",
    "Autenticação necessária: envie Authorization: Bearer <chave de API> ou entre pelo painel",
  );
}

/**
 * Cookies go Secure when Régua's public URL (REGUA_PUBLIC_URL) is https, as the portal's do. Not
 * from the request's Host: behind a proxy that passes its own Host (nginx's default) the flag
 * would be dropped, and a client could choose it.
 */
function secureCookies(): boolean {
  return publicUrl().startsWith("https:");
}

/**
 * The cookie lives as long as the session, counted by Max-Age from when the browser receives it:
 * an Expires date would be read against the browser's clock, and a browser whose clock runs days
 * ahead of the server's would throw a fresh session away at once.
 */
export function setSessionCookie(reply: FastifyReply, token: string, lifetimeSeconds: number): void {
  const attributes = [
    `${SESSION_COOKIE}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${Math.max(0, Math.floor(lifetimeSeconds))}`,
  ];
  if (secureCookies()) attributes.push("Secure");
  reply.header("set-cookie", attributes.join("; "));
}

export function clearSessionCookie(reply: FastifyReply): void {
  const attributes = [`${SESSION_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=0"];
  if (secureCookies()) attributes.push("Secure");
  reply.header("set-cookie", attributes.join("; "));
}
