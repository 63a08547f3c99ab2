import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { forgetApiKeys } from "../../http/auth.ts";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-key.service.ts";
import { ZCreateApiKey } from "./tenant.ts";

const ZApiKeyOut = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scope: z.enum(["read", "write"]),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

/** Managing API keys is for admins signed in to the dashboard: no key can mint another key. */
export function registerApiKeyRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/api-keys",
    tag: "Chaves de API",
    summary: "Chaves de API do credor (sem os segredos)",
    permission: "admin",
    response: z.object({ data: z.array(ZApiKeyOut) }),
    handler: async ({ tenantId }) => ({ data: await listApiKeys(api.db, tenantId) }),
  });

  api.route({
    method: "POST",
    url: "/v1/api-keys",
    tag: "Chaves de API",
    summary: "Cria uma chave; o segredo aparece só nesta resposta",
    permission: "admin",
    body: z.strictObject(ZCreateApiKey.shape),
    response: z.object({ apiKey: ZApiKeyOut, key: z.string() }),
    status: 201,
    handler: async ({ tenantId, body, request }) => {
      const created = await createApiKey(api.db, tenantId, body);
      request.auditResource = { type: "api_key", id: created.apiKey.id };
      return { apiKey: created.apiKey, key: created.plaintext };
    },
  });

  api.route({
    method: "DELETE",
    url: "/v1/api-keys/:id",
    tag: "Chaves de API",
    summary: "Revoga uma chave (pelo id)",
    permission: "admin",
    params: z.object({ id: z.uuid() }),
    response: ZApiKeyOut,
    handler: async ({ tenantId, params }) => {
      const revoked = await revokeApiKey(api.db, tenantId, params.id);
      forgetApiKeys();
      return revoked;
    },
  });
}
