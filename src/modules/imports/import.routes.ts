import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { ZIdParams } from "../../http/schemas.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import { AppError } from "../../shared/errors.ts";
import { IMPORT_KINDS } from "./import.ts";
import { getImportJob, startImportJob } from "./import-job.service.ts";

/** CSV imports over HTTP: the same formats and report as `regua import` (docs/import.md). */
export function registerImportRoutes(api: Api): void {
  api.route({
    method: "POST",
    url: "/v1/imports",
    tag: "Importações",
    summary: "Envia um CSV (corpo text/csv) de clientes, faturas ou pagamentos (?kind=)",
    description:
      "Responde 202 com a importação em andamento; acompanhe em GET /v1/imports/{id} (progresso e relatório por linha). " +
      "Com ?wait=true responde só no fim, com o relatório. ?dryRun=true valida e desfaz tudo.",
    permission: "write",
    query: z.object({
      kind: z.enum(IMPORT_KINDS as ["customers", "invoices", "payments"]),
      dryRun: z.enum(["true", "false"]).default("false"),
      wait: z.enum(["true", "false"]).default("false"),
    }),
    consumes: "text/csv",
    status: 202,
    handler: async ({ tenantId, query, request, reply }) => {
      if (typeof request.body !== "string" || request.body.trim() === "") {
        throw new AppError(
          "validation_failed",
          "Envie o CSV no corpo, com Content-Type: text/csv (a primeira linha é o cabeçalho)",
          "body",
        );
      }
      const { tenant, today } = await tenantOf(api, tenantId);
      const { job, finished } = await startImportJob(api.db, tenant, query.kind, request.body, {
        today,
        dryRun: query.dryRun === "true",
        now: () => api.context.clock.now(),
      });
      request.auditResource = { type: "import", id: job.id };
      if (query.wait === "true") {
        const done = await finished;
        if (done.status === "failed")
          throw new AppError("validation_failed", done.error ?? "A importação falhou", "body");
        reply.status(200);
        return done;
      }
      finished.catch(() => {});
      reply.header("location", `/v1/imports/${job.id}`);
      return job;
    },
  });

  api.route({
    method: "GET",
    url: "/v1/imports/:id",
    tag: "Importações",
    summary: "Progresso e relatório de uma importação",
    permission: "read",
    params: ZIdParams,
    handler: async ({ tenantId, params }) => getImportJob(api.db, tenantId, params.id),
  });
}
