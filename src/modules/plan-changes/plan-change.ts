import { z } from "zod";

/**
 * Glossary: the catalogue is the creditor's list of plans a debtor may move to (a tenant
 * setting); a request is the debtor's ask, from the portal, for another plan or another payment
 * method on one contract; the creditor decides it (confirmed or declined) through the API.
 */

export const PAYMENT_METHODS = ["boleto", "pix", "pix_automatico"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const ZCataloguePlan = z.object({
  name: z.string().trim().min(1, { error: "informe o nome do plano" }).max(80),
  monthlyPriceCents: z
    .number({ error: "informe o preço mensal em centavos" })
    .int({ error: "o preço mensal é em centavos, sem vírgula" })
    .min(1, { error: "o preço mensal deve ser maior que zero" }),
});

export const ZPlanCatalogue = z.object({
  plans: z
    .array(ZCataloguePlan)
    .max(50, { error: "no máximo 50 planos" })
    .refine((plans) => new Set(plans.map((plan) => plan.name.toLowerCase())).size === plans.length, {
      error: "dois planos com o mesmo nome",
    }),
});
export type TPlanCatalogue = z.infer<typeof ZPlanCatalogue>;

export const PLAN_CHANGE_KINDS = ["plan", "payment_method"] as const;
export const PLAN_CHANGE_STATUSES = ["requested", "confirmed", "declined"] as const;

export const ZPlanChangeRequest = z.object({
  id: z.string(),
  customerId: z.string(),
  contractId: z.string(),
  kind: z.enum(PLAN_CHANGE_KINDS),
  currentValue: z.string(),
  requestedValue: z.string(),
  monthlyPriceCents: z.number().int().nullable(),
  status: z.enum(PLAN_CHANGE_STATUSES),
  requestedAt: z.date(),
  decidedAt: z.date().nullable(),
});
export type PlanChangeRequest = z.infer<typeof ZPlanChangeRequest>;

/** The webhook event each kind of request publishes. */
export const REQUEST_EVENTS = {
  plan: "customer.plan_change_requested",
  payment_method: "customer.payment_method_change_requested",
} as const;
