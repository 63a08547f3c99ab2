import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { ZDate } from "../../http/schemas.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import { AppError } from "../../shared/errors.ts";
import { previewActions } from "../actions/planner.ts";
import { runDay } from "../actions/run-day.ts";
import { deletePolicy, getPolicy, listPolicies, savePolicy } from "./policy.service.ts";
import { ZPolicy } from "./policy.ts";

const ZNameParams = z.object({ name: z.string().min(1).max(100) });

/** Policies (réguas) with their steps, a preview of what they would do, and runs of a day. */
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

  api.route({
    method: "GET",
    url: "/v1/policies/preview",
    tag: "Réguas",
    summary: "O que a régua faria com uma fatura ou um cliente nos próximos dias (sem gravar nada)",
    permission: "read",
    query: z
      .object({
        invoiceId: z.uuid().optional(),
        customerId: z.uuid().optional(),
        from: ZDate.optional(),
        days: z.coerce.number().int().min(1).max(120).default(60),
      })
      .refine((query) => Boolean(query.invoiceId) !== Boolean(query.customerId), {
        error: "informe invoiceId ou customerId (um dos dois)",
        path: ["invoiceId"],
      }),
    handler: async ({ tenantId, query }) => {
      const { tenant, today } = await tenantOf(api, tenantId);
      const subject = query.invoiceId ? { invoiceId: query.invoiceId } : { customerId: query.customerId! };
      const owner = await api.db
        .selectFrom(query.invoiceId ? "invoices" : "customers")
        .select("id")
        .where("tenant_id", "=", tenantId)
        .where("id", "=", (query.invoiceId ?? query.customerId)!)
        .executeTakeFirst();
      if (!owner) throw new AppError("not_found", "Fatura ou cliente não encontrado");
      return { data: await previewActions(api.db, tenant, subject, query.from ?? today, query.days) };
    },
  });

  api.route({
    method: "POST",
    url: "/v1/runs",
    tag: "Réguas",
    summary: "Planeja um dia da régua à mão (ações e situação dos clientes); só admin",
    permission: "runs",
    body: z.strictObject({ date: ZDate }),
    handler: async ({ tenantId, body }) => {
      const { tenant } = await tenantOf(api, tenantId);
      return runDay(api.db, tenant, body.date, { now: api.context.clock.now() });
    },
  });
}
