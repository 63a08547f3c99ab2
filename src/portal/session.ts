import { randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { readCookie } from "../http/auth.ts";
import { PORTAL_POLICY } from "../modules/portal/portal.ts";
import { publicUrl } from "../shared/config.ts";

/**
 * The portal's cookies. The session cookie holds a random token (only its SHA-256 is stored),
 * HTTP-only, SameSite=Strict, scoped to /portal, Secure when Régua's public URL is https. Before
 * the session exists, the identity form is protected by a double-submit token: a cookie of its own
 * that the form must repeat.
 */
export const SESSION_COOKIE = "regua_portal";
const ENTRY_COOKIE = "regua_portal_entrada";

function cookie(name: string, value: string, path: string, maxAgeSeconds: number): string {
  const secure = publicUrl().startsWith("https:") ? "; Secure" : "";
  return `${name}=${value}; Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure}`;
}

export function readSessionCookie(request: FastifyRequest): string | undefined {
  return readCookie(request, SESSION_COOKIE);
}

export function setSessionCookie(reply: FastifyReply, token: string): void {
  appendCookie(reply, cookie(SESSION_COOKIE, token, "/portal", PORTAL_POLICY.sessionMinutes * 60 * 4));
}

export function clearSessionCookie(reply: FastifyReply): void {
  appendCookie(reply, cookie(SESSION_COOKIE, "", "/portal", 0));
}

/** The entry form's token: reuses the browser's cookie when there is one, else sets a new one. */
export function entryToken(request: FastifyRequest, reply: FastifyReply): string {
  const existing = readCookie(request, ENTRY_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{32}$/.test(existing)) return existing;
  const token = randomBytes(24).toString("base64url");
  appendCookie(reply, cookie(ENTRY_COOKIE, token, "/portal/entrar", 3600));
  return token;
}

export function entryTokenMatches(request: FastifyRequest, sent: unknown): boolean {
  return sameToken(readCookie(request, ENTRY_COOKIE), sent);
}

/** Constant-time comparison of a form's CSRF field with the expected token. */
export function sameToken(expected: string | undefined, sent: unknown): boolean {
  if (!expected || typeof sent !== "string") return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}

function appendCookie(reply: FastifyReply, value: string): void {
  const current = reply.getHeader("set-cookie");
  const list = current === undefined ? [] : Array.isArray(current) ? current.map(String) : [String(current)];
  reply.header("set-cookie", [...list, value]);
}

/** Headers of every portal page: personal data is never cached or framed, and leaks no referrer. */
export function personalPageHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header("cache-control", "no-store")
    .header("pragma", "no-cache")
    .header("referrer-policy", "no-referrer")
    .header("x-content-type-options", "nosniff")
    .header("x-frame-options", "DENY")
    .header(
      "content-security-policy",
      "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
}
