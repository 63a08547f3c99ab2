import { z } from "zod";
import type { LinkPurpose } from "./portal-link.ts";

/**
 * Glossary: the portal is the debtor's own pages. They enter through a signed, expiring link (see
 * portal-link.ts), answer an identity question (the first five characters of their CPF/CNPJ), and
 * get a short session. Options below document their defaults; the numbers are the product's policy.
 */
export const PORTAL_POLICY = {
  /** days a link in a dunning message stays valid */
  messageLinkDays: 30,
  /** days an operator-minted link stays valid unless asked otherwise (1–30) */
  mintedLinkDays: 7,
  /** characters of the CPF/CNPJ asked for */
  identityCharacters: 5,
  /** wrong answers per link before it is locked */
  linkMaxFailures: 5,
  /** wrong answers per client IP (any link of the tenant) before the IP is locked; higher than per link because mobile carriers put many people behind one address (CGNAT) */
  ipMaxFailures: 20,
  /** minutes a lock lasts; also the window in which failures are counted */
  lockMinutes: 15,
  /** minutes of inactivity after which a session ends */
  sessionMinutes: 30,
  /** minutes a contact verification code is valid */
  codeMinutes: 10,
  /** wrong tries of one code before it is void */
  codeMaxAttempts: 5,
  /** codes a customer may ask for in one lock window (each one is a message sent) */
  codesPerWindow: 3,
} as const;

export type { LinkPurpose };

export const ZPortalLinkRequest = z.strictObject({
  purpose: z
    .enum(["home", "invoice", "preferences"], { error: "purpose deve ser home, invoice ou preferences" })
    .default("home")
    .describe("o que o link abre: home (faturas), invoice (a segunda via de uma fatura) ou preferences"),
  invoiceId: z.uuid({ error: "invoiceId: id de fatura inválido" }).optional(),
  ttlDays: z
    .number()
    .int()
    .min(1, { error: "ttlDays: de 1 a 30 dias" })
    .max(30, { error: "ttlDays: de 1 a 30 dias" })
    .default(PORTAL_POLICY.mintedLinkDays)
    .describe("validade do link em dias (padrão 7)"),
});
export type TPortalLinkRequest = z.input<typeof ZPortalLinkRequest>;

export const ZPortalLink = z.object({
  url: z.string(),
  expiresAt: z.date(),
});

/** A new e-mail or mobile typed by the debtor. */
export const ZContactChange = z
  .object({
    channel: z.enum(["email", "sms"], { error: "canal deve ser e-mail ou celular" }),
    value: z.string().trim().min(1, { error: "informe o novo contato" }).max(200),
  })
  .strip();

export const ZContactCode = z.object({
  codeId: z.uuid({ error: "pedido de código inválido; peça um novo código" }),
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, { error: "o código tem 6 dígitos" }),
});

export type IdentityOutcome =
  | { ok: true; session: { token: string; csrfToken: string; expiresAt: Date }; purpose: LinkPurpose }
  | { ok: false; reason: "wrong"; remaining: number }
  | { ok: false; reason: "locked"; until: Date };

export type LinkCheck =
  | { status: "valid"; tenantId: string; customerId: string; purpose: LinkPurpose; expiresAt: Date }
  | { status: "expired"; tenantId: string }
  | { status: "invalid" };

export interface PortalSession {
  tenantId: string;
  customerId: string;
  csrfToken: string;
}
