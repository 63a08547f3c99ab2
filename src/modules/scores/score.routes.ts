import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { ZIdParams } from "../../http/schemas.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import {
  expectedRecovery,
  explainInvoiceScore,
  getInvoiceScore,
  scoreOpenInvoices,
  trainPaymentModel,
} from "./score.service.ts";
import { ZTrainScores } from "./score.ts";

const ZBand = z.enum(["low", "medium", "high"]);
const ZInvoiceScore = z.object({
  invoiceId: z.string(),
  customerId: z.string(),
  scoredOn: z.string(),
  horizonDays: z.number(),
  probability: z.number(),
  band: ZBand,
  reasons: z.array(z.object({ code: z.string(), text: z.string() })),
  model: z.enum(["prior", "trained"]),
});
const ZEvaluation = z
  .object({
    examples: z.number(),
    paidRate: z.number(),
    auc: z.number().nullable(),
    brier: z.number(),
    calibration: z.array(
      z.object({
        from: z.number(),
        to: z.number(),
        count: z.number(),
        meanPredicted: z.number(),
        observedRate: z.number(),
      }),
    ),
  })
  .nullable();
const ZPeriod = z.object({ from: z.string(), to: z.string() }).nullable();

/** The probability of payment: train the tenant's model, score its open invoices, read and explain a score. */
export function registerScoreRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/invoices/:id/score",
    tag: "Probabilidade de pagamento",
    summary:
      "A probabilidade de a fatura em aberto ser paga no horizonte (30 dias), com a faixa e os motivos",
    permission: "read",
    params: ZIdParams,
    response: ZInvoiceScore,
    handler: async ({ tenantId, params }) => getInvoiceScore(api.db, tenantId, params.id),
  });

  api.route({
    method: "GET",
    url: "/v1/invoices/:id/score/explanation",
    tag: "Probabilidade de pagamento",
    summary: "Cada característica da fatura hoje, sua contribuição para a probabilidade e o efeito",
    permission: "read",
    params: ZIdParams,
    response: z.object({
      invoiceId: z.string(),
      probability: z.number(),
      band: ZBand,
      model: z.enum(["prior", "trained"]),
      contributions: z.array(
        z.object({
          feature: z.string(),
          label: z.string(),
          value: z.number(),
          contribution: z.number(),
          effect: z.string(),
        }),
      ),
    }),
    handler: async ({ tenantId, params }) => {
      const { tenant } = await tenantOf(api, tenantId);
      return explainInvoiceScore(api.db, tenant, params.id, api.context.clock);
    },
  });

  api.route({
    method: "GET",
    url: "/v1/scores/expected-recovery",
    tag: "Probabilidade de pagamento",
    summary: "Recuperação esperada (Σ probabilidade × saldo) das faturas em aberto, por fase da dívida",
    permission: "read",
    response: z.object({
      phases: z.array(
        z.object({
          phase: z.enum(["pre_due", "d1_30", "d31_60", "d61_90", "d90_plus"]),
          invoices: z.number(),
          outstandingCents: z.number(),
          expectedCents: z.number(),
        }),
      ),
      totalExpectedCents: z.number(),
    }),
    handler: async ({ tenantId }) => {
      const { tenant } = await tenantOf(api, tenantId);
      return expectedRecovery(api.db, tenant, api.context.clock);
    },
  });

  api.route({
    method: "POST",
    url: "/v1/scores/train",
    tag: "Probabilidade de pagamento",
    summary:
      "Treina o modelo do credor no próprio histórico (avaliação em período posterior) e recalcula as probabilidades",
    description:
      "Sem histórico suficiente o credor segue com o modelo inicial documentado (docs/effectiveness.md); a resposta diz por quê.",
    permission: "policies",
    body: ZTrainScores,
    response: z.object({
      model: z.enum(["prior", "trained"]),
      modelId: z.string().nullable(),
      trainedOn: z.string(),
      trainingRows: z.number(),
      keptPrior: z.string().nullable(),
      trainPeriod: ZPeriod,
      evaluationPeriod: ZPeriod,
      evaluation: ZEvaluation,
      scored: z.number(),
    }),
    handler: async ({ tenantId, body }) => {
      const { tenant } = await tenantOf(api, tenantId);
      const outcome = await trainPaymentModel(api.db, tenant, api.context.clock, body);
      const { scored } = await scoreOpenInvoices(api.db, tenant, api.context.clock, body);
      const { model, ...rest } = outcome;
      return { ...rest, model: model.kind, evaluation: nanToNull(outcome.evaluation), scored };
    },
  });
}

/** JSON has no NaN: an AUC undefined (one outcome only) goes out as null. */
function nanToNull<T extends { auc: number } | null>(evaluation: T): T {
  if (evaluation && Number.isNaN(evaluation.auc)) return { ...evaluation, auc: null };
  return evaluation;
}
