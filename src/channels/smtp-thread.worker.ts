import { parentPort } from "node:worker_threads";
import nodemailer, { type Transporter } from "nodemailer";
import type { SmtpReply, SmtpRequest } from "./smtp-thread.ts";

/**
 * The sender thread of SmtpThread: nodemailer pools by handle, each with at most `inFlight` sends
 * at a time and the rest waiting here in order; one reply per send.
 */
type SendRequest = Extract<SmtpRequest, { kind: "send" }>;
interface Pool {
  transporter: Transporter;
  inFlight: number;
  active: number;
  waiting: SendRequest[];
}
const port = parentPort!;
// Failures go back as message and code (failureOf), never with a stack; and node's stream
// pipeline, which nodemailer runs for every message, ends each one by raising an AbortError
// whose stack capture took about 7% of this thread's busy time (CPU profile of 4,000 e-mails).
Error.stackTraceLimit = 0;
const pools = new Map<number, Pool>();

function failureOf(error: unknown): { message: string; code?: string; responseCode?: number } {
  const failure = error as { message?: string; code?: unknown; responseCode?: unknown };
  return {
    message: failure.message ?? String(error),
    ...(typeof failure.code === "string" ? { code: failure.code } : {}),
    ...(typeof failure.responseCode === "number" ? { responseCode: failure.responseCode } : {}),
  };
}

function reply(answer: SmtpReply): void {
  port.postMessage(answer);
}

function start(pool: Pool, request: SendRequest): void {
  pool.active += 1;
  const { mail } = request;
  pool.transporter
    .sendMail({
      ...mail,
      attachments: mail.attachments.map((attachment) => ({
        ...attachment,
        content: Buffer.from(
          attachment.content.buffer,
          attachment.content.byteOffset,
          attachment.content.byteLength,
        ),
      })),
    })
    .then(
      (info) =>
        reply({
          seq: request.seq,
          delivered: { messageId: info.messageId ?? null, rejected: (info.rejected ?? []).map(String) },
        }),
      (error: unknown) => reply({ seq: request.seq, failure: failureOf(error) }),
    )
    .finally(() => {
      pool.active -= 1;
      const next = pool.waiting.shift();
      if (next) start(pool, next);
    });
}

port.on("message", (request: SmtpRequest) => {
  if (request.kind === "open") {
    // the options object (not createTransport's second argument, which holds message defaults):
    // the URL's own settings win, these fill in the pool and the checked address's TLS name
    const transporter = nodemailer.createTransport({
      url: request.smtpUrl,
      pool: true,
      maxConnections: request.maxConnections,
      maxMessages: Number.POSITIVE_INFINITY,
      ...(request.servername
        ? { servername: request.servername, tls: { servername: request.servername } }
        : {}),
    } as Parameters<typeof nodemailer.createTransport>[0]);
    pools.set(request.pool, { transporter, inFlight: Math.max(1, request.inFlight), active: 0, waiting: [] });
    return;
  }
  const pool = pools.get(request.pool);
  if (request.kind === "close") {
    pools.delete(request.pool);
    for (const waiting of pool?.waiting.splice(0) ?? []) {
      reply({ seq: waiting.seq, failure: { message: "SMTP: conexão encerrada" } });
    }
    pool?.transporter.close();
    return;
  }
  if (!pool) reply({ seq: request.seq, failure: { message: "SMTP: conexão encerrada" } });
  else if (pool.active < pool.inFlight) start(pool, request);
  else pool.waiting.push(request);
});
