import { dashboardApp } from "../../../src/i18n/pt-BR/dashboard-app.ts";

/**
 * The dashboard's only way to the server: JSON over the `/v1` API with the operator's session.
 * The session cookie is HTTP-only (the browser sends it; scripts never see it); writes carry the
 * CSRF token the server handed out at sign-in in the `X-CSRF-Token` header.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | null;
  constructor(status: number, code: string, message: string, field: string | null) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** Remembered from `POST /v1/session` or `GET /v1/session`; sent on every write. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the server answers 401 to a signed-in call (session expired or ended elsewhere). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  contentType?: string,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...extraHeaders };
  if (body !== undefined) headers["content-type"] = contentType ?? "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : contentType ? String(body) : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", dashboardApp.errors.network, null);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed: unknown = text ? safeParse(text) : undefined;
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; field?: string | null } })?.error;
    if (response.status === 401 && path !== "/v1/session") onUnauthorized?.();
    throw new ApiError(
      response.status,
      error?.code ?? "unexpected",
      error?.message ?? dashboardApp.errors.unexpected(response.status),
      error?.field ?? null,
    );
  }
  return parsed as T;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  /** A text body sent as is (a bank file upload). */
  postText: <T>(path: string, text: string) => request<T>("POST", path, text, "text/plain; charset=utf-8"),
  /**
   * A write that must happen once however often it is sent (a double click, a retry after a lost
   * answer): the server keeps the first answer for this Idempotency-Key and hands it back.
   */
  postOnce: <T>(path: string, body: unknown, idempotencyKey: string) =>
    request<T>("POST", path, body, undefined, { "idempotency-key": idempotencyKey }),
  put: <T>(path: string, body?: unknown) => request<T>("PUT", path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => request<T>("PATCH", path, body ?? {}),
  delete: <T = void>(path: string) => request<T>("DELETE", path),
};

/** Builds `?a=1&b=2` from the defined values only. */
export function query(parameters: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== null && value !== "") search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
