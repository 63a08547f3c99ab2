import { z } from "zod";
import { ZBasisPoints, ZIsoDate } from "../../shared/brazilian-fields.ts";

/**
 * Glossary:
 * - agreement (acordo): a customer's overdue invoices (the ORIGINAL invoices) turned into a plan
 *   of payments; each payment of the plan is an INSTALLMENT (parcela), itself an invoice with its
 *   own boleto and Pix. Installment 0 is the DOWN PAYMENT (entrada); `installments: 0` with no
 *   down payment is SETTLEMENT AT ONCE (quitação à vista, installment 1 alone).
 * - concession: what the creditor gives up — the fine, the default interest, a discount on the
 *   principal in basis points (1% = 100) — within LIMITS set per tenant and per actor role.
 * - status: proposed (installments issued, waiting for the first payment) → active (the first
 *   payment arrived by its due date) → completed (all paid); proposed → lapsed (first payment
 *   missed: nothing changes on the original invoices); active → broken (an installment unpaid past
 *   the tolerance: the original debt comes back less what was paid); proposed|active → cancelled
 *   (by an operator, with a reason).
 */

export const AGREEMENT_STATUSES = [
  "proposed",
  "active",
  "completed",
  "lapsed",
  "broken",
  "cancelled",
] as const;
export const ZAgreementStatus = z.enum(AGREEMENT_STATUSES, {
  error: `status deve ser ${AGREEMENT_STATUSES.join(", ")}`,
});
export type AgreementStatus = z.infer<typeof ZAgreementStatus>;

/** Which agreements a list asks for (all of the tenant's without one); a page with `after`/`limit`. */
export interface AgreementFilter {
  customerId?: string | undefined;
  status?: AgreementStatus | undefined;
  after?: { createdAt: Date; id: string } | undefined;
  limit?: number | undefined;
}

/** Who acts: concession limits depend on it (API keys use the analyst's limits). */
export const ZAgreementActor = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("operator"),
    id: z.string(),
    role: z.enum(["admin", "analyst", "viewer"]),
  }),
  z.object({ kind: z.literal("api_key"), id: z.string() }),
  z.object({ kind: z.literal("portal"), customerId: z.string() }),
]);
export type AgreementActor = z.infer<typeof ZAgreementActor>;

/** The roles that have limits of their own. */
export const LIMIT_ROLES = ["admin", "analyst", "portal"] as const;
export type LimitRole = (typeof LIMIT_ROLES)[number];

export const ZDebtInvoice = z.object({
  invoiceId: z.string(),
  description: z.string(),
  dueDate: ZIsoDate,
  daysOverdue: z.number().int(),
  principalCents: z.number().int(),
  fineCents: z.number().int(),
  interestCents: z.number().int(),
  totalCents: z.number().int(),
});
export type DebtInvoice = z.infer<typeof ZDebtInvoice>;

/** The debt as of a day: per original invoice what is still owed (Código Civil art. 354 replay). */
export const ZDebtBreakdown = z.object({
  asOf: ZIsoDate,
  invoices: z.array(ZDebtInvoice),
  principalCents: z.number().int(),
  fineCents: z.number().int(),
  interestCents: z.number().int(),
  totalCents: z.number().int(),
});
export type DebtBreakdown = z.infer<typeof ZDebtBreakdown>;

export const MAX_INSTALLMENTS = 48;

/** The terms of a plan as proposed (HTTP body and portal form alike). */
export const ZPlanTerms = z.object({
  invoiceIds: z
    .array(z.uuid({ error: "id de fatura inválido" }))
    .min(1, { error: "escolha ao menos uma fatura vencida" })
    .max(500),
  downPaymentCents: z
    .number()
    .int({ error: "use centavos inteiros" })
    .min(0, { error: "não pode ser negativa" })
    .default(0),
  /** 0 = settlement at once; otherwise monthly installments after the down payment. */
  installments: z
    .number()
    .int({ error: "use um número inteiro de parcelas" })
    .min(0, { error: "use 0 (à vista) ou de 1 a 48 parcelas" })
    .max(MAX_INSTALLMENTS, { error: "no máximo 48 parcelas" }),
  /** Day of month of the installments (1–28, so that every month has it); default 10. */
  dayOfMonth: z
    .number()
    .int()
    .min(1, { error: "dia do mês entre 1 e 28" })
    .max(28, { error: "dia do mês entre 1 e 28 (todo mês tem esse dia)" })
    .default(10),
  /** Due date of the first payment (down payment, or installment 1); default: the next business day. */
  firstDueDate: ZIsoDate.optional(),
  waiveFine: z.boolean().default(false),
  waiveInterest: z.boolean().default(false),
  principalDiscountBps: ZBasisPoints.default(0),
  /** Interest on the plan, per month (Price table); 0 = none. */
  monthlyInterestBps: ZBasisPoints.default(0),
});
export type PlanTerms = z.output<typeof ZPlanTerms>;
export type TPlanTerms = z.input<typeof ZPlanTerms>;

