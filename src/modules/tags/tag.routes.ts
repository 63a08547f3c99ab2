import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { ZIdParams } from "../../http/schemas.ts";
import type { Tagged } from "./tag.repository.ts";
import { addTags, listTags, removeTag } from "./tag.service.ts";
import { ZAddTags } from "./tag.ts";

const ZTagParams = ZIdParams.extend({ tag: z.string().min(1).max(300) });
const ZTags = z.object({ tags: z.array(z.string()) });

/** Tags on customers and invoices, and the tenant's tags with their counts. */
export function registerTagRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/tags",
    tag: "Tags",
    summary: "As tags do credor, com quantos clientes e faturas têm cada uma",
    permission: "read",
    response: z.object({
      data: z.array(z.object({ tag: z.string(), customers: z.number(), invoices: z.number() })),
    }),
    handler: async ({ tenantId }) => ({ data: await listTags(api.db, tenantId) }),
  });

  const targets: { path: string; table: Tagged; label: string; resource: string }[] = [
    { path: "customers", table: "customers", label: "do cliente", resource: "customer" },
    { path: "invoices", table: "invoices", label: "da fatura", resource: "invoice" },
  ];
  for (const target of targets) {
    api.route({
      method: "POST",
      url: `/v1/${target.path}/:id/tags`,
      tag: "Tags",
      summary: `Acrescenta tags ${target.label} (as que já tem ficam)`,
      permission: "write",
      params: ZIdParams,
      body: ZAddTags,
      response: ZTags,
      handler: async ({ tenantId, params, body, request }) => {
        request.auditResource = { type: target.resource, id: params.id };
        return addTags(api.db, tenantId, target.table, params.id, body);
      },
    });

    api.route({
      method: "DELETE",
      url: `/v1/${target.path}/:id/tags/:tag`,
      tag: "Tags",
      summary: `Remove uma tag ${target.label}`,
      permission: "write",
      params: ZTagParams,
      response: ZTags,
      handler: async ({ tenantId, params, request }) => {
        request.auditResource = { type: target.resource, id: params.id };
        return removeTag(api.db, tenantId, target.table, params.id, params.tag);
      },
    });
  }
}
