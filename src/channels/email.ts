import nodemailer, { type Transporter } from "nodemailer";
import { type ChannelAdapter, ChannelError, type OutgoingMessage, type SendResult } from "./channel.ts";

export interface EmailSettings {
  /** smtp://user:pass@host:port or smtps://… */
  smtpUrl: string;
  /** "Credora Ltda <cobranca@credora.com.br>" */
  from: string;
  /** simultaneous SMTP connections of the pool */
  maxConnections?: number;
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
 * E-mail over SMTP through a pool of connections (nodemailer). The action id makes the
 * Message-ID, so a resend after a crash carries the same id and receiving systems can drop the
 * copy; one-click opt-out per RFC 8058 (List-Unsubscribe + List-Unsubscribe-Post).
 */
export class SmtpEmailAdapter implements ChannelAdapter {
  readonly provider = "smtp";
  private readonly transporter: Transporter;
  private readonly from: string;
  private readonly domain: string;

  constructor(settings: EmailSettings) {
    this.from = settings.from;
    this.domain = domainOf(settings.from);
    this.transporter = nodemailer.createTransport(settings.smtpUrl, {
      pool: true,
      maxConnections: settings.maxConnections ?? 5,
      maxMessages: Number.POSITIVE_INFINITY,
    } as never);
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const messageId = `<${message.idempotencyKey}@${this.domain}>`;
    const headers: Record<string, string> = {};
    if (message.unsubscribeUrl) {
      headers["List-Unsubscribe"] = `<${message.unsubscribeUrl}>`;
      headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
    }
    try {
      const info = await this.transporter.sendMail({
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
      const rejected = (info.rejected ?? []).map(String);
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
    this.transporter.close();
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
