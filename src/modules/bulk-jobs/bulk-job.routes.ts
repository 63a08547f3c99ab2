import type { Api } from "../../http/api.ts";
import {
  bulkJobFile,
  getBulkJob,
  startBatchSendJob,
  startLettersJob,
  startReportExportJob,
} from "./bulk-job.service.ts";
import { ZBatchSendJob, ZBulkJobParams, ZBulkJobView, ZLettersJob, ZReportExportJob } from "./bulk-job.ts";

const ASYNC_NOTE =
  "Responde 202 com o trabalho na fila; o worker o executa em partes e GET /v1/jobs/{id} mostra o progresso (done de total), os itens não processados e, ao fim, o arquivo. Envie um Idempotency-Key por clique: repetir o pedido com a mesma chave devolve o mesmo trabalho em vez de criar outro.";

/** Long work as background jobs with progress: letters, batch sends, report exports. */
export function registerBulkJobRoutes(api: Api): void {
  api.route({
    method: "POST",
    url: "/v1/jobs/letters",
    tag: "Trabalhos",
    summary: "Cartas de cobrança dos clientes escolhidos, em segundo plano, num só PDF ao fim",
    description: `A variante em segundo plano de POST /v1/letters (mesmas cartas, registradas como enviadas). ${ASYNC_NOTE}`,
    permission: "write",
    body: ZLettersJob,
    response: ZBulkJobView,
    status: 202,
    handler: async ({ tenantId, principal, body, request }) => {
      const job = await startLettersJob(
        api.db,
        { tenantId, actorId: principal.actorId },
        body,
        api.context.clock,
      );
      request.auditResource = { type: "bulk_job", id: job.id };
      return job;
    },
  });

  api.route({
    method: "POST",
    url: "/v1/jobs/batch-sends",
    tag: "Trabalhos",
    summary: "Envio avulso para os clientes escolhidos, em segundo plano",
    description: `A variante em segundo plano de POST /v1/batch-sends com dryRun=false (conte antes com dryRun=true). ${ASYNC_NOTE}`,
    permission: "write",
    body: ZBatchSendJob,
    response: ZBulkJobView,
    status: 202,
    handler: async ({ tenantId, principal, body, request }) => {
      const job = await startBatchSendJob(
        api.db,
        { tenantId, actorId: principal.actorId },
        body,
        api.context.clock,
      );
      request.auditResource = { type: "bulk_job", id: job.id };
      return job;
    },
  });

  api.route({
    method: "POST",
    url: "/v1/jobs/report-exports",
    tag: "Trabalhos",
    summary: "Um relatório em CSV ou XLSX, gerado em segundo plano",
    description: `Os mesmos filtros de GET /v1/reports/{name} (name, from, to, group, tag, days, groupBy) e format csv ou xlsx (padrão xlsx). ${ASYNC_NOTE}`,
    permission: "read",
    body: ZReportExportJob,
    response: ZBulkJobView,
    status: 202,
    handler: async ({ tenantId, principal, request }) => {
      // stored as sent: the worker validates it again with the same schema
      const job = await startReportExportJob(
        api.db,
        { tenantId, actorId: principal.actorId },
        request.body,
        api.context.clock,
      );
      request.auditResource = { type: "bulk_job", id: job.id };
      return job;
    },
  });

  api.route({
    method: "GET",
    url: "/v1/jobs/:id",
    tag: "Trabalhos",
    summary:
      "Um trabalho em segundo plano: estado, progresso, itens não processados e o arquivo quando pronto",
    permission: "read",
    params: ZBulkJobParams,
    response: ZBulkJobView,
    handler: async ({ tenantId, params }) => getBulkJob(api.db, tenantId, params.id),
  });

  api.route({
    method: "GET",
    url: "/v1/jobs/:id/file",
    tag: "Trabalhos",
    summary: "O arquivo de um trabalho concluído (o PDF das cartas, o CSV ou XLSX do relatório)",
    description: "409 enquanto o trabalho não terminou.",
    permission: "read",
    params: ZBulkJobParams,
    produces: "application/pdf, text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    handler: async ({ tenantId, params, reply }) => {
      const file = await bulkJobFile(api.db, tenantId, params.id);
      return reply
        .type(file.type)
        .header("content-disposition", `attachment; filename="${file.name}"`)
        .send(file.content);
    },
  });
}
