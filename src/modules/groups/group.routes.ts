import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { decodeCursor, pageOf, ZPageQuery } from "../../http/pagination.ts";
import { ZIdParams } from "../../http/schemas.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import { actorOf } from "../tickets/ticket.routes.ts";
import {
  addMember,
  addMembers,
  changeGroup,
  changeGroupSettings,
  createGroup,
  getGroup,
  getGroupSettings,
  listGroups,
  listMembers,
  listRemovalsDue,
  removeGroup,
  removeGroupMembers,
} from "./group.service.ts";
import { ZChangeGroup, ZCreateGroup, ZCustomerIds, ZGroupSettings } from "./group.ts";
import { exportGroupDebts, exportRemovalsDue } from "./group-export.ts";

const ZMemberParams = z.object({ id: z.uuid(), customerId: z.uuid() });
const ZFormat = z.object({ format: z.enum(["json", "csv"]).default("json") });

/** Groups of customers with a purpose (protest, bureau listing, agency), members, exports. */
export function registerGroupRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/groups",
    tag: "Grupos",
    summary: "Grupos de clientes com o número de membros e de baixas de negativação pendentes",
    permission: "read",
    handler: async ({ tenantId }) => ({ data: await listGroups(api.db, tenantId) }),
  });

  api.route({
    method: "POST",
    url: "/v1/groups",
    tag: "Grupos",
    summary:
      "Cria um grupo: general, protest (protesto), bureau (negativação) ou agency (cobrança extrajudicial)",
    permission: "write",
    body: ZCreateGroup,
    status: 201,
    handler: async ({ tenantId, body, request }) => {
      const group = await createGroup(api.db, tenantId, body);
      request.auditResource = { type: "group", id: group.id };
      return group;
    },
  });

  api.route({
    method: "GET",
    url: "/v1/groups/settings",
    tag: "Grupos",
    summary: "Regras dos grupos: dias de espera entre a carta de aviso e a negativação (padrão 10)",
    permission: "read",
    handler: async ({ tenantId }) => getGroupSettings(api.db, tenantId),
  });

  api.route({
    method: "PUT",
    url: "/v1/groups/settings",
    tag: "Grupos",
    summary: "Muda os dias de espera entre a carta de aviso e a negativação",
    permission: "admin",
    body: ZGroupSettings,
    handler: async ({ tenantId, body }) => changeGroupSettings(api.db, tenantId, body),
  });

  api.route({
    method: "GET",
    url: "/v1/groups/removals-due",
    tag: "Grupos",
    summary: "Baixas de negativação a pedir: clientes negativados que pagaram, com o prazo (5 dias úteis)",
    description: "format=csv devolve a mesma lista como planilha (separador ';', vírgula decimal).",
    permission: "read",
    query: ZFormat,
    produces: "text/csv",
    handler: async ({ tenantId, query, reply }) => {
      const { tenant } = await tenantOf(api, tenantId);
      if (query.format === "csv") {
        const file = await exportRemovalsDue(api.readDb, tenant, api.context.clock);
        return reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="${file.filename}"`)
          .send(file.csv);
      }
      return { data: await listRemovalsDue(api.db, tenant, api.context.clock) };
    },
  });

  api.route({
    method: "GET",
    url: "/v1/groups/:id",
    tag: "Grupos",
    summary: "Um grupo",
    permission: "read",
    params: ZIdParams,
    handler: async ({ tenantId, params }) => getGroup(api.db, tenantId, params.id),
  });

  api.route({
    method: "PATCH",
    url: "/v1/groups/:id",
    tag: "Grupos",
    summary: "Renomeia um grupo ou muda sua descrição (a finalidade não muda)",
    permission: "write",
    params: ZIdParams,
    body: ZChangeGroup,
    handler: async ({ tenantId, params, body, request }) => {
      request.auditResource = { type: "group", id: params.id };
      return changeGroup(api.db, tenantId, params.id, body);
    },
  });

  api.route({
    method: "DELETE",
    url: "/v1/groups/:id",
    tag: "Grupos",
    summary: "Exclui um grupo sem clientes",
    description:
      "Um grupo com clientes é recusado (409). Um grupo de negativação que já teve clientes guarda o " +
      "registro de avisos, inclusões e baixas e não pode ser excluído.",
    permission: "admin",
    params: ZIdParams,
    status: 204,
    handler: async ({ tenantId, params, request }) => {
      request.auditResource = { type: "group", id: params.id };
      await removeGroup(api.db, tenantId, params.id);
      return undefined;
    },
  });

  api.route({
    method: "GET",
    url: "/v1/groups/:id/members",
    tag: "Grupos",
    summary: "Membros atuais do grupo com o valor vencido de hoje",
    permission: "read",
    params: ZIdParams,
    query: ZPageQuery,
    handler: async ({ tenantId, params, query }) => {
      const { tenant } = await tenantOf(api, tenantId);
      const after = query.cursor ? String(decodeCursor(query.cursor, ["string"])[0]) : undefined;
      const rows = await listMembers(
        api.db,
        tenant,
        params.id,
        { limit: query.limit + 1, ...(after !== undefined ? { afterExternalId: after } : {}) },
        api.context.clock,
      );
      return pageOf(
        rows,
        query.limit,
        ({ cursorKey: _, ...member }) => member,
        (row) => [row.cursorKey],
      );
    },
  });

  api.route({
    method: "POST",
    url: "/v1/groups/:id/members",
    tag: "Grupos",
    summary: "Adiciona clientes ao grupo (em lote); informa os recusados e por quê",
    description:
      "Num grupo de negativação só entra quem recebeu carta de aviso depois do vencimento da dívida e há pelo menos os dias de espera configurados; os demais voltam em `refused` com o motivo.",
    permission: "write",
    params: ZIdParams,
    body: ZCustomerIds,
    handler: async ({ tenantId, params, body, principal, request }) => {
      const { tenant } = await tenantOf(api, tenantId);
      request.auditResource = { type: "group", id: params.id };
      return addMembers(api.db, tenant, params.id, body.customerIds, actorOf(principal), api.context.clock);
    },
  });

  api.route({
    method: "POST",
    url: "/v1/groups/:id/members/remove",
    tag: "Grupos",
    summary: "Retira clientes do grupo (em lote); num grupo de negativação, é o pedido de baixa",
    permission: "write",
    params: ZIdParams,
    body: ZCustomerIds,
    handler: async ({ tenantId, params, body, request }) => {
      request.auditResource = { type: "group", id: params.id };
      return removeGroupMembers(api.db, tenantId, params.id, body.customerIds, api.context.clock);
    },
  });

  api.route({
    method: "PUT",
    url: "/v1/groups/:id/members/:customerId",
    tag: "Grupos",
    summary: "Adiciona um cliente ao grupo; recusa com o motivo (409) quando as regras do grupo não permitem",
    permission: "write",
    params: ZMemberParams,
    handler: async ({ tenantId, params, principal, request }) => {
      const { tenant } = await tenantOf(api, tenantId);
      request.auditResource = { type: "group", id: params.id };
      return addMember(api.db, tenant, params.id, params.customerId, actorOf(principal), api.context.clock);
    },
  });

  api.route({
    method: "DELETE",
    url: "/v1/groups/:id/members/:customerId",
    tag: "Grupos",
    summary: "Retira um cliente do grupo; num grupo de negativação, é o pedido de baixa",
    permission: "write",
    params: ZMemberParams,
    handler: async ({ tenantId, params, request }) => {
      request.auditResource = { type: "group", id: params.id };
      return removeGroupMembers(api.db, tenantId, params.id, [params.customerId], api.context.clock);
    },
  });

  api.route({
    method: "GET",
    url: "/v1/groups/:id/export",
    tag: "Grupos",
    summary: "Planilha (CSV) das dívidas dos membros com os valores do dia: principal, multa, juros e total",
    description: "Uma linha por fatura vencida em aberto; separador ';', vírgula decimal, datas dd/mm/aaaa.",
    permission: "read",
    params: ZIdParams,
    produces: "text/csv",
    handler: async ({ tenantId, params, reply }) => {
      const { tenant } = await tenantOf(api, tenantId);
      const file = await exportGroupDebts(api.readDb, tenant, params.id, api.context.clock);
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${file.filename}"`)
        .send(file.csv);
    },
  });
}
