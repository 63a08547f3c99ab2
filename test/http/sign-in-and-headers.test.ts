import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOperator } from "../../src/modules/operators/operator.service.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { apiTenant } from "../support/api-fixtures.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";
import { client, startServer } from "../support/http.ts";

/**
 * The dashboard's sign-in throttles wrong passwords per account and per IP with the portal's
 * lockout message; its cookie is Secure by the configured public URL, not the request's Host; every
 * page the product serves carries the security headers.
 */

const clock = new FixedClock("2026-11-23T15:00:00Z");
let api: ApiTest<Awaited<ReturnType<typeof apiTenant>>>;

beforeAll(async () => {
  api = await startApiTest(clock, apiTenant);
});
afterAll(async () => api?.close());

async function newTenantWithOperator(email: string) {
  const tenant = await apiTenant(api.handle);
  await createOperator(api.handle.db, tenant.id, { email, role: "analyst", password: "senha-forte-123" });
  return tenant;
}

function signIn(tenant: { slug: string }, email: string, password: string, forwardedFor?: string) {
  return api.call(null, "POST", "/v1/session", {
    body: { tenant: tenant.slug, email, password },
    ...(forwardedFor ? { headers: { "x-forwarded-for": forwardedFor } } : {}),
  });
}

describe("sign-in throttling", () => {
  it("locks an account after 5 wrong passwords, refuses even the right one, and opens after 15 minutes", async () => {
    clock.set("2026-11-23T15:00:00Z");
    const tenant = await newTenantWithOperator("ana@credora.com.br");
    for (let attempt = 1; attempt <= 4; attempt++) {
      const wrong = await signIn(tenant, "ana@credora.com.br", `errada-${attempt}-xyz`);
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.message).toBe("Credor, e-mail ou senha incorretos");
    }
    const fifth = await signIn(tenant, "ana@credora.com.br", "errada-5-xyz");
    expect(fifth.status).toBe(429);
    expect(fifth.body.error.message).toBe(
      "Muitas tentativas erradas. Por segurança, a entrada está bloqueada; tente de novo em 15 minuto(s).",
    );
    clock.set("2026-11-23T15:10:00Z");
    const rightButLocked = await signIn(tenant, "ana@credora.com.br", "senha-forte-123");
    expect(rightButLocked.status).toBe(429);
    expect(rightButLocked.body.error.message).toMatch(/tente de novo em 5 minuto\(s\)/);
    clock.set("2026-11-23T15:16:00Z");
    expect((await signIn(tenant, "ana@credora.com.br", "senha-forte-123")).status).toBe(201);
  });

  it("locks an IP that guesses across many accounts", async () => {
    clock.set("2026-11-23T16:00:00Z");
    const tenant = await newTenantWithOperator("bia@credora.com.br");
    const statuses: number[] = [];
    // without REGUA_TRUST_PROXY a forged X-Forwarded-For does not make each guess a new address
    for (let guess = 1; guess <= 20; guess++)
      statuses.push(
        (await signIn(tenant, `chute${guess}@credora.com.br`, "senha-qualquer", `203.0.113.${guess}`)).status,
      );
    expect(statuses.slice(0, 19).every((status) => status === 401)).toBe(true);
    expect(statuses[19]).toBe(429);
    // the real operator, from the same address, waits too
    expect((await signIn(tenant, "bia@credora.com.br", "senha-forte-123")).status).toBe(429);
    // 21 password checks (scrypt) in a row: slow on a busy machine
  }, 180_000);
});

describe("sign-in behind a trusted proxy (REGUA_TRUST_PROXY)", () => {
  it("throttles the operator's forwarded address, not the proxy's", async () => {
    clock.set("2026-11-23T17:00:00Z");
    const tenant = await newTenantWithOperator("duda@credora.com.br");
    const proxied = await startServer(api.handle, clock, { trustProxy: ["127.0.0.1"] });
    const call = client(proxied);
    const attempt = (email: string, password: string, forwardedFor: string) =>
      call(null, "POST", "/v1/session", {
        body: { tenant: tenant.slug, email, password },
        headers: { "x-forwarded-for": forwardedFor },
      });
    try {
      const statuses: number[] = [];
      for (let guess = 1; guess <= 20; guess++)
        statuses.push(
          (await attempt(`chute${guess}@credora.com.br`, "senha-qualquer", "198.51.100.7")).status,
        );
      expect(statuses[19]).toBe(429);
      // the guesser's address is locked; an operator behind the same proxy, elsewhere, is not
      expect((await attempt("duda@credora.com.br", "senha-forte-123", "198.51.100.7")).status).toBe(429);
      expect((await attempt("duda@credora.com.br", "senha-forte-123", "198.51.100.8")).status).toBe(201);
    } finally {
      await proxied.close();
    }
  }, 180_000);
});

describe("session cookie", () => {
  it("is Secure when REGUA_PUBLIC_URL is https, even on a plain-HTTP loopback request", async () => {
    const tenant = await newTenantWithOperator("caio@credora.com.br");
    const before = process.env.REGUA_PUBLIC_URL;
    process.env.REGUA_PUBLIC_URL = "https://regua.credora.com.br";
    try {
      const signed = await signIn(tenant, "caio@credora.com.br", "senha-forte-123");
      expect(signed.status).toBe(201);
      expect(signed.headers.get("set-cookie")).toMatch(/; Secure/);
    } finally {
      if (before === undefined) delete process.env.REGUA_PUBLIC_URL;
      else process.env.REGUA_PUBLIC_URL = before;
    }
    const plain = await signIn(tenant, "caio@credora.com.br", "senha-forte-123");
    expect(plain.headers.get("set-cookie")).not.toMatch(/Secure/);
  });
});

describe("security headers", () => {
  it.each([
    ["/app/", "script-src 'self'"],
    ["/app/clientes", "script-src 'self'"],
    ["/portal/static/portal.css", "default-src"],
    ["/l/naoexiste", "script-src 'self'"],
    ["/docs", "script-src 'self' 'unsafe-inline'"],
    ["/openapi.json", "script-src 'self'"],
    ["/v1/customers", "script-src 'self'"],
  ])("%s", async (path, policy) => {
    const response = await fetch(`${api.server.url}${path}`, {
      headers: { authorization: `Bearer ${api.key.key}` },
    });
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(policy);
    expect(csp).not.toMatch(/script-src[^;]*\*/);
  });
});
