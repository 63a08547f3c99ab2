import { type ChannelAdapter, ChannelError, type OutgoingMessage, type SendResult } from "./channel.ts";
import { callProvider, isTransientStatus } from "./http.ts";

export interface WhatsAppSettings {
  /** https://graph.facebook.com unless pointed elsewhere */
  baseUrl: string | null;
  version: string;
  phoneNumberId: string;
  token: string;
  pricePerMessageCents: number;
}

/** Cloud API error codes meaning the number cannot get WhatsApp messages. */
const UNREACHABLE = new Set([131026, 131021, 1013]);
/** Cloud API throttling codes (also sent as HTTP 400). */
const THROTTLED = new Set([4, 80007, 130429, 131048, 131056]);

/**
 * WhatsApp Business Cloud API: POST /{version}/{phone-number-id}/messages with a bearer token
 * and a message of type "template" (an approved template's name, language and body parameters);
 * the answer's messages[0].id is the wamid that status webhooks refer to.
 */
export class WhatsAppCloudAdapter implements ChannelAdapter {
  readonly provider = "whatsapp-cloud";
  private readonly settings: WhatsAppSettings;
  constructor(settings: WhatsAppSettings) {
    this.settings = settings;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    if (!message.whatsapp) throw new ChannelError("permanent", "mensagem de WhatsApp sem modelo aprovado");
    const base = (this.settings.baseUrl ?? "https://graph.facebook.com").replace(/\/$/, "");
    const response = await callProvider(
      `${base}/${this.settings.version}/${encodeURIComponent(this.settings.phoneNumberId)}/messages`,
      {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${this.settings.token}` },
        body: JSON.stringify({
          messaging_product: "whatsapp",
          recipient_type: "individual",
          to: message.recipient.replace(/^\+/, ""),
          type: "template",
          template: {
            name: message.whatsapp.name,
            language: { code: message.whatsapp.language },
            components: [
              {
                type: "body",
                parameters: message.whatsapp.parameters.map((text) => ({ type: "text", text })),
              },
            ],
          },
        }),
      },
    );
    const body = (response.body ?? {}) as {
      messages?: { id?: string }[];
      error?: { code?: number; message?: string };
    };
    if (response.status >= 200 && response.status < 300) {
      return {
        provider: this.provider,
        providerMessageId: body.messages?.[0]?.id ?? null,
        costCents: this.settings.pricePerMessageCents,
        segments: null,
      };
    }
    const code = Number(body.error?.code);
    const detail =
      `WhatsApp ${response.status}: ${body.error?.code ?? ""} ${body.error?.message ?? ""}`.trim();
    if (isTransientStatus(response.status) || THROTTLED.has(code)) {
      throw new ChannelError("transient", detail, { retryAfterMs: response.retryAfterMs });
    }
    throw new ChannelError("permanent", detail, { contactUnusable: UNREACHABLE.has(code) });
  }

  async close(): Promise<void> {}
}
