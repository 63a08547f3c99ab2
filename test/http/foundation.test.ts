import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { buildApp } from "../../src/http/app.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import {
  apiKeyFor,
  type Caller,
  client,
  operatorSession,
  startServer,
  type TestServer,
} from "../support/http.ts";
import { openTestDatabase } from "../support/test-database.ts";

const clock = new FixedClock("2026-11-23T15:00:00Z");
let handle: DatabaseHandle;
let server: TestServer;
let call: ReturnType<typeof client>;
let tenant: { id: string; slug: string };
let admin: { cookie: string; csrf: string; operatorId: string };

beforeAll(async () => {
  handle = await openTestDatabase();
  server = await startServer(handle, clock);
  call = client(server);
  tenant = await insertTestTenant(handle.db);
  admin = await operatorSession(handle, tenant, "admin", clock);
});

afterAll(async () => {
  await server?.close();
  await handle?.close();
});

describe("OpenAPI and reference", () => {
  it("serves an OpenAPI 3.1 document listing the routes with their schemas", async () => {
    const response = await call(null, "GET", "/openapi.json");
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe("3.1.0");
    const login = response.body.paths["/v1/session"].post;
    expect(login.requestBody.content["application/json"].schema.required).toEqual([
      "tenant",
      "email",
      "password",
    ]);
    expect(login.security).toEqual([]);
    const revoke = response.body.paths["/v1/api-keys/{id}"].delete;
    expect(revoke.parameters[0]).toMatchObject({ name: "id", in: "path", required: true });
    expect(revoke["x-permission"]).toBe("admin");
  });

  it("serves a self-contained reference page that loads nothing from elsewhere", async () => {
    const response = await call(null, "GET", "/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.text).toContain("/openapi.json");
    expect(response.text).not.toMatch(/(src|href)="https?:/);
  });
});

describe("errors and request ids", () => {
  it("answers an unauthenticated call with 401 in the error format and echoes the request id", async () => {
    const response = await call(null, "GET", "/v1/operators", { headers: { "x-request-id": "pedido-123" } });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: { code: "unauthorized", message: expect.any(String), field: null },
    });
    expect(response.headers.get("x-request-id")).toBe("pedido-123");
  });

  it("generates a request id when none is sent", async () => {
    const response = await call(null, "GET", "/openapi.json");
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("rejects an unknown or malformed key with 401", async () => {
    expect(
      (
        await call(
          { key: "rg_000000000000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" },
          "GET",
          "/v1/session",
        )
      ).status,
    ).toBe(401);
    expect((await call({ key: "nonsense" }, "GET", "/v1/session")).status).toBe(401);
  });

  it("names the field at fault in pt-BR, with nested paths and unknown fields", async () => {
    const bad = await call(admin, "POST", "/v1/operators", {
      body: { email: "ana@credora.com.br", role: "boss", password: "x".repeat(12) },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("validation_failed");
    expect(bad.body.error.field).toBe("role");
    expect(bad.body.error.message).toContain("admin, analyst ou viewer");

    const missing = await call(admin, "POST", "/v1/session", {
      body: { tenant: tenant.slug, email: "a@b.co" },
    });
    expect(missing.body.error).toMatchObject({
      field: "password",
      message: 'O campo "Senha" é obrigatório.',
    });

    const unknown = await call(admin, "POST", "/v1/session", {
      body: { tenant: tenant.slug, email: "a@b.co", password: "x", remember: true },
    });
    expect(unknown.body.error.field).toBe("remember");
    expect(unknown.body.error.message).toContain("não existe");
  });

  it("answers bad JSON, a wrong content type and an unknown route in the same format", async () => {
    const badJson = await call(admin, "POST", "/v1/operators", { raw: "{nope" });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.message).toContain("JSON válido");
    const wrongType = await call(admin, "POST", "/v1/operators", {
      raw: "<x/>",
      contentType: "application/xml",
    });
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.error.message).toContain("application/json");
    const nowhere = await call(admin, "GET", "/v1/nothing-here");
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.error.code).toBe("not_found");
  });

  it("answers 404 for a malformed id in the path", async () => {
    const response = await call(admin, "DELETE", "/v1/api-keys/not-a-uuid");
    expect(response.status).toBe(404);
  });
});

describe("Idempotency-Key", () => {
  it("replays the first response for the same key and body, and creates once", async () => {
    const body = { email: "idem@credora.com.br", role: "viewer", password: "senha-forte-123" };
    const headers = { "idempotency-key": "cria-operador-1" };
    const first = await call(admin, "POST", "/v1/operators", { body, headers });
    const second = await call(admin, "POST", "/v1/operators", { body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    const count = await handle.db
      .selectFrom("operators")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("email", "=", "idem@credora.com.br")
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it("refuses the same key with another body with 409", async () => {
    const headers = { "idempotency-key": "cria-operador-2" };
    await call(admin, "POST", "/v1/operators", {
      body: { email: "idem2@credora.com.br", role: "viewer", password: "senha-forte-123" },
      headers,
    });
    const other = await call(admin, "POST", "/v1/operators", {
      body: { email: "idem3@credora.com.br", role: "viewer", password: "senha-forte-123" },
      headers,
    });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: "conflict", field: "Idempotency-Key" });
  });

  it("replays a validation error too, but not a server error", async () => {
    const headers = { "idempotency-key": "cria-operador-3" };
    const first = await call(admin, "POST", "/v1/operators", { body: { email: "x" }, headers });
    const again = await call(admin, "POST", "/v1/operators", { body: { email: "x" }, headers });
    expect(first.status).toBe(400);
    expect(again.status).toBe(400);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });

  it("keeps keys apart per tenant", async () => {
    const other = await insertTestTenant(handle.db);
    const otherAdmin = await operatorSession(handle, other, "admin", clock);
    const headers = { "idempotency-key": "cria-operador-1" };
    const response = await call(otherAdmin, "POST", "/v1/operators", {
      body: { email: "idem@credora.com.br", role: "viewer", password: "senha-forte-123" },
      headers,
    });
    expect(response.status).toBe(201);
    expect(response.body.tenantId).toBe(other.id);
    expect(response.headers.get("idempotent-replayed")).toBeNull();
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After once a key's bucket is empty", async () => {
    const limited = await startServer(handle, clock, { rateLimit: { burst: 3, perSecond: 0.01 } });
    try {
      const callLimited = client(limited);
      const key = await apiKeyFor(handle, tenant.id, "read");
      const otherKey = await apiKeyFor(handle, tenant.id, "read");
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await callLimited(key, "GET", "/v1/operators")).status);
      // 403: a key may not list operators, but it was counted; the fourth is refused before that
      expect(statuses).toEqual([403, 403, 403, 429]);
      const refused = await callLimited(key, "GET", "/v1/operators");
      expect(refused.body.error.code).toBe("rate_limited");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await callLimited(otherKey, "GET", "/v1/operators")).status).toBe(403);
    } finally {
      await limited.close();
    }
  });

  it("holds across two API servers on one database: a key gets one burst, not one per server", async () => {
    const limit = { rateLimit: { burst: 3, perSecond: 0.01 } };
    const servers = [await startServer(handle, clock, limit), await startServer(handle, clock, limit)];
    try {
      const key = await apiKeyFor(handle, tenant.id, "read");
      const statuses = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await client(servers[i % 2]!)(key, "GET", "/v1/tags")).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    } finally {
      await Promise.all(servers.map((each) => each.close()));
    }
  });
});

