import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { ZIdParams } from "../../http/schemas.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import { AppError } from "../../shared/errors.ts";
import { getRemittanceContent, importReturnFile, listBankFiles } from "./bank-file.service.ts";
import { linesOfText } from "./line-source.ts";
import { createRemittance } from "./remittance.service.ts";

/** CNAB files: return files in, remittances out (docs/bank-files.md). */
export function registerBankFileRoutes(api: Api): void {
  api.route({
    method: "POST",
    url: "/v1/bank-files",
    tag: "Arquivos bancários",
    summary: "Importa um arquivo de retorno CNAB 240/400 (corpo: o arquivo, Content-Type text/plain)",
    description:
      "Pagamentos quitam as faturas (CC art. 354), confirmações e rejeições marcam o boleto, baixas o fecham. " +
      "O mesmo arquivo de novo não muda nada (alreadyImported=true). Pagamentos que não casam (boleto desconhecido, " +
      "valor diferente, fatura já paga) vão para a fila de conciliação (/v1/reconciliation). ?dryRun=true só relata.",
    permission: "write",
    query: z.object({ dryRun: z.enum(["true", "false"]).default("false") }),
    consumes: "text/plain",
    handler: async ({ tenantId, query, request }) => {
      if (typeof request.body !== "string" || request.body.trim() === "") {
        throw new AppError(
          "validation_failed",
          "file: envie o arquivo de retorno no corpo, com Content-Type: text/plain",
          "file",
        );
      }
      const { tenant } = await tenantOf(api, tenantId);
      const report = await importReturnFile(api.db, tenant, linesOfText(request.body), {
        dryRun: query.dryRun === "true",
        clock: api.context.clock,
      });
      if (report.fileId) request.auditResource = { type: "bank_file", id: report.fileId };
      return report;
    },
  });

  api.route({
    method: "GET",
    url: "/v1/bank-files",
    tag: "Arquivos bancários",
    summary: "Os últimos 100 arquivos bancários (remessas e retornos)",
    permission: "read",
    handler: async ({ tenantId }) => ({ data: await listBankFiles(api.db, tenantId) }),
  });

  api.route({
    method: "POST",
    url: "/v1/bank-accounts/:id/remittances",
    tag: "Arquivos bancários",
    summary: "Gera a remessa do dia da conta: registros, baixas, alterações de vencimento e protestos",
    description:
      "Responde com o relatório e o arquivo (content, linhas CRLF). Sem nada a enviar, fileId é null e nenhum " +
      "número de sequência é consumido. Baixe de novo em GET /v1/bank-files/{id}/content.",
    permission: "write",
    params: ZIdParams,
    status: 201,
    handler: async ({ tenantId, params, request }) => {
      const { tenant } = await tenantOf(api, tenantId);
      const report = await createRemittance(api.db, tenant, params.id, api.context.clock);
      if (report.fileId) request.auditResource = { type: "bank_file", id: report.fileId };
      return report;
    },
  });

  api.route({
    method: "GET",
    url: "/v1/bank-files/:id/content",
    tag: "Arquivos bancários",
    summary: "O arquivo de uma remessa, para enviar ao banco",
    permission: "read",
    params: ZIdParams,
    produces: "text/plain",
    handler: async ({ tenantId, params, reply }) => {
      const content = await getRemittanceContent(api.db, tenantId, params.id);
      return reply.type("text/plain; charset=utf-8").send(content);
    },
  });
}
