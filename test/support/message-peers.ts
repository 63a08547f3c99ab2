import http from "node:http";
import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * Real protocol peers for the messages tests and benchmark: an SMTP server that parses what it
 * receives, and an HTTP server that answers like an SMS/WhatsApp provider.
 */
export interface SmtpPeer {
  port: number;
  url: string;
  received: { envelopeTo: string[]; raw: Buffer }[];
  parsed(): Promise<ParsedMail[]>;
  /** rejects RCPT TO for these addresses with 550 (a hard bounce) */
  rejectRecipients: Set<string>;
  /** answer the next n DATA commands with 451 (try again later) */
  failNext: number;
  /** every Message-ID accepted, in order (a resend shows up twice) */
  messageIds: string[];
  /** milliseconds to wait before accepting each message (a slow server) */
  delayMs: number;
  /** the most messages the server was holding at once (from the end of DATA to its reply) */
  maxConcurrent: number;
  close(): Promise<void>;
}

export async function startSmtpPeer(port = 0, options: { keep?: boolean } = {}): Promise<SmtpPeer> {
  const keep = options.keep ?? true;
  const peer = {
    received: [] as { envelopeTo: string[]; raw: Buffer }[],
    rejectRecipients: new Set<string>(),
    failNext: 0,
    messageIds: [] as string[],
    delayMs: 0,
    maxConcurrent: 0,
  } as SmtpPeer;
  let holding = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    size: 20 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      if (peer.rejectRecipients.has(address.address)) {
        const error = new Error("5.1.1 No such user here") as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        holding += 1;
        peer.maxConcurrent = Math.max(peer.maxConcurrent, holding);
        if (peer.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, peer.delayMs));
        holding -= 1;
        if (peer.failNext > 0) {
          peer.failNext -= 1;
          const error = new Error("4.3.0 Try again later") as Error & { responseCode: number };
          error.responseCode = 451;
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks);
        const header = raw.subarray(0, raw.indexOf("\r\n\r\n")).toString("latin1");
        peer.messageIds.push(/^message-id:\s*(\S+)/im.exec(header)?.[1] ?? "");
        if (keep)
          peer.received.push({ envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  // a client that dies mid-conversation (a worker killed) resets its socket: the peer carries on
  server.on("error", () => undefined);
  const address = server.server.address() as AddressInfo;
  peer.port = address.port;
  peer.url = `smtp://127.0.0.1:${address.port}`;
  peer.parsed = () => Promise.all(peer.received.map((mail) => simpleParser(mail.raw)));
  peer.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return peer;
}

export interface ProviderRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** performance.now() when the whole request had arrived */
  receivedAt: number;
}

export interface HttpPeer {
  url: string;
  requests: ProviderRequest[];
  /** answers a request; the default answers each provider's documented success */
  respond: (
    request: ProviderRequest,
    index: number,
  ) => { status: number; body: unknown; headers?: Record<string, string> };
  close(): Promise<void>;
}

let sequence = 0;

/** Success answers shaped like each provider's documentation. */
export function providerSuccess(request: ProviderRequest): { status: number; body: unknown } {
  sequence += 1;
  if (request.path.endsWith("/v2/channels/sms/messages")) {
    const sent = JSON.parse(request.body) as { from: string; to: string; contents: unknown[] };
    return {
      status: 200,
      body: {
        id: `zenvia-${sequence}`,
        from: sent.from,
        to: sent.to,
        direction: "OUT",
        channel: "sms",
        contents: sent.contents,
        timestamp: new Date().toISOString(),
      },
    };
  }
  if (/\/2010-04-01\/Accounts\/[^/]+\/Messages\.json$/.test(request.path)) {
    const form = new URLSearchParams(request.body);
    return {
      status: 201,
      body: {
        sid: `SM${String(sequence).padStart(32, "0")}`,
        status: "queued",
        to: form.get("To"),
        from: form.get("From"),
        body: form.get("Body"),
        num_segments: String(Math.max(1, Math.ceil((form.get("Body") ?? "").length / 153))),
        price: null,
        error_code: null,
      },
    };
  }
  if (/\/v[\d.]+\/[^/]+\/messages$/.test(request.path)) {
    const sent = JSON.parse(request.body) as { to: string };
    return {
      status: 200,
      body: {
        messaging_product: "whatsapp",
        contacts: [{ input: sent.to, wa_id: sent.to }],
        messages: [{ id: `wamid.${sequence}` }],
      },
    };
  }
  return { status: 404, body: { message: "not found" } };
}

export async function startHttpPeer(options: { keep?: boolean } = {}): Promise<HttpPeer> {
  const keep = options.keep ?? true;
  let count = 0;
  const peer: HttpPeer = { url: "", requests: [], respond: providerSuccess, close: async () => {} };
  const server = http.createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const request: ProviderRequest = {
        method: incoming.method ?? "",
        path: incoming.url ?? "",
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        receivedAt: performance.now(),
      };
      const index = keep ? peer.requests.push(request) - 1 : count++;
      const answer = peer.respond(request, index);
      outgoing.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      outgoing.end(JSON.stringify(answer.body));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  peer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  peer.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return peer;
}