describe("pagination", () => {
  it("walks the audit log with an opaque cursor and refuses a forged one or a limit above 200", async () => {
    for (let i = 0; i < 3; i++) {
      await call(admin, "POST", "/v1/api-keys", { body: { name: `página ${i}`, scope: "read" } });
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = await call(admin, "GET", `/v1/audit-log${query}`);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((entry: { id: number }) => entry.id));
      cursor = page.body.next_cursor;
      pages += 1;
    } while (cursor && pages < 50);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);

    const forged = await call(admin, "GET", "/v1/audit-log?cursor=abc");
    expect(forged.body.error).toMatchObject({ code: "validation_failed", field: "cursor" });
    const tooMany = await call(admin, "GET", "/v1/audit-log?limit=201");
    expect(tooMany.body.error).toMatchObject({ field: "limit" });
  });
});

describe("operators and sessions", () => {
  it("signs in with a cookie that is HTTP-only and SameSite=Strict, Secure only when the public URL is https", async () => {
    await call(admin, "POST", "/v1/operators", {
      body: { email: "Login@Credora.com.br", role: "analyst", password: "senha-forte-123" },
    });
    const wrong = await call(null, "POST", "/v1/session", {
      body: { tenant: tenant.slug, email: "login@credora.com.br", password: "errada-demais" },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();

    const ok = await call(null, "POST", "/v1/session", {
      body: { tenant: tenant.slug, email: "login@credora.com.br", password: "senha-forte-123" },
    });
    expect(ok.status).toBe(201);
    const cookie = ok.headers.get("set-cookie")!;
    // the tenant's route, a dot, then 256 random bits (docs/scale.md § Tokens)
    expect(cookie).toMatch(/^regua_session=[0-9a-z]+\.[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    // by Max-Age, not an Expires date a browser with a wrong clock would read as past: 12 hours
    expect(cookie).toContain("Max-Age=43200");
    expect(cookie).not.toContain("Expires");
    expect(cookie).not.toContain("Secure");
    expect(ok.body.operator).toMatchObject({ email: "login@credora.com.br", role: "analyst" });
    expect(JSON.stringify(ok.body)).not.toContain("password");

    // the request's Host does not decide it (behind a proxy it is the proxy's); REGUA_PUBLIC_URL does
    const app = await buildApp({ handle, clock });
    const remote = await app.inject({
      method: "POST",
      url: "/v1/session",
      headers: { host: "regua.credora.com.br" },
      payload: { tenant: tenant.slug, email: "login@credora.com.br", password: "senha-forte-123" },
    });
    expect(String(remote.headers["set-cookie"])).not.toContain("Secure");
    await app.close();

    const session: Caller = { cookie: cookie.split(";")[0]!, csrf: ok.body.csrfToken };
    const me = await call(session, "GET", "/v1/session");
    expect(me.body.operator.email).toBe("login@credora.com.br");
    expect(me.body.csrfToken).toBe(ok.body.csrfToken);

    const noCsrf = await call({ cookie: cookie.split(";")[0]!, csrf: "" }, "DELETE", "/v1/session");
    expect(noCsrf.status).toBe(403);
    const out = await call(session, "DELETE", "/v1/session");
    expect(out.status).toBe(204);
    expect((await call(session, "GET", "/v1/session")).status).toBe(401);
  });

  it("refuses a cookie write without the CSRF token", async () => {
    const response = await call({ cookie: admin.cookie, csrf: "forjado" }, "POST", "/v1/api-keys", {
      body: { name: "csrf", scope: "read" },
    });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain("X-CSRF-Token");
  });

  it("applies the permission table to roles and key scopes", async () => {
    const viewer = await operatorSession(handle, tenant, "viewer", clock);
    const analyst = await operatorSession(handle, tenant, "analyst", clock);
    const writeKey = await apiKeyFor(handle, tenant.id, "write");
    for (const caller of [viewer, analyst, writeKey]) {
      const response = await call(caller, "POST", "/v1/api-keys", { body: { name: "x", scope: "write" } });
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe("forbidden");
    }
    expect((await call(viewer, "GET", "/v1/session")).status).toBe(200);
    expect((await call(analyst, "GET", "/v1/audit-log")).status).toBe(403);
  });
});

describe("API keys by API", () => {
  it("creates a key whose secret shows once, which then authenticates, and revokes it", async () => {
    const created = await call(admin, "POST", "/v1/api-keys", { body: { name: "ERP", scope: "read" } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^rg_[0-9a-z]+\.[0-9a-f]{12}_/);
    const listed = await call(admin, "GET", "/v1/api-keys");
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    const key = { key: created.body.key as string };
    // the key authenticates: the panel-only route refuses it as forbidden, not unauthenticated
    expect((await call(key, "GET", "/v1/session")).status).toBe(403);
    const revoked = await call(admin, "DELETE", `/v1/api-keys/${created.body.apiKey.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await call(key, "GET", "/v1/session")).status).toBe(401);
  });

  it("does not revoke another tenant's key", async () => {
    const other = await insertTestTenant(handle.db);
    const foreign = await apiKeyFor(handle, other.id);
    const response = await call(admin, "DELETE", `/v1/api-keys/${foreign.id}`);
    expect(response.status).toBe(404);
    expect((await call(foreign, "GET", "/v1/session")).status).toBe(403);
  });
});

describe("audit log", () => {
  it("records each write with its actor, route and resource", async () => {
    const created = await call(admin, "POST", "/v1/operators", {
      body: { email: "auditado@credora.com.br", role: "viewer", password: "senha-forte-123" },
      headers: { "x-request-id": "auditoria-1" },
    });
    const log = await call(admin, "GET", `/v1/audit-log?resourceId=${created.body.id}`);
    expect(log.body.data).toEqual([
      expect.objectContaining({
        actorKind: "operator",
        actorId: admin.operatorId,
        action: "POST /v1/operators",
        resourceType: "operator",
        resourceId: created.body.id,
        requestId: "auditoria-1",
        statusCode: 201,
      }),
    ]);
  });
});
