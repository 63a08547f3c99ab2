import {
  type CheckedTarget,
  checkOutbound,
  type OutboundOptions,
  OutboundRefused,
} from "../shared/outbound.ts";
import { type ChannelAdapter, ChannelError, type OutgoingMessage, type SendResult } from "./channel.ts";
import { SmtpThread } from "./smtp-thread.ts";

export interface EmailSettings {
  /** smtp://user:pass@host:port or smtps://… */
  smtpUrl: string;
  /** "Credora Ltda <cobranca@credora.com.br>" */
  from: string;
  /** simultaneous SMTP connections of the pool (default: as many as `inFlight`) */
  maxConnections?: number;
  /** messages handed to the pool at a time; the others wait their turn on the SMTP thread */
  inFlight?: number;
  /**
   * A tenant's own server: resolved, refused on internal ranges and pinned to the checked address
   * before the pool opens (src/shared/outbound.ts). The operator's REGUA_SMTP_URL is not checked.
   */
  outbound?: OutboundOptions;
}

/**
 * Messages in nodemailer at a time, and by default as many pooled connections: a slow server (tens
 * of milliseconds per message) is then talked to in parallel as much as it is handed messages.
 */
const DEFAULT_IN_FLIGHT = 32;

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
  private readonly settings: EmailSettings;
  private pool: Promise<number> | null = null;
  private readonly from: string;
  private readonly domain: string;

  constructor(settings: EmailSettings, thread?: SmtpThread) {
    this.settings = settings;
    this.from = settings.from;
    this.domain = domainOf(settings.from);
    this.ownThread = !thread;
    this.thread = thread ?? new SmtpThread();
  }

  private inFlight(): number {
    return this.settings.inFlight ?? DEFAULT_IN_FLIGHT;
  }

  /** Opens the pool on first use; a refused address is forgotten so a fixed DNS is tried again. */
  private openPool(): Promise<number> {
    this.pool ??= this.poolTarget().then(
      (target) =>
        this.thread.openPool(target, this.settings.maxConnections ?? DEFAULT_IN_FLIGHT, this.inFlight()),
      (error: unknown) => {
        this.pool = null;
        throw error;
      },
    );
    return this.pool;
  }

  /** The URL the pool connects to: a tenant's server by its checked address, keeping its TLS name. */
  private async poolTarget(): Promise<{ smtpUrl: string; servername?: string }> {
    const { smtpUrl, outbound } = this.settings;
    if (!outbound) return { smtpUrl };
    let checked: CheckedTarget;
    try {
      checked = await checkOutbound(smtpUrl, outbound);
    } catch (error) {
      // a tenant must fix an internal address: no retries
      if (error instanceof OutboundRefused)
        throw new ChannelError("permanent", `servidor SMTP recusado: ${error.message}`);
      throw error;
    }
    const host = checked.url.hostname.replace(/^\[|\]$/g, "");
    if (host === checked.address.address) return { smtpUrl };
    const pinned = new URL(smtpUrl);
    pinned.hostname = checked.address.family === 6 ? `[${checked.address.address}]` : checked.address.address;
    return { smtpUrl: pinned.href, servername: host };
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const messageId = `<${message.idempotencyKey}@${this.domain}>`;
    const headers: Record<string, string> = {};
    if (message.unsubscribeUrl) {
      headers["List-Unsubscribe"] = `<${message.unsubscribeUrl}>`;
      headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
    }
    const pool = await this.openPool();
    try {
      const info = await this.thread.send(pool, {
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
    const pool = await this.pool?.catch(() => null);
    if (pool !== undefined && pool !== null) this.thread.closePool(pool);
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
