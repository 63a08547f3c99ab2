import http from "node:http";
import https from "node:https";
import {
  type OutboundOptions,
  OutboundRefused,
  type OutboundResponse,
  requestOutbound,
} from "../shared/outbound.ts";
import { ChannelError } from "./channel.ts";

/** Keep-alive connection pools shared by every send: one TCP/TLS handshake per connection, not per SMS. */
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });

export interface ProviderResponse {
  status: number;
  body: unknown;
  retryAfterMs: number | null;
}

/**
 * Calls a provider's HTTP API at an address checked and pinned by the outbound guard
 * (src/shared/outbound.ts). Connection failures are transient; the caller classifies the
 * status (429 and 5xx transient, other 4xx permanent) with the provider's own error codes.
 */
export async function callProvider(
  url: string,
  init: { method: "POST"; headers: Record<string, string>; body: string },
  outbound: OutboundOptions = {},
): Promise<ProviderResponse> {
  const target = new URL(url);
  let response: OutboundResponse;
  try {
    response = await requestOutbound(
      url,
      {
        ...init,
        timeoutMs: 30_000,
        agent: target.protocol === "https:" ? httpsAgent : httpAgent,
      },
      outbound,
    );
  } catch (error) {
    // an internal address may be public again tomorrow, but a tenant must fix it: no retries
    if (error instanceof OutboundRefused)
      throw new ChannelError("permanent", `endereço do provedor recusado: ${error.message}`);
    throw new ChannelError("transient", `sem conexão com ${target.host}: ${(error as Error).message}`);
  }
  let body: unknown = response.body;
  try {
    body = response.body ? JSON.parse(response.body) : null;
  } catch {
    // a proxy's HTML error page: keep the text
  }
  const retryAfter = response.headers["retry-after"];
  const seconds = Number(retryAfter);
  return {
    status: response.status,
    body,
    retryAfterMs: Number.isFinite(seconds) && retryAfter ? seconds * 1000 : null,
  };
}

/** 429 and 5xx may pass later; the rest of 4xx will not. */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}
