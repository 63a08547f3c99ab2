import type { Api } from "../../http/api.ts";
import { decodeCursor, pageOf } from "../../http/pagination.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import {
  customerOverviewFromRow,
  customerOverviewPage,
  customerSelection,
  workQueue,
} from "./work-queue.service.ts";
import {
  ZCustomerOverviewQuery,
  ZCustomerSelection,
  ZCustomerSelectionQuery,
  ZWorkQueueQuery,
} from "./work-queue.ts";

/** The analysts' work queue and the filterable customer list behind the bulk actions. */
export function registerWorkQueueRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/work-queue",
    tag: "Fila de trabalho",
    summary: "Clientes a trabalhar hoje, do mais urgente ao menos urgente, com a composição da prioridade",
    description:
      "Ordem: primeiro os clientes com fatura vencida que tem probabilidade de pagamento, pela recuperação esperada " +
      "(Σ probabilidade × saldo das faturas vencidas com score; priority.basis = expected_recovery, com a probabilidade " +
      "ponderada e os motivos do score da fatura de maior peso); depois os demais (priority.basis = points), pela " +
      "prioridade em pontos (score): valor vencido (1 por R$ 100, até 500) + dias de atraso da fatura mais antiga " +
      "(até 180) + 200 se uma promessa de pagamento vence hoje ou venceu nos últimos 7 dias com a dívida em aberto + " +
      "100 por tarefa de analista aberta (até 3).",
    permission: "read",
    query: ZWorkQueueQuery,
    handler: async ({ tenantId, query }) => {
      const { tenant } = await tenantOf(api, tenantId);
      return workQueue(api.readDb, tenant, query.limit, api.context.clock);
    },
  });

  api.route({
    method: "GET",
    url: "/v1/customer-overview",
    tag: "Fila de trabalho",
    summary: "Clientes com valor e dias em atraso, situação e grupos; filtros para escolher e agir em lote",
    permission: "read",
    query: ZCustomerOverviewQuery,
    handler: async ({ tenantId, query }) => {
      const { tenant } = await tenantOf(api, tenantId);
      const after = query.cursor ? String(decodeCursor(query.cursor, ["string"])[0]) : undefined;
      const rows = await customerOverviewPage(
        api.readDb,
        tenant,
        query,
        { limit: query.limit + 1, ...(after !== undefined ? { afterExternalId: after } : {}) },
        api.context.clock,
      );
      return pageOf(rows, query.limit, customerOverviewFromRow, (row) => [row.external_id]);
    },
  });

  api.route({
    method: "GET",
    url: "/v1/customer-overview/selection",
    tag: "Fila de trabalho",
    summary:
      'Todos os clientes que os filtros da lista encontram ("selecionar todos os N"), para as ações em lote',
    description:
      "Os mesmos filtros de GET /v1/customer-overview, resolvidos no servidor sobre todos os clientes, não sobre a página carregada. Até 5000 ids; `more` diz que há mais (refine o filtro).",
    permission: "read",
    query: ZCustomerSelectionQuery,
    response: ZCustomerSelection,
    handler: async ({ tenantId, query }) => {
      const { tenant } = await tenantOf(api, tenantId);
      return customerSelection(api.readDb, tenant, query, api.context.clock);
    },
  });
}
