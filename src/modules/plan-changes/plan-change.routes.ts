import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { ZIdParams } from "../../http/schemas.ts";
import {
  decidePlanChange,
  getPlanCatalogue,
  listPlanChangeRequests,
  updatePlanCatalogue,
} from "./plan-change.service.ts";
import { ZPlanCatalogue, ZPlanChangeRequest } from "./plan-change.ts";

/**
 * The creditor's side of "Meu plano e pagamento": the catalogue of plans the portal offers, the
 * requests a customer made, and the decision on each (confirm moves the contract, decline leaves it).
 */
export function registerPlanChangeRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/settings/plans",
    tag: "Planos",
    summary: "Catálogo de planos que o cliente pode pedir no portal (nome e preço mensal em centavos)",
    permission: "read",
    response: ZPlanCatalogue,
    handler: ({ tenantId }) => getPlanCatalogue(api.db, tenantId),
  });

  api.route({
    method: "PATCH",
    url: "/v1/settings/plans",
    tag: "Planos",
    summary: "Substitui o catálogo de planos; pedidos já feitos guardam o preço de quando foram feitos",
    permission: "admin",
    body: ZPlanCatalogue,
    response: ZPlanCatalogue,
    handler: ({ tenantId, body }) => updatePlanCatalogue(api.db, tenantId, body, api.context.clock),
  });

  api.route({
    method: "GET",
    url: "/v1/customers/:id/plan-change-requests",
    tag: "Planos",
    summary:
      "Pedidos de troca de plano ou de meio de pagamento feitos pelo cliente no portal, mais recentes primeiro",
    permission: "read",
    params: ZIdParams,
    response: z.object({ data: z.array(ZPlanChangeRequest) }),
    handler: async ({ tenantId, params }) => ({
      data: await listPlanChangeRequests(api.db, tenantId, params.id),
    }),
  });

  for (const [action, decision, summary] of [
    ["confirm", "confirmed", "Confirma o pedido: o contrato passa ao plano ou meio de pagamento pedido"],
    ["decline", "declined", "Recusa o pedido: o contrato fica como está"],
  ] as const) {
    api.route({
      method: "POST",
      url: `/v1/plan-change-requests/:id/${action}`,
      tag: "Planos",
      summary,
      description: "Um pedido é decidido uma vez só: depois disso, 409.",
      permission: "write",
      params: ZIdParams,
      response: ZPlanChangeRequest,
      handler: async ({ tenantId, params, request }) => {
        request.auditResource = { type: "plan_change_request", id: params.id };
        return decidePlanChange(api.db, tenantId, params.id, decision, api.context.clock);
      },
    });
  }
}
