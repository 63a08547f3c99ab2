import http from "node:http";
import https from "node:https";
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
 * Calls a provider's HTTP API. Connection failures are transient; the caller classifies the
 * status (429 and 5xx transient, other 4xx permanent) with the provider's own error codes.
 */
export async function callProvider(
  url: string,
  init: { method: "POST"; headers: Record<string, string>; body: string },
): Promise<ProviderResponse> {
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const outgoing = client.request(
      target,
      {
        method: init.method,
        headers: { ...init.headers, "content-length": Buffer.byteLength(init.body) },
        agent: target.protocol === "https:" ? httpsAgent : httpAgent,
        timeout: 30_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", (error) =>
          reject(new ChannelError("transient", `resposta interrompida de ${target.host}: ${error.message}`)),
        );
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // a proxy's HTML error page: keep the text
          }
          const seconds = Number(response.headers["retry-after"]);
          resolve({
            status: response.statusCode ?? 0,
            body,
            retryAfterMs: Number.isFinite(seconds) && response.headers["retry-after"] ? seconds * 1000 : null,
          });
        });
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new Error("tempo esgotado")));
    outgoing.on("error", (error) =>
      reject(new ChannelError("transient", `sem conexão com ${target.host}: ${error.message}`)),
    );
    outgoing.end(init.body);
  });
}

/** 429 and 5xx may pass later; the rest of 4xx will not. */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}
