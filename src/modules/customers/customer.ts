import { z } from "zod";
import { ZDocument, ZState } from "../../shared/brazilian-fields.ts";
import type { ContactChannel } from "./customer.table.ts";

/**
 * Glossary: a customer is the debtor (devedor) of a tenant, a person (CPF) or a company (CNPJ);
 * a contact is one way to reach them (an email, a mobile for SMS, a WhatsApp number), each with its
 * own consent, opt-out and "verified owner" flag (SMS only to a phone known to belong to the payer).
 */
export interface Contact {
  id: string;
  channel: ContactChannel;
  value: string;
  consentAt: Date | null;
  optedOutAt: Date | null;
  verifiedOwner: boolean;
  unusableReason: string | null;
}

export interface CustomerAddress {
  street: string | null;
  number: string | null;
  district: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
}

export interface Customer {
  id: string;
  tenantId: string;
  externalId: string;
  name: string;
  document: string;
  kind: "person" | "company";
  address: CustomerAddress;
  timeZone: string;
  tags: string[];
  contacts: Contact[];
  createdAt: Date;
  updatedAt: Date;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A mobile phone in E.164 ('+5511987654321') from E.164 or the Brazilian '(11) 98765-4321' form,
 * or null when it is not one. Brazilian mobiles have a two-digit area code (11–99) and nine digits
 * starting with 9 (Anatel); numbers of other countries are accepted in E.164 as given.
 */
export function normalizeMobile(text: string): string | null {
  const trimmed = text.trim();
  const digits = trimmed.replace(/[\s().-]/g, "");
  let national: string;
  if (digits.startsWith("+")) {
    if (!/^\+[1-9]\d{7,14}$/.test(digits)) return null;
    if (!digits.startsWith("+55")) return digits;
    national = digits.slice(3);
  } else if (/^\d+$/.test(digits)) {
    national = digits.replace(/^0/, "");
    if (national.length === 13 && national.startsWith("55")) national = national.slice(2);
  } else {
    return null;
  }
  return /^[1-9][1-9]9\d{8}$/.test(national) ? `+55${national}` : null;
}

export function normalizePostalCode(text: string): string | null {
  const digits = text.replace(/[\s.-]/g, "");
  return /^\d{8}$/.test(digits) ? `${digits.slice(0, 5)}-${digits.slice(5)}` : null;
}

export const ZContactInput = z
  .object({
    channel: z.enum(["email", "sms", "whatsapp"], { error: "canal deve ser email, sms ou whatsapp" }),
    value: z.string().trim().min(1, { error: "informe o contato" }),
    /** Consent recorded now (an explicit opt-in, e.g. WhatsApp). */
    consent: z.boolean().optional(),
    verifiedOwner: z.boolean().optional(),
  })
  .transform((contact, context) => {
    if (contact.channel === "email") {
      const email = contact.value.toLowerCase();
      if (!EMAIL.test(email)) {
        context.addIssue({ code: "custom", path: ["value"], message: `e-mail inválido: '${contact.value}'` });
        return z.NEVER;
      }
      return { ...contact, value: email };
    }
    const mobile = normalizeMobile(contact.value);
    if (!mobile) {
      context.addIssue({
        code: "custom",
        path: ["value"],
        message: `celular inválido: '${contact.value}'; use +5511987654321 ou (11) 98765-4321`,
      });
      return z.NEVER;
    }
    return { ...contact, value: mobile };
  });

export const ZAddress = z.object({
  street: z.string().trim().nullish(),
  number: z.string().trim().nullish(),
  district: z.string().trim().nullish(),
  city: z.string().trim().nullish(),
  state: ZState.nullish(),
  postalCode: z
    .string()
    .nullish()
    .transform((value, context) => {
      if (value === null || value === undefined || value.trim() === "") return null;
      const normalized = normalizePostalCode(value);
      if (!normalized) {
        context.addIssue({
          code: "custom",
          message: `CEP inválido: '${value}'; use 8 dígitos, como 01310-100`,
        });
        return z.NEVER;
      }
      return normalized;
    }),
});

export const ZCreateCustomer = z
  .object({
    externalId: z.string().trim().min(1, { error: "informe o id externo do cliente" }).max(200),
    name: z.string().trim().min(1, { error: "informe o nome do cliente" }).max(300),
    document: ZDocument,
    kind: z.enum(["person", "company"], { error: "tipo deve ser person ou company" }).optional(),
    address: ZAddress.optional(),
    contacts: z.array(ZContactInput).default([]),
    tags: z
      .array(z.string().trim().min(1))
      .default([])
      .transform((tags) => [...new Set(tags)].sort()),
  })
  .transform((customer, context) => {
    // CPF = person, CNPJ = company: derived from the document, and a contradicting kind is an error.
    const derived = customer.document.length === 11 ? "person" : "company";
    if (customer.kind && customer.kind !== derived) {
      context.addIssue({
        code: "custom",
        path: ["kind"],
        message: `tipo '${customer.kind}' não combina com o documento (${derived === "person" ? "CPF" : "CNPJ"}); deixe em branco para deduzir`,
      });
      return z.NEVER;
    }
    return { ...customer, kind: derived as "person" | "company" };
  });
export type TCreateCustomer = z.input<typeof ZCreateCustomer>;
export type TValidCustomer = z.output<typeof ZCreateCustomer>;
