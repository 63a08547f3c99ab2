/**
 * Glossary: a channel (email, sms, whatsapp, letter, task) is a way to reach a debtor; a provider
 * is who carries it (an SMTP server, Zenvia, Twilio, Meta's Cloud API, Régua's own capture store).
 * Every adapter takes one rendered message and either returns the provider's id for it or throws
 * a ChannelError saying whether trying again may help.
 */
export interface OutgoingMessage {
  tenantId: string;
  /** our message id */
  messageId: string;
  /** the planned action's id: the idempotency key handed to providers that honour one */
  idempotencyKey: string;
  channel: "email" | "sms" | "whatsapp";
  /** e-mail address, or phone number in E.164 (+5511987654321) */
  recipient: string;
  subject: string | null;
  text: string;
  html: string | null;
  /** RFC 8058 one-click opt-out URL (e-mail) */
  unsubscribeUrl: string | null;
  attachments: { filename: string; content: Buffer; contentType: string }[];
  /** WhatsApp: the approved template and its body parameters */
  whatsapp: { name: string; language: string; parameters: string[] } | null;
}

export interface SendResult {
  provider: string;
  providerMessageId: string | null;
  costCents: number;
  segments: number | null;
}

export type FailureKind = "transient" | "permanent";

/**
 * A send that did not happen. `transient` (SMTP 4xx, connection refused, HTTP 429/5xx) may work
 * later and is retried with backoff; `permanent` is not retried, and with `contactUnusable` (an
 * invalid number, a hard bounce) the contact is marked so the next step tries another channel.
 */
export class ChannelError extends Error {
  readonly kind: FailureKind;
  readonly contactUnusable: boolean;
  /** a provider's Retry-After, in milliseconds */
  readonly retryAfterMs: number | null;
  constructor(
    kind: FailureKind,
    message: string,
    options: { contactUnusable?: boolean; retryAfterMs?: number | null } = {},
  ) {
    super(message);
    this.name = "ChannelError";
    this.kind = kind;
    this.contactUnusable = options.contactUnusable ?? false;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

export interface ChannelAdapter {
  readonly provider: string;
  /**
   * send() only queues: the adapter keeps its own limit of sends in flight (the SMTP thread), so
   * a dispatcher may hand over a whole batch at once instead of waiting for each to finish.
   */
  readonly paced?: boolean;
  send(message: OutgoingMessage): Promise<SendResult>;
  close(): Promise<void>;
}
