import { z } from "zod";
import type { GroupPurpose } from "./group.table.ts";

/**
 * Glossary: a group gathers customers for one purpose. `general`: any list the team wants;
 * `protest` (protesto): titles to take to the notary; `bureau` (negativação): customers listed
 * with a credit bureau (Serasa, SPC, Boa Vista) — admitted only after a written notice (a letter)
 * and a waiting period (CDC art. 43 §2), and, once they pay, to be removed within 5 business days
 * (STJ Súmula 548); `agency` (cobrança extrajudicial): debts handed to an outside agency, exported
 * with the amounts of the day. A member leaves by removal, which for `bureau` is the request to
 * the bureau to drop the listing.
 */
export interface CustomerGroup {
  id: string;
  name: string;
  purpose: GroupPurpose;
  description: string;
  members: number;
  /** bureau groups: paid members whose listing must still be removed */
  removalsDue: number;
  createdAt: Date;
}

export interface GroupMember {
  customerId: string;
  externalId: string;
  name: string;
  document: string;
  overdueCents: number;
  daysOverdue: number;
  addedAt: Date;
  noticeSentOn: string | null;
  settledOn: string | null;
  removalDueOn: string | null;
}

export interface RemovalDue {
  groupId: string;
  groupName: string;
  customerId: string;
  externalId: string;
  name: string;
  document: string;
  settledOn: string;
  removalDueOn: string;
  /** business days left until the deadline; negative when it passed */
  businessDaysLeft: number;
}

export interface RefusedMember {
  customerId: string;
  name: string | null;
  reason: string;
}

export interface MembershipReport {
  added: string[];
  alreadyMembers: string[];
  refused: RefusedMember[];
}

export const GROUP_PURPOSES = [
  "general",
  "protest",
  "bureau",
  "agency",
] as const satisfies readonly GroupPurpose[];

/** Defaults of the groups' rules (a tenant may change them). */
export const DEFAULT_BUREAU_NOTICE_WAIT_DAYS = 10;
/** Business days to ask the bureau to remove a paid debtor (STJ Súmula 548; CDC art. 43 §3). */
export const BUREAU_REMOVAL_BUSINESS_DAYS = 5;

export const ZCreateGroup = z.strictObject({
  name: z.string().trim().min(1, { error: "dê um nome ao grupo" }).max(100),
  purpose: z.enum(GROUP_PURPOSES, {
    error:
      "purpose: use general, protest (protesto), bureau (negativação) ou agency (cobrança extrajudicial)",
  }),
  description: z.string().trim().max(1000).default(""),
});
export type TCreateGroup = z.input<typeof ZCreateGroup>;

/** A new name or description; the purpose stays (a bureau group's record keeps its meaning). */
export const ZChangeGroup = z
  .strictObject({
    name: ZCreateGroup.shape.name.optional(),
    description: z.string().trim().max(1000).optional(),
  })
  .refine((change) => change.name !== undefined || change.description !== undefined, {
    error: "informe name ou description",
  });
export type TChangeGroup = z.input<typeof ZChangeGroup>;

export const ZCustomerIds = z.strictObject({
  customerIds: z
    .array(z.uuid({ error: "id de cliente inválido" }))
    .min(1, { error: "escolha ao menos um cliente" })
    .max(5000, { error: "no máximo 5000 clientes por pedido" }),
});

export const ZGroupSettings = z.strictObject({
  bureauNoticeWaitDays: z
    .number({ error: "bureauNoticeWaitDays: informe um número de dias" })
    .int()
    .min(0, { error: "bureauNoticeWaitDays: não pode ser negativo" })
    .max(365, { error: "bureauNoticeWaitDays: no máximo 365 dias" }),
});
export type TGroupSettings = z.input<typeof ZGroupSettings>;
