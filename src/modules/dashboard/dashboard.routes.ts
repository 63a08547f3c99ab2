import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { decodeCursor, pageOf, ZPageQuery } from "../../http/pagination.ts";
import { ZReplicaLag } from "../../http/replica-lag.ts";
import { ZIdParams } from "../../http/schemas.ts";
import { auditPersonalRead, tenantOf } from "../../http/tenant-context.ts";
import { getCustomerOverview, getTimelinePage } from "./customer-view.service.ts";
import { addNote, liftPause, logCall, pauseCollection, setCreditLimit } from "./interaction.service.ts";
import { ZAddNote, ZCreditLimit, ZLogCall, ZPauseCollection } from "./interaction.ts";
import { getPanel } from "./panel.service.ts";
import { ZPanel } from "./panel.ts";
import { PANEL_FOLD_BUDGET_MS } from "./panel-rollup.service.ts";
import { ZTimeline } from "./timeline.ts";

const ZInteractionOut = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  kind: z.enum(["call", "note"]),
  body: z.string(),
  outcome: z.string().nullable(),
  promisedOn: z.string().nullable(),
  promisedCents: z.number().int().nullable(),
  operatorId: z.uuid().nullable(),
  createdAt: z.string(),
});

/** The operators' dashboard: the delinquency panel, the customer view and its actions. */
export function registerDashboardRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/dashboard/panel",
    tag: "Painel",
    summary:
      "Painel de inadimplência: vencidos, atrasos pequenos, faixas de atraso, recuperação por canal, acordos",
    permission: "read",
    response: ZPanel.extend(ZReplicaLag.shape),
    handler: async ({ tenantId }) => {
      const { tenant, today } = await tenantOf(api, tenantId);
      const panel = await getPanel(api.db, tenant, today, api.readDb, PANEL_FOLD_BUDGET_MS);
      return { ...panel, ...(await api.replicaLag()) };
    },
  });

  api.route({
    method: "GET",
    url: "/v1/customers/:id/overview",
    tag: "Painel",
    summary: "Visão do cliente: cadastro, contatos, selos, faturas com o valor de hoje, pausa e acordos",
    permission: "read",
    params: ZIdParams,
    handler: async (input) => {
      const { tenant, today } = await tenantOf(api, input.tenantId);
      const overview = await getCustomerOverview(api.db, tenant, input.params.id, today);
      await auditPersonalRead(api, input, "GET /v1/customers/:id/overview", input.params.id);
      return overview;
    },
  });

  api.route({
    method: "GET",
    url: "/v1/customers/:id/timeline",
    tag: "Painel",
    summary:
      "Linha do tempo do cliente: mensagens, situação, pagamentos, ligações, anotações, pausas, acordos",
    permission: "read",
    params: ZIdParams,
    query: ZPageQuery,
    response: ZTimeline,
    handler: async (input) => {
      const { tenantId, params, query } = input;
      const before = query.cursor ? decodeCursor(query.cursor, ["number", "string", "string"]) : null;
      const rows = await getTimelinePage(api.db, tenantId, params.id, {
        limit: query.limit + 1,
        ...(before
          ? { before: { atMicros: before[0] as number, kind: before[1] as string, id: before[2] as string } }
          : {}),
      });
      await auditPersonalRead(api, input, "GET /v1/customers/:id/timeline", params.id);
      return pageOf(
        rows,
        query.limit,
        (row) => ({ at: row.at.toISOString(), kind: row.kind, id: row.id, data: row.data }),
        (row) => [row.at_micros, row.kind, row.id],
      );
    },
  });

  api.route({
    method: "POST",
    url: "/v1/customers/:id/calls",
    tag: "Painel",
    summary: "Registra uma ligação (resultado e, se houver, promessa de pagamento com dia e valor)",
    permission: "write",
    params: ZIdParams,
    body: ZLogCall,
    response: ZInteractionOut,
    status: 201,
    handler: async ({ tenantId, params, body, principal, request }) => {
      const { tenant } = await tenantOf(api, tenantId);
      const call = await logCall(api.db, tenant, params.id, body, operatorOf(principal), api.context.clock);
      request.auditResource = { type: "customer", id: params.id };
      return call;
    },
  });

  api.route({
    method: "POST",
    url: "/v1/customers/:id/notes",
    tag: "Painel",
    summary: "Adiciona uma anotação ao cliente",
    permission: "write",
    params: ZIdParams,
    body: ZAddNote,
    response: ZInteractionOut,
    status: 201,
    handler: async ({ tenantId, params, body, principal, request }) => {
      const note = await addNote(api.db, tenantId, params.id, body, operatorOf(principal), api.context.clock);
      request.auditResource = { type: "customer", id: params.id };
      return note;
    },
  });

  api.route({
    method: "POST",
    url: "/v1/customers/:id/pause",
    tag: "Painel",
    summary: "Pausa a cobrança do cliente até uma data, com motivo (a régua não envia nada até lá)",
    permission: "write",
    params: ZIdParams,
    body: ZPauseCollection,
    status: 201,
    response: z.object({
      id: z.uuid(),
      customerId: z.uuid(),
      until: z.string(),
      reason: z.string(),
      skippedActions: z.number().int(),
    }),
    handler: async ({ tenantId, params, body, request }) => {
      const { tenant } = await tenantOf(api, tenantId);
      const pause = await pauseCollection(api.db, tenant, params.id, body, api.context.clock);
      request.auditResource = { type: "customer", id: params.id };
      return pause;
    },
  });

  api.route({
    method: "DELETE",
    url: "/v1/customers/:id/pause",
    tag: "Painel",
    summary:
      "Encerra a pausa da cobrança do cliente antes da data (a régua volta a planejar na próxima execução)",
    permission: "write",
    params: ZIdParams,
    response: z.object({ customerId: z.uuid(), lifted: z.number().int() }),
    handler: async ({ tenantId, params, request }) => {
      const lifted = await liftPause(api.db, tenantId, params.id, api.context.clock);
      request.auditResource = { type: "customer", id: params.id };
      return lifted;
    },
  });

  api.route({
    method: "PUT",
    url: "/v1/customers/:id/credit-limit",
    tag: "Painel",
    summary: "Define (ou remove, com null) o limite de crédito do cliente, em centavos",
    permission: "write",
    params: ZIdParams,
    body: ZCreditLimit,
    response: z.object({ customerId: z.uuid(), creditLimitCents: z.number().int().nullable() }),
    handler: async ({ tenantId, params, body, request }) => {
      const limit = await setCreditLimit(api.db, tenantId, params.id, body, api.context.clock);
      request.auditResource = { type: "customer", id: params.id };
      return limit;
    },
  });
}

function operatorOf(principal: { kind: string; actorId: string }): string | null {
  return principal.kind === "operator" ? principal.actorId : null;
}
