import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { ZIdParams } from "../../http/schemas.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import { experimentResults, listExperiments, startExperiment, stopExperiment } from "./experiment.service.ts";
import { ZCreateExperiment } from "./experiment.ts";

const ZExperiment = z.object({
  id: z.string(),
  name: z.string(),
  controlPolicyId: z.string(),
  variantPolicyId: z.string().nullable(),
  holdoutPercent: z.number(),
  horizonDays: z.number(),
  status: z.enum(["running", "stopped"]),
  startedOn: z.string(),
  stoppedOn: z.string().nullable(),
});
const ZUplift = z.object({
  difference: z.number(),
  low: z.number(),
  high: z.number(),
  pValue: z.number(),
  significant: z.boolean(),
});
export const ZExperimentResults = z.object({
  experiment: ZExperiment,
  measuredUntil: z.string(),
  arms: z.array(
    z.object({
      arm: z.enum(["control", "variant", "holdout"]),
      customers: z.number(),
      invoices: z.number(),
      recovered: z.number(),
      recoveryRate: z.number(),
      amountCents: z.number(),
      recoveredCents: z.number(),
      messages: z.number(),
      messageCostCents: z.number(),
    }),
  ),
  comparisons: z.array(
    z.object({
      name: z.enum(["variant_vs_control", "control_vs_holdout"]),
      rate: ZUplift,
      amountPerInvoiceCents: ZUplift,
      neededPerArm: z.number(),
      detectableEffect: z
        .number()
        .describe("A mudança na taxa de recuperação que a amostra detecta (0,05 = 5 p.p.)"),
      missingPerArm: z.number().describe("Faturas que faltam ao menor grupo para chegar a neededPerArm"),
      note: z.string(),
    }),
  ),
});

/** Experiments: A/B tests of policies with an optional holdout, their results and their stop. */
export function registerExperimentRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/experiments",
    tag: "Experimentos",
    summary: "Os experimentos do credor, mais novos primeiro",
    permission: "read",
    response: z.object({ data: z.array(ZExperiment) }),
    handler: async ({ tenantId }) => ({ data: await listExperiments(api.db, tenantId) }),
  });

  api.route({
    method: "POST",
    url: "/v1/experiments",
    tag: "Experimentos",
    summary: "Inicia um experimento: régua A contra régua B e/ou um grupo sem mensagens (holdout)",
    description:
      "Cada cliente do credor recebe um grupo (control, variant, holdout) sorteado de forma estável e registrada; o planejamento diário passa a usar a régua B para o grupo variant e a não enviar nada ao holdout.",
    permission: "policies",
    body: ZCreateExperiment,
    status: 201,
    response: ZExperiment.extend({ assigned: z.number() }),
    handler: async ({ tenantId, body, request }) => {
      const { tenant } = await tenantOf(api, tenantId);
      const experiment = await startExperiment(api.db, tenant, body, api.context.clock);
      request.auditResource = { type: "experiment", id: experiment.id };
      return experiment;
    },
  });

  api.route({
    method: "GET",
    url: "/v1/experiments/:id",
    tag: "Experimentos",
    summary:
      "Resultados: recuperação por grupo, o ganho (uplift) com intervalo de 95% e a nota de tamanho de amostra",
    permission: "read",
    params: ZIdParams,
    response: ZExperimentResults,
    handler: async ({ tenantId, params }) => {
      const { tenant } = await tenantOf(api, tenantId);
      return experimentResults(api.db, tenant, params.id, api.context.clock);
    },
  });

  api.route({
    method: "POST",
    url: "/v1/experiments/:id/stop",
    tag: "Experimentos",
    summary:
      "Encerra o experimento: todos voltam à régua de controle e os resultados ficam congelados no dia",
    permission: "policies",
    params: ZIdParams,
    response: ZExperiment,
    handler: async ({ tenantId, params, request }) => {
      const { tenant } = await tenantOf(api, tenantId);
      request.auditResource = { type: "experiment", id: params.id };
      return stopExperiment(api.db, tenant, params.id, api.context.clock);
    },
  });
}
