import { Worker } from "node:worker_threads";

/** A message as nodemailer takes it, made only of what crosses a thread boundary. */
export interface SmtpMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  messageId: string;
  headers: Record<string, string>;
  attachments: { filename: string; content: Uint8Array; contentType: string }[];
}

export interface SmtpDelivery {
  messageId: string | null;
  rejected: string[];
}

/** What the sender thread answers, by the request's sequence number. */
export type SmtpReply =
  | { seq: number; delivered: SmtpDelivery }
  | { seq: number; failure: { message: string; code?: string; responseCode?: number } };

export type SmtpRequest =
  | {
      kind: "open";
      pool: number;
      smtpUrl: string;
      /** the host name to present and verify over TLS when smtpUrl names the checked address */
      servername?: string;
      maxConnections: number;
      inFlight: number;
    }
  | { kind: "send"; pool: number; seq: number; mail: SmtpMail }
  | { kind: "close"; pool: number };

interface Waiting {
  resolve(delivery: SmtpDelivery): void;
  reject(error: Error): void;
}

/**
 * The SMTP conversations of a dispatcher, on a thread of their own. One e-mail is a chat of
 * several round trips (MAIL FROM, RCPT TO, DATA, the body); on the main thread each reply waits for
 * whatever that thread is busy with — a statement on the embedded database, which runs on it, or
 * a batch being rendered — and the pool's connections sit idle meanwhile. On this thread replies
 * are answered at once. The main thread hands over rendered messages as fast as it makes them; the
 * thread keeps `inFlight` of them in nodemailer at a time and starts the next one as soon as one
 * is done, without waiting for the main thread to come back to it.
 */
export class SmtpThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextSeq = 0;
  private nextPool = 0;
  private failed: Error | null = null;

  constructor() {
    this.worker = new Worker(new URL("./smtp-thread.worker.ts", import.meta.url));
    // an idle thread does not keep the process alive; one with sends in flight does
    this.worker.unref();
    this.worker.on("message", (reply: SmtpReply) => this.settle(reply));
    this.worker.on("error", (error: Error) => this.failAll(error));
    this.worker.on("exit", (code) =>
      this.failAll(new Error(`a thread de envio SMTP terminou (código ${code})`)),
    );
  }

  /** A pool of connections to one server, with `inFlight` sends at a time; returns its handle. */
  openPool(
    target: { smtpUrl: string; servername?: string },
    maxConnections: number,
    inFlight: number,
  ): number {
    const pool = this.nextPool++;
    this.post({ kind: "open", pool, ...target, maxConnections, inFlight });
    return pool;
  }

  /** Rejects with an Error carrying nodemailer's `code` and `responseCode` (see classifySmtpError). */
  send(pool: number, mail: SmtpMail): Promise<SmtpDelivery> {
    if (this.failed) return Promise.reject(this.failed);
    const seq = this.nextSeq++;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(seq, { resolve, reject });
      this.post({ kind: "send", pool, seq, mail });
    });
  }

  closePool(pool: number): void {
    if (!this.failed) this.post({ kind: "close", pool });
  }

  async terminate(): Promise<void> {
    this.failed ??= new Error("a thread de envio SMTP foi encerrada");
    await this.worker.terminate();
  }

  private post(request: SmtpRequest): void {
    this.worker.postMessage(request);
  }

  private settle(reply: SmtpReply): void {
    const waiting = this.waiting.get(reply.seq);
    if (!waiting) return;
    this.waiting.delete(reply.seq);
    if (this.waiting.size === 0) this.worker.unref();
    if ("delivered" in reply) waiting.resolve(reply.delivered);
    else waiting.reject(Object.assign(new Error(reply.failure.message), reply.failure));
  }

  private failAll(error: Error): void {
    this.failed ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}