export const ZScheduleItem = z.object({
  /** 0 = down payment; 1… installments. */
  number: z.number().int(),
  dueDate: ZIsoDate,
  amountCents: z.number().int(),
});
export type ScheduleItem = z.infer<typeof ZScheduleItem>;

/** One plan: its terms, what is conceded, the total the debtor pays and the dated schedule. */
export const ZPlanOption = z.object({
  terms: ZPlanTerms,
  concessionCents: z.number().int(),
  totalCents: z.number().int(),
  schedule: z.array(ZScheduleItem),
});
export type PlanOption = z.infer<typeof ZPlanOption>;

/** What an actor may concede; one set per role in the tenant's settings. */
export const ZConcessionLimits = z.object({
  maxPrincipalDiscountBps: ZBasisPoints,
  mayWaiveFine: z.boolean(),
  mayWaiveInterest: z.boolean(),
  maxInstallments: z.number().int().min(0).max(MAX_INSTALLMENTS),
  /** No installment (nor down payment) below this amount, in cents. */
  minInstallmentCents: z.number().int().min(0),
});
export type ConcessionLimits = z.infer<typeof ZConcessionLimits>;

/**
 * A tenant's agreement settings. Defaults (DEFAULT_AGREEMENT_SETTINGS in agreement-settings.ts):
 * admin 30% discount, analyst 10%, portal none; settlement at once 10% off the principal; plan
 * interest 0; tolerance 5 business days; standing recovers while an agreement is active.
 */
export const ZAgreementSettings = z.object({
  limits: z.object({
    admin: ZConcessionLimits,
    analyst: ZConcessionLimits,
    portal: ZConcessionLimits,
  }),
  /** Discount on the principal offered for settlement at once (bps), within the actor's limit. */
  settlementDiscountBps: ZBasisPoints,
  /** Interest on the plan offered by default (bps a month, Price table). */
  defaultMonthlyInterestBps: ZBasisPoints,
  /** Business days an installment may stay unpaid past its due date before the agreement breaks. */
  breakToleranceBusinessDays: z.number().int().min(0).max(60),
  /** Whether the customer's standing (aviso/suspensão) recovers while an agreement is proposed or active. */
  standingRecoversWhileActive: z.boolean(),
  /** The policy (régua) that governs installment invoices; null until provisioned. */
  policyId: z.uuid().nullable(),
});
export type AgreementSettings = z.infer<typeof ZAgreementSettings>;

/** A change of settings: any field, and per role any limit (`{ limits: { portal: { maxInstallments: 6 } } }`). */
export const ZUpdateAgreementSettings = ZAgreementSettings.partial().extend({
  limits: z
    .object({
      admin: ZConcessionLimits.partial().optional(),
      analyst: ZConcessionLimits.partial().optional(),
      portal: ZConcessionLimits.partial().optional(),
    })
    .optional(),
});
export type TUpdateAgreementSettings = z.input<typeof ZUpdateAgreementSettings>;

/** An agreement as the terms would make it (POST /v1/agreements/preview), each concession apart. */
export const ZAgreementPreview = ZPlanOption.extend({
  debt: ZDebtBreakdown,
  concessions: z.object({
    fineCents: z.number().int(),
    interestCents: z.number().int(),
    discountCents: z.number().int(),
  }),
  /** Interest the plan adds (Price table); 0 without plan interest. */
  planInterestCents: z.number().int(),
});
export type AgreementPreview = z.infer<typeof ZAgreementPreview>;

export const ZAgreementSimulation = z.object({
  debt: ZDebtBreakdown,
  limits: ZConcessionLimits.extend({ settlementDiscountBps: ZBasisPoints, monthlyInterestBps: ZBasisPoints }),
  options: z.array(ZPlanOption),
});
export type AgreementSimulation = z.infer<typeof ZAgreementSimulation>;

