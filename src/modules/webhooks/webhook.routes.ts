import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { decodeCursor, pageOf, ZPageQuery } from "../../http/pagination.ts";
import { ZIdParams } from "../../http/schemas.ts";
import {
  createEndpoint,
  getDelivery,
  listDeliveries,
  listEndpoints,
  redeliver,
  removeEndpoint,
} from "./webhook.service.ts";
import { ZCreateWebhookEndpoint } from "./webhook.ts";

/** Outbound webhooks: endpoints, the delivery log and manual redelivery (docs/webhooks.md). */
export function registerWebhookRoutes(api: Api): void {
  api.route({
    method: "POST",
    url: "/v1/webhooks/endpoints",
    tag: "Webhooks",
    summary: "Cadastra um endpoint; o segredo de assinatura aparece só nesta resposta",
    permission: "webhooks",
    body: ZCreateWebhookEndpoint,
    status: 201,
    handler: async ({ tenantId, body, request }) => {
      const created = await createEndpoint(api.db, tenantId, body);
      request.auditResource = { type: "webhook_endpoint", id: created.endpoint.id };
      return { ...created.endpoint, secret: created.secret };
    },
  });

  api.route({
    method: "GET",
    url: "/v1/webhooks/endpoints",
    tag: "Webhooks",
    summary: "Endpoints do credor (sem os segredos)",
    permission: "read",
    handler: async ({ tenantId }) => ({ data: await listEndpoints(api.db, tenantId) }),
  });

  api.route({
    method: "DELETE",
    url: "/v1/webhooks/endpoints/:id",
    tag: "Webhooks",
    summary: "Remove um endpoint (e seu registro de entregas)",
    permission: "webhooks",
    params: ZIdParams,
    status: 204,
    handler: async ({ tenantId, params }) => {
      await removeEndpoint(api.db, tenantId, params.id);
      return undefined;
    },
  });

  api.route({
    method: "GET",
    url: "/v1/webhooks/deliveries",
    tag: "Webhooks",
    summary: "Registro de entregas, da mais recente à mais antiga",
    permission: "read",
    query: ZPageQuery.extend({
      endpointId: z.uuid().optional(),
      status: z.enum(["pending", "delivered", "failed"]).optional(),
    }),
    handler: async ({ tenantId, query }) => {
      const beforeSeq = query.cursor ? Number(decodeCursor(query.cursor, ["number"])[0]) : undefined;
      const rows = await listDeliveries(api.db, tenantId, {
        limit: query.limit + 1,
        ...(beforeSeq !== undefined ? { beforeSeq } : {}),
        ...(query.endpointId ? { endpointId: query.endpointId } : {}),
        ...(query.status ? { status: query.status } : {}),
      });
      return pageOf(
        rows,
        query.limit,
        (row) => row.delivery,
        (row) => [row.seq],
      );
    },
  });

  api.route({
    method: "GET",
    url: "/v1/webhooks/deliveries/:id",
    tag: "Webhooks",
    summary: "Uma entrega com suas tentativas (códigos de resposta, erros, duração)",
    permission: "read",
    params: ZIdParams,
    handler: async ({ tenantId, params }) => getDelivery(api.db, tenantId, params.id),
  });

  api.route({
    method: "POST",
    url: "/v1/webhooks/deliveries/:id/redeliver",
    tag: "Webhooks",
    summary: "Reenvia uma entrega agora (mais uma tentativa)",
    permission: "webhooks",
    params: ZIdParams,
    status: 202,
    handler: async ({ tenantId, params }) => redeliver(api.db, tenantId, params.id, api.context.clock.now()),
  });
}
