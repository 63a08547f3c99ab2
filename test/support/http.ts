import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { type AppContext, buildApp } from "../../src/http/app.ts";
import { createOperator, login } from "../../src/modules/operators/operator.service.ts";
import { createApiKey } from "../../src/modules/tenants/api-key.service.ts";
import type { Clock } from "../../src/shared/clock.ts";

/** The API over real HTTP: `app.listen` on a free port of the loopback and `fetch`. */
export interface TestServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export async function startServer(
  handle: DatabaseHandle,
  clock: Clock,
  options: Partial<AppContext> = {},
): Promise<TestServer> {
  const app = await buildApp({
    handle,
    clock,
    rateLimit: { burst: 100_000, perSecond: 100_000 },
    ...options,
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Who a request is sent as: an API key, or an operator's cookie and CSRF token. */
export type Caller = { key: string } | { cookie: string; csrf: string } | null;

export interface CallOptions {
  body?: unknown;
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely
  body: any;
  text: string;
}

export function client(server: TestServer) {
  return async function call(
    caller: Caller,
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<CallResult> {
    const headers: Record<string, string> = { ...options.headers };
    if (caller && "key" in caller) headers.authorization = `Bearer ${caller.key}`;
    if (caller && "cookie" in caller) {
      headers.cookie = caller.cookie;
      headers["x-csrf-token"] = caller.csrf;
    }
    let body: string | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
      headers["content-type"] = options.contentType ?? "application/json";
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    const response = await fetch(`${server.url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (an SVG, a script): the text is the body
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
}

export async function apiKeyFor(handle: DatabaseHandle, tenantId: string, scope: "read" | "write" = "write") {
  const created = await createApiKey(handle.db, tenantId, { name: `teste ${scope}`, scope });
  return { key: created.plaintext, id: created.apiKey.id };
}

let operatorCounter = 0;

/** An operator signed in directly through the service; returns the cookie and CSRF token. */
export async function operatorSession(
  handle: DatabaseHandle,
  tenant: { id: string; slug: string },
  role: "admin" | "analyst" | "viewer",
  clock: Clock,
) {
  operatorCounter += 1;
  const email = `${role}${operatorCounter}@credora.com.br`;
  const operator = await createOperator(handle.db, tenant.id, { email, role, password: "senha-forte-123" });
  const session = await login(
    handle.db,
    { tenant: tenant.slug, email, password: "senha-forte-123" },
    clock.now(),
  );
  return { cookie: `regua_session=${session.token}`, csrf: session.csrfToken, operatorId: operator.id };
}
