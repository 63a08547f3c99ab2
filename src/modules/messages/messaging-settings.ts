import { z } from "zod";

/**
 * Glossary: messaging settings say which providers carry a tenant's messages and with which
 * credentials. Credentials (the SMTP URL's password, tokens, app secrets) are stored sealed and
 * shown back only as "••••" and their last 4 characters.
 */
export interface MessagingSettings {
  emailFrom: string | null;
  /** the SMTP URL with its password masked */
  smtpUrl: string | null;
  emailPerSecond: number;
  smsProvider: "zenvia" | "twilio" | null;
  smsBaseUrl: string | null;
  smsAccount: string | null;
  smsToken: string | null;
  smsCallbackToken: string | null;
  smsFrom: string | null;
  smsPriceCents: number;
  smsMaxSegments: number;
  smsPerSecond: number;
  whatsappBaseUrl: string | null;
  whatsappVersion: string;
  whatsappPhoneNumberId: string | null;
  whatsappToken: string | null;
  whatsappAppSecret: string | null;
  whatsappVerifyToken: string | null;
  whatsappPriceCents: number;
  whatsappPerSecond: number;
  /** where to point each provider's delivery callbacks */
  callbackUrls: { twilio: string; zenvia: string; whatsapp: string };
}

const ZUrl = z.url({ protocol: /^https?$/, error: "use uma URL http:// ou https:// completa" }).max(500);
const ZCredential = z.string().min(1).max(500, { error: "no máximo 500 caracteres" }).nullable().optional();
const ZRate = z.number().int().min(1, { error: "ao menos 1 por segundo" }).max(10_000).optional();

/** Fields given change; `null` clears one. Credentials are write-only. */
export const ZUpdateMessagingSettings = z.strictObject({
  emailFrom: z.string().trim().min(3).max(200).nullable().optional(),
  smtpUrl: z
    .url({ protocol: /^smtps?$/, error: "use smtp://usuário:senha@servidor:porta ou smtps://…" })
    .max(500)
    .nullable()
    .optional(),
  emailPerSecond: ZRate,
  smsProvider: z.enum(["zenvia", "twilio"], { error: "use zenvia ou twilio" }).nullable().optional(),
  smsBaseUrl: ZUrl.nullable().optional(),
  smsAccount: z.string().trim().min(1).max(100).nullable().optional(),
  smsToken: ZCredential,
  smsCallbackToken: z
    .string()
    .min(16, { error: "use ao menos 16 caracteres aleatórios (ex.: openssl rand -hex 16)" })
    .max(200)
    .nullable()
    .optional(),
  smsFrom: z.string().trim().min(1).max(50).nullable().optional(),
  smsPriceCents: z.number().int().min(0).max(10_000).optional(),
  smsMaxSegments: z.number().int().min(1).max(10).optional(),
  smsPerSecond: ZRate,
  whatsappBaseUrl: ZUrl.nullable().optional(),
  whatsappVersion: z
    .string()
    .regex(/^v\d+\.\d+$/, { error: "versão da Graph API como v21.0" })
    .optional(),
  whatsappPhoneNumberId: z
    .string()
    .trim()
    .regex(/^\d{5,30}$/, { error: "o id numérico do número" })
    .nullable()
    .optional(),
  whatsappToken: ZCredential,
  whatsappAppSecret: ZCredential,
  whatsappVerifyToken: ZCredential,
  whatsappPriceCents: z.number().int().min(0).max(10_000).optional(),
  whatsappPerSecond: ZRate,
});
export type TUpdateMessagingSettings = z.input<typeof ZUpdateMessagingSettings>;
