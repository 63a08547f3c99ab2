import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { decodeCursor, pageOf, ZPageQuery } from "../../http/pagination.ts";
import type { Principal } from "../../http/permissions.ts";
import { ZIdParams } from "../../http/schemas.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import { validationError } from "../../shared/errors.ts";
import { findAssignableOperators } from "./ticket.repository.ts";
import {
  changeTicket,
  commentOnTicket,
  createTicket,
  createTickets,
  getTicket,
  listTickets,
  ticketFromRow,
} from "./ticket.service.ts";
import { type Actor, ZAssigneeFilter, ZCreateTicket, ZTicketStatus, ZUpdateTicket } from "./ticket.ts";

export function actorOf(principal: Principal): Actor {
  return { kind: principal.kind, id: principal.actorId };
}

const ZTicketListQuery = ZPageQuery.extend({
  status: z.union([ZTicketStatus, z.literal("active")]).optional(),
  assignee: ZAssigneeFilter.optional(),
  customerId: z.uuid({ error: "id de cliente inválido" }).optional(),
});

/** Internal tickets: open, list ("my tickets": assignee=me), read, change, comment. */
export function registerTicketRoutes(api: Api): void {
  api.route({
    method: "POST",
    url: "/v1/tickets",
    tag: "Tickets",
    summary: "Abre um ticket interno (sobre um cliente ou não), com responsável e prazo",
    permission: "write",
    body: ZCreateTicket,
    status: 201,
    handler: async ({ tenantId, body, principal, request }) => {
      const { today } = await tenantOf(api, tenantId);
      const ticket = await createTicket(api.db, tenantId, body, actorOf(principal), today);
      request.auditResource = { type: "ticket", id: ticket.id };
      return ticket;
    },
  });

  api.route({
    method: "POST",
    url: "/v1/tickets/bulk",
    tag: "Tickets",
    summary: "Abre um ticket por cliente escolhido (ação em lote da lista de clientes)",
    permission: "write",
    body: ZCreateTicket.omit({ customerId: true }).extend({
      customerIds: z
        .array(z.uuid({ error: "id de cliente inválido" }))
        .min(1)
        .max(1000),
    }),
    status: 201,
    handler: async ({ tenantId, body, principal }) => {
      const { customerIds, ...ticket } = body;
      const { today } = await tenantOf(api, tenantId);
      const tickets = await createTickets(
        api.db,
        tenantId,
        ticket,
        [...new Set(customerIds)],
        actorOf(principal),
        today,
      );
      return { created: tickets.length, data: tickets };
    },
  });

  api.route({
    method: "GET",
    url: "/v1/tickets",
    tag: "Tickets",
    summary: "Lista tickets, mais novos primeiro (filtros: status, assignee=me|none|id, customerId)",
    description:
      "status=active traz os que não estão concluídos; assignee=me, os do operador da sessão. " +
      "today é o dia de hoje no fuso do credor (um ticket aberto com dueOn anterior está atrasado).",
    permission: "read",
    query: ZTicketListQuery,
    handler: async ({ tenantId, query, principal }) => {
      let assigneeId: string | null | undefined;
      if (query.assignee === "me") {
        if (principal.kind !== "operator") {
          throw validationError(
            "assignee",
            "assignee=me vale só para operadores; uma chave de API deve informar o id",
          );
        }
        assigneeId = principal.actorId;
      } else if (query.assignee === "none") assigneeId = null;
      else assigneeId = query.assignee;
      const after = query.cursor ? decodeCursor(query.cursor, ["string", "string"]) : undefined;
      const rows = await listTickets(
        api.db,
        tenantId,
        {
          ...(query.status ? { status: query.status } : {}),
          ...(assigneeId !== undefined ? { assigneeId } : {}),
          ...(query.customerId ? { customerId: query.customerId } : {}),
        },
        {
          limit: query.limit + 1,
          ...(after ? { after: { createdAt: String(after[0]), id: String(after[1]) } } : {}),
        },
      );
      // the tenant's calendar day: a due date is late from the tenant's midnight, not the browser's UTC one
      const { today } = await tenantOf(api, tenantId);
      return {
        ...pageOf(rows, query.limit, ticketFromRow, (row) => [row.created_at.toISOString(), row.id]),
        today,
      };
    },
  });

  api.route({
    method: "GET",
    url: "/v1/tickets/assignees",
    tag: "Tickets",
    summary: "Operadores que podem receber tickets (administradores e analistas ativos)",
    permission: "read",
    handler: async ({ tenantId }) => ({ data: await findAssignableOperators(api.db, tenantId) }),
  });

  api.route({
    method: "GET",
    url: "/v1/tickets/:id",
    tag: "Tickets",
    summary: "Um ticket com seus comentários",
    permission: "read",
    params: ZIdParams,
    handler: async ({ tenantId, params }) => getTicket(api.db, tenantId, params.id),
  });

  api.route({
    method: "PATCH",
    url: "/v1/tickets/:id",
    tag: "Tickets",
    summary: "Muda status (open, in_progress, done), responsável, prazo, título ou descrição",
    permission: "write",
    params: ZIdParams,
    body: ZUpdateTicket,
    handler: async ({ tenantId, params, body, request }) => {
      request.auditResource = { type: "ticket", id: params.id };
      const { today } = await tenantOf(api, tenantId);
      return changeTicket(api.db, tenantId, params.id, body, api.context.clock, today);
    },
  });

  api.route({
    method: "POST",
    url: "/v1/tickets/:id/comments",
    tag: "Tickets",
    summary: "Comenta um ticket",
    permission: "write",
    params: ZIdParams,
    body: z.strictObject({ body: z.string().max(10_000) }),
    status: 201,
    handler: async ({ tenantId, params, body, principal, request }) => {
      request.auditResource = { type: "ticket", id: params.id };
      return commentOnTicket(api.db, tenantId, params.id, body, actorOf(principal));
    },
  });
}