export const INSTALLMENT_STATUSES = ["open", "paid", "cancelled"] as const;

export const ZAgreementInstallment = z.object({
  number: z.number().int(),
  invoiceId: z.string(),
  dueDate: ZIsoDate,
  amountCents: z.number().int(),
  /** What was paid on it (its own payments and those credited from an original invoice). */
  paidCents: z.number().int(),
  status: z.enum(INSTALLMENT_STATUSES),
  typeableLine: z.string().nullable(),
  pixPayload: z.string().nullable(),
});
export type AgreementInstallment = z.infer<typeof ZAgreementInstallment>;

export const ZAgreement = z.object({
  id: z.string(),
  /** Per tenant, 1, 2, 3…: how people name it ("Acordo nº 12"). */
  number: z.number().int(),
  customerId: z.string(),
  status: ZAgreementStatus,
  createdAt: z.date(),
  /** 'operator:<id>', 'api_key:<id>' or 'portal:<customerId>'. */
  createdBy: z.string(),
  debt: ZDebtBreakdown,
  terms: ZPlanTerms,
  concessionCents: z.number().int(),
  totalCents: z.number().int(),
  paidCents: z.number().int(),
  installments: z.array(ZAgreementInstallment),
  activatedAt: z.date().nullable(),
  endedAt: z.date().nullable(),
  endReason: z.string().nullable(),
});
export type Agreement = z.infer<typeof ZAgreement>;

export const ZSimulateAgreement = z.object({
  customerId: z.uuid({ error: "id de cliente inválido" }),
  invoiceIds: z
    .array(z.uuid({ error: "id de fatura inválido" }))
    .min(1)
    .max(500)
    .optional(),
});
export type TSimulateAgreement = z.input<typeof ZSimulateAgreement>;

export const ZProposeAgreement = ZPlanTerms.extend({
  customerId: z.uuid({ error: "id de cliente inválido" }),
});
export type TProposeAgreement = z.input<typeof ZProposeAgreement>;

export const ZCancelAgreement = z.object({
  reason: z.string().trim().min(3, { error: "informe o motivo do cancelamento" }).max(500),
});
export type TCancelAgreement = z.input<typeof ZCancelAgreement>;

export const AGREEMENT_EVENT_TYPES = [
  "agreement.proposed",
  "agreement.activated",
  "agreement.lapsed",
  "agreement.completed",
  "agreement.broken",
  "agreement.cancelled",
] as const;

export const AGREEMENT_STATUS_LABEL: Record<AgreementStatus, string> = {
  proposed: "proposto",
  active: "ativo",
  completed: "quitado",
  lapsed: "não efetivado",
  broken: "quebrado",
  cancelled: "cancelado",
};

/** One change of status, with when (and why, when the agreement ended). */
export const ZAgreementStatusChange = z.object({
  status: ZAgreementStatus,
  at: z.date(),
  reason: z.string().nullable(),
});

/** A payment towards the agreement: on an installment, or on an original and credited to one. */
export const ZAgreementPayment = z.object({
  paymentId: z.string(),
  paidAt: z.date(),
  amountCents: z.number().int(),
  method: z.string(),
  /** The installment it paid (0 = down payment). */
  installmentNumber: z.number().int(),
  /** Set when the debtor paid an original invoice's boleto and the money was credited here. */
  originalInvoiceExternalId: z.string().nullable(),
});

/**
 * The agreement page (GET /v1/agreements/{id}/overview): the agreement, its customer, who made it,
 * its status history, each installment with what it costs today (the open-debt read model) and the
 * payments received.
 */
export const ZAgreementOverview = z.object({
  asOf: ZIsoDate,
  /** The tenant's IANA zone: the history's instants are shown as its dates. */
  timeZone: z.string(),
  agreement: ZAgreement,
  customer: z.object({ id: z.string(), name: z.string() }),
  createdBy: z.object({
    kind: z.enum(["operator", "api_key", "portal", "other"]),
    name: z.string().nullable(),
  }),
  history: z.array(ZAgreementStatusChange),
  installments: z.array(
    ZAgreementInstallment.extend({
      /** What paying it today costs (fine and interest included), null unless open and owed. */
      todayCents: z.number().int().nullable(),
      daysOverdue: z.number().int(),
    }),
  ),
  payments: z.array(ZAgreementPayment),
});
export type AgreementOverview = z.infer<typeof ZAgreementOverview>;
