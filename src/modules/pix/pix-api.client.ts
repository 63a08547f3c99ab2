import { createHash } from "node:crypto";
import https from "node:https";
import type { Clock } from "../../shared/clock.ts";
import { AppError } from "../../shared/errors.ts";
import type { PixConnection } from "./pix-settings.ts";

/**
 * A client of the BCB standard Pix API (v2), as every PSP exposes it: OAuth2 client credentials
 * and every call over mutual TLS (node:https with an Agent carrying the tenant's certificate, key
 * and, when given, the PSP's CA). The access token is cached per tenant until a minute before it
 * expires (by the injected clock); a 401 drops it and the call is tried once more with a new one.
 */
export class PixApiError extends AppError {
  readonly status: number;
  readonly problem: { type?: string; title?: string; detail?: string } | null;
  constructor(status: number, message: string, problem: PixApiError["problem"] = null) {
    super(status === 404 ? "not_found" : status >= 400 && status < 500 ? "conflict" : "internal", message);
    this.status = status;
    this.problem = problem;
  }
}

interface CachedToken {
  token: string;
  until: number;
}

const TOKEN_MARGIN_MS = 60_000;
const REQUEST_TIMEOUT_MS = 15_000;
const agents = new Map<string, https.Agent>();
const tokens = new Map<string, CachedToken>();

/** One keep-alive Agent per distinct set of credentials (a new certificate gets a new Agent). */
function agentFor(connection: PixConnection): https.Agent {
  const key = createHash("sha256")
    .update(connection.certificatePem)
    .update(connection.privateKeyPem)
    .update(connection.caPem ?? "")
    .digest("hex");
  let agent = agents.get(key);
  if (!agent) {
    agent = new https.Agent({
      keepAlive: true,
      maxSockets: 8,
      cert: connection.certificatePem,
      key: connection.privateKeyPem,
      ...(connection.caPem ? { ca: connection.caPem } : {}),
    });
    agents.set(key, agent);
  }
  return agent;
}

interface RawResponse {
  status: number;
  body: string;
}

function send(
  connection: PixConnection,
  url: URL,
  init: { method: string; headers: Record<string, string>; body?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      {
        method: init.method,
        headers: init.headers,
        agent: agentFor(connection),
        timeout: REQUEST_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error("tempo esgotado")));
    request.on("error", (error) =>
      reject(new PixApiError(0, `PSP Pix inacessível em ${url.host}: ${error.message}`)),
    );
    if (init.body !== undefined) request.write(init.body);
    request.end();
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export class PixApiClient {
  private readonly connection: PixConnection;
  private readonly clock: Clock;
  constructor(connection: PixConnection, clock: Clock) {
    this.connection = connection;
    this.clock = clock;
  }

  private tokenKey(): string {
    return `${this.connection.tenantId}|${this.connection.tokenUrl}|${this.connection.clientId}`;
  }

  /** The cached access token, or a new one from the token URL (client_credentials, Basic auth). */
  async accessToken(): Promise<string> {
    const cached = tokens.get(this.tokenKey());
    const now = this.clock.now().getTime();
    if (cached && cached.until > now) return cached.token;
    const basic = Buffer.from(`${this.connection.clientId}:${this.connection.clientSecret}`).toString(
      "base64",
    );
    const body = "grant_type=client_credentials";
    const response = await send(this.connection, new URL(this.connection.tokenUrl), {
      method: "POST",
      headers: {
        authorization: `Basic ${basic}`,
        "content-type": "application/x-www-form-urlencoded",
        "content-length": String(Buffer.byteLength(body)),
        accept: "application/json",
      },
      body,
    });
    const parsed = parseJson(response.body) as { access_token?: string; expires_in?: number } | null;
    if (response.status !== 200 || !parsed?.access_token) {
      throw new PixApiError(
        response.status,
        `o PSP Pix recusou as credenciais (HTTP ${response.status}): confira clientId, clientSecret e o certificado`,
      );
    }
    const lifetimeMs = Math.max(0, (parsed.expires_in ?? 3600) * 1000 - TOKEN_MARGIN_MS);
    tokens.set(this.tokenKey(), { token: parsed.access_token, until: now + lifetimeMs });
    return parsed.access_token;
  }

  /** One call to the API; `path` is relative to the base URL (`/cobv/{txid}`). */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const attempt = async () => {
      const url = new URL(this.connection.baseUrl.replace(/\/$/, "") + path);
      const payload = body === undefined ? undefined : JSON.stringify(body);
      return send(this.connection, url, {
        method,
        headers: {
          authorization: `Bearer ${await this.accessToken()}`,
          accept: "application/json",
          ...(payload !== undefined
            ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) }
            : {}),
        },
        ...(payload !== undefined ? { body: payload } : {}),
      });
    };
    let response = await attempt();
    if (response.status === 401) {
      tokens.delete(this.tokenKey());
      response = await attempt();
    }
    const parsed = parseJson(response.body);
    if (response.status < 200 || response.status >= 300) {
      const problem = (parsed ?? null) as PixApiError["problem"];
      const detail = problem?.detail ?? problem?.title ?? response.body.slice(0, 200);
      throw new PixApiError(
        response.status,
        `o PSP Pix respondeu HTTP ${response.status} a ${method} ${path}: ${detail}`,
        problem,
      );
    }
    return parsed as T;
  }
}

/** Forgets cached tokens (tests; a settings change with new credentials). */
export function forgetPixTokens(tenantId?: string): void {
  for (const key of tokens.keys())
    if (tenantId === undefined || key.startsWith(`${tenantId}|`)) tokens.delete(key);
}
