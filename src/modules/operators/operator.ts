import { z } from "zod";
import type { Role } from "../../http/permissions.ts";
import { ZEmail } from "../../shared/brazilian-fields.ts";

/**
 * Glossary: an operator is a person of the creditor's collections team who signs in to the
 * dashboard (admin, analyst or viewer); a session is one signed-in browser.
 */
export interface Operator {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  disabledAt: Date | null;
  createdAt: Date;
}

export const ZRole = z.enum(["admin", "analyst", "viewer"], {
  error: "papel deve ser admin, analyst ou viewer",
});

export const ZCreateOperator = z.object({
  email: ZEmail,
  name: z.string().trim().max(200).default(""),
  role: ZRole,
  password: z
    .string()
    .min(10, { error: "a senha deve ter ao menos 10 caracteres" })
    .max(200, { error: "a senha deve ter no máximo 200 caracteres" }),
});
export type TCreateOperator = z.input<typeof ZCreateOperator>;

export const ZLogin = z.strictObject({
  tenant: z.string().trim().min(1, { error: "informe o credor (slug)" }).max(63),
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(200),
});
export type TLogin = z.input<typeof ZLogin>;
