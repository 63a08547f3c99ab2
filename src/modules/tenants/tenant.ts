import { z } from "zod";
import type { ExtraHoliday } from "../../domain/calendar.ts";
import { ZBasisPoints, ZDocument, ZState, ZTimeZone } from "../../shared/brazilian-fields.ts";

/**
 * Glossary: a tenant is one creditor company using Régua; everything else (customers, invoices,
 * API keys) belongs to exactly one tenant. The creditor's legal name, CPF/CNPJ and address are
 * required because every collection message must show them (CDC art. 42-A).
 */
export interface Tenant {
  id: string;
  slug: string;
  legalName: string;
  document: string;
  address: string;
  timeZone: string;
  defaultFineBps: number;
  defaultInterestMonthlyBps: number;
  extraHolidays: ExtraHoliday[];
  isDemo: boolean;
  boletoBankCode: string | null;
  boletoAgency: string | null;
  boletoAccount: string | null;
  boletoWallet: string;
  pixKey: string | null;
  pixMerchantCity: string | null;
  createdAt: Date;
}

/** The creditor as every message and document must show it (CDC art. 42-A). */
export interface Creditor {
  name: string;
  document: string;
  address: string;
}

export function creditorOf(tenant: Tenant): Creditor {
  return { name: tenant.legalName, document: tenant.document, address: tenant.address };
}

export const ZExtraHoliday = z.object({
  date: z.string().regex(/^(\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, {
    error: "use AAAA-MM-DD (um ano) ou MM-DD (todo ano)",
  }),
  name: z.string().trim().min(1, { error: "informe o nome do feriado" }),
  state: ZState.optional(),
  city: z.string().trim().min(1).optional(),
});

const ZSlug = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, {
    error: "use de 2 a 63 letras minúsculas, dígitos e hífens, começando por letra ou dígito",
  });

/** Settings that can change after creation. */
export const ZTenantSettings = z.object({
  legalName: z.string().trim().min(1, { error: "informe a razão social do credor" }).max(200),
  document: ZDocument,
  address: z.string().trim().min(5, { error: "informe o endereço completo do credor (CDC art. 42-A)" }),
  timeZone: ZTimeZone,
  defaultFineBps: ZBasisPoints,
  defaultInterestMonthlyBps: ZBasisPoints,
  extraHolidays: z.array(ZExtraHoliday),
  boletoBankCode: z
    .string()
    .regex(/^\d{3}$/, { error: "código do banco tem 3 dígitos (ex.: 237)" })
    .nullable(),
  boletoAgency: z
    .string()
    .regex(/^\d{4}$/, { error: "agência tem 4 dígitos, sem o dígito verificador" })
    .nullable(),
  boletoAccount: z
    .string()
    .regex(/^\d{1,7}$/, { error: "conta tem até 7 dígitos, sem o dígito verificador" })
    .nullable(),
  boletoWallet: z.string().regex(/^\d{2}$/, { error: "carteira tem 2 dígitos (ex.: 09)" }),
  pixKey: z.string().trim().min(1).max(77, { error: "chave Pix tem no máximo 77 caracteres" }).nullable(),
  pixMerchantCity: z
    .string()
    .trim()
    .min(1)
    .max(15, { error: "cidade do Pix tem no máximo 15 caracteres" })
    .nullable(),
});

export const ZCreateTenant = ZTenantSettings.partial()
  .required({ legalName: true, document: true, address: true })
  .extend({ slug: ZSlug, isDemo: z.boolean().optional() });
export type TCreateTenant = z.input<typeof ZCreateTenant>;

export const ZUpdateTenantSettings = ZTenantSettings.partial();
export type TUpdateTenantSettings = z.input<typeof ZUpdateTenantSettings>;

export type ApiKeyScope = "read" | "write";

export interface ApiKey {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  scope: ApiKeyScope;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export const ZCreateApiKey = z.object({
  name: z.string().trim().min(1, { error: "dê um nome à chave (ex.: integração ERP)" }).max(100),
  scope: z.enum(["read", "write"], { error: "escopo deve ser read ou write" }).default("write"),
});
export type TCreateApiKey = z.input<typeof ZCreateApiKey>;
