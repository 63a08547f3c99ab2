import { type ChannelAdapter, ChannelError, type OutgoingMessage, type SendResult } from "./channel.ts";
import { callProvider, isTransientStatus } from "./http.ts";
import { smsLength } from "./sms-segments.ts";

export interface SmsSettings {
  provider: "zenvia" | "twilio";
  /** the API's base URL: https://api.zenvia.com or https://api.twilio.com unless pointed elsewhere */
  baseUrl: string | null;
  /** Zenvia: unused; Twilio: the account SID */
  account: string | null;
  /** Zenvia: X-API-TOKEN; Twilio: the auth token */
  token: string;
  /** Zenvia: the sender id; Twilio: the From number (E.164) or messaging service SID */
  from: string;
  /** what one segment costs the tenant, in cents */
  pricePerSegmentCents: number;
  /** Twilio calls this URL back with delivery status */
  statusCallbackUrl?: string | null;
}

function describe(body: unknown): string {
  if (body && typeof body === "object") {
    const record = body as Record<string, unknown>;
    const parts = [record.code, record.message].filter((part) => part !== undefined && part !== null);
    if (parts.length > 0) return parts.join(": ");
  }
  return typeof body === "string" ? body.slice(0, 200) : (JSON.stringify(body)?.slice(0, 200) ?? "");
}

/**
 * Zenvia API v2: POST /v2/channels/sms/messages with X-API-TOKEN, JSON
 * `{ from, to, contents: [{ type: "text", text }] }`; a 200 answer carries the message id.
 */
export class ZenviaSmsAdapter implements ChannelAdapter {
  readonly provider = "zenvia";
  private readonly settings: SmsSettings;
  constructor(settings: SmsSettings) {
    this.settings = settings;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const base = (this.settings.baseUrl ?? "https://api.zenvia.com").replace(/\/$/, "");
    const response = await callProvider(`${base}/v2/channels/sms/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-token": this.settings.token },
      body: JSON.stringify({
        from: this.settings.from,
        // Zenvia takes the number without the "+"
        to: message.recipient.replace(/^\+/, ""),
        contents: [{ type: "text", text: message.text }],
      }),
    });
    if (response.status >= 200 && response.status < 300) {
      const id = (response.body as { id?: unknown } | null)?.id;
      return {
        provider: this.provider,
        providerMessageId: typeof id === "string" ? id : null,
        costCents: smsLength(message.text).segments * this.settings.pricePerSegmentCents,
        segments: smsLength(message.text).segments,
      };
    }
    const detail = describe(response.body);
    if (isTransientStatus(response.status)) {
      throw new ChannelError("transient", `Zenvia ${response.status}: ${detail}`, {
        retryAfterMs: response.retryAfterMs,
      });
    }
    // a 400 about the recipient ("to") means the number itself is wrong
    const aboutNumber = /\bto\b|phone|number|n[úu]mero/i.test(JSON.stringify(response.body ?? ""));
    throw new ChannelError("permanent", `Zenvia ${response.status}: ${detail}`, {
      contactUnusable: response.status === 400 && aboutNumber,
    });
  }

  async close(): Promise<void> {}
}

/**
 * Twilio Programmable Messaging: POST /2010-04-01/Accounts/{AccountSid}/Messages.json with
 * HTTP basic auth (SID:token) and a form-encoded body (To, From, Body, StatusCallback); a 201
 * answer carries the message SID.
 */
export class TwilioSmsAdapter implements ChannelAdapter {
  readonly provider = "twilio";
  private readonly settings: SmsSettings;
  constructor(settings: SmsSettings) {
    this.settings = settings;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const base = (this.settings.baseUrl ?? "https://api.twilio.com").replace(/\/$/, "");
    const account = this.settings.account ?? "";
    const form = new URLSearchParams({ To: message.recipient, Body: message.text });
    if (this.settings.from.startsWith("MG")) form.set("MessagingServiceSid", this.settings.from);
    else form.set("From", this.settings.from);
    if (this.settings.statusCallbackUrl) form.set("StatusCallback", this.settings.statusCallbackUrl);
    const response = await callProvider(
      `${base}/2010-04-01/Accounts/${encodeURIComponent(account)}/Messages.json`,
      {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${account}:${this.settings.token}`).toString("base64")}`,
        },
        body: form.toString(),
      },
    );
    const body = (response.body ?? {}) as { sid?: unknown; code?: unknown; num_segments?: unknown };
    if (response.status >= 200 && response.status < 300) {
      const segments = Number(body.num_segments) || smsLength(message.text).segments;
      return {
        provider: this.provider,
        providerMessageId: typeof body.sid === "string" ? body.sid : null,
        costCents: segments * this.settings.pricePerSegmentCents,
        segments,
      };
    }
    const detail = describe(response.body);
    if (isTransientStatus(response.status)) {
      throw new ChannelError("transient", `Twilio ${response.status}: ${detail}`, {
        retryAfterMs: response.retryAfterMs,
      });
    }
    // 21211 invalid 'To' number, 21614 not a mobile number, 21610 recipient replied STOP
    throw new ChannelError("permanent", `Twilio ${response.status}: ${detail}`, {
      contactUnusable: [21211, 21614, 21610, 21408].includes(Number(body.code)),
    });
  }

  async close(): Promise<void> {}
}

export function smsAdapter(settings: SmsSettings): ChannelAdapter {
  return settings.provider === "zenvia" ? new ZenviaSmsAdapter(settings) : new TwilioSmsAdapter(settings);
}
