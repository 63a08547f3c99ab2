import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { AppError } from "../../shared/errors.ts";
import { deletePolicy, getPolicy, listPolicies, savePolicy } from "./policy.service.ts";
import { ZPolicy } from "./policy.ts";

const ZNameParams = z.object({ name: z.string().min(1).max(100) });

/** Policies (réguas) with their steps (the preview is actions/action.routes.ts; runs, daily-run/). */
export function registerPolicyRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/policies",
    tag: "Réguas",
    summary: "Réguas do credor com seus passos",
    permission: "read",
    handler: async ({ tenantId }) => ({ data: await listPolicies(api.db, tenantId) }),
  });

  api.route({
    method: "GET",
    url: "/v1/policies/:name",
    tag: "Réguas",
    summary: "Uma régua pelo nome",
    permission: "read",
    params: ZNameParams,
    handler: async ({ tenantId, params }) => getPolicy(api.db, tenantId, params.name),
  });

  api.route({
    method: "PUT",
    url: "/v1/policies/:name",
    tag: "Réguas",
    summary: "Cria ou substitui uma régua (o nome do caminho vale)",
    permission: "policies",
    params: ZNameParams,
    body: ZPolicy,
    handler: async ({ tenantId, params, body }) => {
      if (body.name !== params.name) {
        throw new AppError(
          "validation_failed",
          `name: o corpo diz "${body.name}" e o caminho "${params.name}"`,
          "name",
        );
      }
      return savePolicy(api.db, tenantId, body);
    },
  });

  api.route({
    method: "DELETE",
    url: "/v1/policies/:name",
    tag: "Réguas",
    summary: "Remove uma régua",
    permission: "policies",
    params: ZNameParams,
    status: 204,
    handler: async ({ tenantId, params }) => {
      await deletePolicy(api.db, tenantId, params.name);
      return undefined;
    },
  });
}
