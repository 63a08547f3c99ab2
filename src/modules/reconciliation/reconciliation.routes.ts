import { z } from "zod";
import type { Api } from "../../http/api.ts";
import type { Principal } from "../../http/permissions.ts";
import { ZIdParams } from "../../http/schemas.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import {
  type Decider,
  listReconciliation,
  matchItem,
  refundItem,
  splitItem,
} from "./reconciliation.service.ts";
import { ZMatch, ZRefund, ZSplit } from "./reconciliation.ts";

function deciderOf(principal: Principal): Decider {
  return { kind: principal.kind, id: principal.actorId };
}

/** The reconciliation queue of bank payments (docs/bank-files.md). */
export function registerReconciliationRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/reconciliation",
    tag: "Conciliação",
    summary: "Pagamentos bancários à espera de decisão, com sugestões de fatura",
    permission: "read",
    query: z.object({ status: z.enum(["open", "matched", "split", "refund", "all"]).default("open") }),
    handler: async ({ tenantId, query }) => ({
      data: await listReconciliation(api.db, tenantId, query.status),
    }),
  });

  api.route({
    method: "POST",
    url: "/v1/reconciliation/:id/match",
    tag: "Conciliação",
    summary: "Atribui o pagamento inteiro a uma fatura (quita pela regra do CC art. 354)",
    permission: "write",
    params: ZIdParams,
    body: ZMatch,
    handler: async ({ tenantId, params, body, principal, request }) => {
      const { tenant } = await tenantOf(api, tenantId);
      request.auditResource = { type: "reconciliation_item", id: params.id };
      return matchItem(api.db, tenant, params.id, body, deciderOf(principal), api.context.clock);
    },
  });

  api.route({
    method: "POST",
    url: "/v1/reconciliation/:id/split",
    tag: "Conciliação",
    summary: "Divide o pagamento entre faturas (as partes somam o valor pago)",
    permission: "write",
    params: ZIdParams,
    body: ZSplit,
    handler: async ({ tenantId, params, body, principal, request }) => {
      const { tenant } = await tenantOf(api, tenantId);
      request.auditResource = { type: "reconciliation_item", id: params.id };
      return splitItem(api.db, tenant, params.id, body, deciderOf(principal), api.context.clock);
    },
  });

  api.route({
    method: "POST",
    url: "/v1/reconciliation/:id/refund",
    tag: "Conciliação",
    summary: "Marca o pagamento para devolução ao pagador (nenhuma fatura é quitada)",
    permission: "write",
    params: ZIdParams,
    body: ZRefund,
    handler: async ({ tenantId, params, body, principal, request }) => {
      const { tenant } = await tenantOf(api, tenantId);
      request.auditResource = { type: "reconciliation_item", id: params.id };
      return refundItem(api.db, tenant, params.id, body, deciderOf(principal), api.context.clock);
    },
  });
}
