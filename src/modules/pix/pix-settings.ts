import { z } from "zod";

/**
 * Glossary: a tenant's Pix settings say which PSP (payment service provider) receives its Pix and
 * how Régua reaches that PSP's standard BCB Pix API: the API's base URL and its OAuth2 token URL,
 * the client id and secret, the client certificate and key of the mutual TLS (PEM), optionally the
 * CA that signed the PSP's server certificate, the receiver's Pix key (chave DICT), and how many
 * days after the due date a charge (cobv) may still be paid. The client secret and the private key
 * are stored sealed and never shown back: responses say only whether they are set.
 */
export interface PixSettings {
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  /** "••••" and the last 4 characters */
  clientSecret: string | null;
  /** the certificate's subject and validity, never the key */
  certificate: { subject: string; validTo: string } | null;
  privateKeySet: boolean;
  caSet: boolean;
  receiverKey: string;
  daysValidAfterDue: number;
  /** Pix Automático: NAO_PERMITE, or PERMITE_3R_7D (up to 3 retries in 7 days after a failed charge) */
  recurrenceRetryPolicy: "NAO_PERMITE" | "PERMITE_3R_7D";
  /** where the PSP must POST its notifications (registered with PUT /webhook/{chave}) */
  webhookUrl: string;
  webhookRegisteredAt: Date | null;
  sweptUntil: Date | null;
}

const ZHttpsUrl = z
  .url({ protocol: /^https$/, error: "use uma URL https:// completa (a API Pix só fala TLS mútuo)" })
  .max(500);
const ZPem = (what: string, label: RegExp) =>
  z
    .string()
    .max(20_000, { error: `${what}: no máximo 20.000 caracteres` })
    .refine((text) => label.test(text), { error: `${what}: cole o PEM completo (-----BEGIN …-----)` });

/** Chave DICT: e-mail, telefone (+55…), CPF, CNPJ ou chave aleatória (EVP), até 77 caracteres. */
const ZPixKey = z
  .string()
  .trim()
  .min(1)
  .max(77, { error: "a chave Pix tem no máximo 77 caracteres" })
  .regex(
    /^(\d{11}|\d{14}|\+\d{10,14}|[^@\s]+@[^@\s]+\.[^@\s]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i,
    { error: "use uma chave Pix: CPF ou CNPJ (só dígitos), +55 e o telefone, e-mail ou chave aleatória" },
  );

/** The first PATCH must give everything but `caPem` and `daysValidAfterDue`; later ones change what they name. */
export const ZUpdatePixSettings = z.strictObject({
  baseUrl: ZHttpsUrl.optional(),
  tokenUrl: ZHttpsUrl.optional(),
  clientId: z.string().trim().min(1).max(200).optional(),
  clientSecret: z.string().min(1).max(500, { error: "no máximo 500 caracteres" }).optional(),
  certificatePem: ZPem("certificado", /-----BEGIN CERTIFICATE-----/).optional(),
  privateKeyPem: ZPem("chave privada", /-----BEGIN (RSA |EC )?PRIVATE KEY-----/).optional(),
  caPem: ZPem("CA", /-----BEGIN CERTIFICATE-----/)
    .nullable()
    .optional(),
  receiverKey: ZPixKey.optional(),
  daysValidAfterDue: z
    .number()
    .int({ error: "um número inteiro de dias" })
    .min(0)
    .max(3650, { error: "no máximo 3650 dias" })
    .optional(),
  recurrenceRetryPolicy: z
    .enum(["NAO_PERMITE", "PERMITE_3R_7D"], { error: "use NAO_PERMITE ou PERMITE_3R_7D" })
    .optional(),
});
export type TUpdatePixSettings = z.input<typeof ZUpdatePixSettings>;

export const REQUIRED_ON_FIRST_SAVE = [
  "baseUrl",
  "tokenUrl",
  "clientId",
  "clientSecret",
  "certificatePem",
  "privateKeyPem",
  "receiverKey",
] as const;

/** What the Pix client needs, with the secrets opened. */
export interface PixConnection {
  tenantId: string;
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  certificatePem: string;
  privateKeyPem: string;
  caPem: string | null;
  receiverKey: string;
  daysValidAfterDue: number;
  recurrenceRetryPolicy: "NAO_PERMITE" | "PERMITE_3R_7D";
  webhookToken: string;
}
