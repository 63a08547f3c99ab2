import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { ZDate } from "../../http/schemas.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import { AppError } from "../../shared/errors.ts";
import { previewActions } from "./planner.ts";

/** What the régua would do, dated, without writing anything (the planner's own query). */
export function registerActionRoutes(api: Api): void {
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
}
