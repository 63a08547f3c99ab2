import { type ChannelAdapter, ChannelError, type OutgoingMessage, type SendResult } from "./channel.ts";
import { SmtpThread } from "./smtp-thread.ts";

export interface EmailSettings {
  /** smtp://user:pass@host:port or smtps://… */
  smtpUrl: string;
  /** "Credora Ltda <cobranca@credora.com.br>" */
  from: string;
  /** simultaneous SMTP connections of the pool */
  maxConnections?: number;
  /** messages handed to the pool at a time; the others wait their turn on the SMTP thread */
  inFlight?: number;
}

const TRANSIENT_CODES = new Set([
  "ECONNECTION",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "ESOCKET",
  "EDNS",
  "ECONNRESET",
  "EPIPE",
]);

function domainOf(from: string): string {
  const match = /@([^>\s]+)/.exec(from);
  return match?.[1] ?? "regua.local";
}

/**
 * E-mail over SMTP through a pool of connections (nodemailer) kept on the SMTP thread (see
 * smtp-thread.ts): shared with the other adapters of a registry, or the adapter's own. The action
 * id makes the Message-ID, so a resend after a crash carries the same id and receiving systems can
 * drop the copy; one-click opt-out per RFC 8058 (List-Unsubscribe + List-Unsubscribe-Post).
 */
export class SmtpEmailAdapter implements ChannelAdapter {
  readonly provider = "smtp";
  readonly paced = true;
  private readonly thread: SmtpThread;
  private readonly ownThread: boolean;
  private readonly pool: number;
  private readonly from: string;
  private readonly domain: string;

  constructor(settings: EmailSettings, thread?: SmtpThread) {
    this.from = settings.from;
    this.domain = domainOf(settings.from);
    this.ownThread = !thread;
    this.thread = thread ?? new SmtpThread();
    this.pool = this.thread.openPool(settings.smtpUrl, settings.maxConnections ?? 5, settings.inFlight ?? 32);
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const messageId = `<${message.idempotencyKey}@${this.domain}>`;
    const headers: Record<string, string> = {};
    if (message.unsubscribeUrl) {
      headers["List-Unsubscribe"] = `<${message.unsubscribeUrl}>`;
      headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
    }
    try {
      const info = await this.thread.send(this.pool, {
        from: this.from,
        to: message.recipient,
        subject: message.subject ?? "",
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        messageId,
        headers,
        attachments: message.attachments.map((attachment) => ({
          filename: attachment.filename,
          content: attachment.content,
          contentType: attachment.contentType,
        })),
      });
      const rejected = info.rejected;
      if (rejected.length > 0) {
        throw new ChannelError("permanent", `endereço recusado pelo servidor: ${rejected.join(", ")}`, {
          contactUnusable: true,
        });
      }
      return {
        provider: this.provider,
        providerMessageId: info.messageId ?? messageId,
        costCents: 0,
        segments: null,
      };
    } catch (error) {
      throw classifySmtpError(error);
    }
  }

  async close(): Promise<void> {
    this.thread.closePool(this.pool);
    if (this.ownThread) await this.thread.terminate();
  }
}

/** SMTP replies 4xx and broken connections may pass; 5xx will not (RFC 5321 §4.2.1). */
export function classifySmtpError(error: unknown): ChannelError {
  if (error instanceof ChannelError) return error;
  const failure = error as { responseCode?: number; code?: string; message?: string };
  const text = failure.message ?? String(error);
  if (typeof failure.responseCode === "number") {
    if (failure.responseCode >= 500) {
      // a 5xx on the recipient (550 no such user) is a hard bounce: the address is not usable
      const onRecipient =
        failure.code === "EENVELOPE" || /recipient|mailbox|user unknown|no such user/i.test(text);
      return new ChannelError("permanent", `SMTP ${failure.responseCode}: ${text}`, {
        contactUnusable: onRecipient,
      });
    }
    return new ChannelError("transient", `SMTP ${failure.responseCode}: ${text}`);
  }
  if (failure.code && TRANSIENT_CODES.has(failure.code))
    return new ChannelError("transient", `SMTP: ${text}`);
  return new ChannelError("transient", `SMTP: ${text}`);
}
