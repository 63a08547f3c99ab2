import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import { sendBatch, ZBatchSend, ZCustomerIds } from "./batch-send.ts";
import { issueLetters } from "./bulk-letters.service.ts";

/** "Send now" outside the régua, and letters for a selection as one PDF. */
export function registerBatchSendRoutes(api: Api): void {
  api.route({
    method: "POST",
    url: "/v1/batch-sends",
    tag: "Mensagens",
    summary:
      "Envio avulso agora: um modelo para os clientes com faturas no estado escolhido (ou os escolhidos)",
    description:
      "Com dryRun=true só conta (clientes, faturas, alcançáveis no canal, valor) e nada grava; com dryRun=false planeja as ações dentro do horário legal de contato de cada devedor e o despachante as envia.",
    permission: "write",
    body: ZBatchSend,
    handler: async ({ tenantId, body, request }) => {
      const { tenant } = await tenantOf(api, tenantId);
      const result = await sendBatch(
        api.db,
        tenant,
        {
          template: body.template,
          filter: body.filter,
          tag: body.tag ?? null,
          customerIds: body.customerIds ?? null,
          dryRun: body.dryRun,
        },
        api.context.clock,
      );
      if (result.batchId) request.auditResource = { type: "batch_send", id: result.batchId };
      return result;
    },
  });

  api.route({
    method: "POST",
    url: "/v1/letters",
    tag: "Mensagens",
    summary: "Gera agora as cartas de cobrança dos clientes escolhidos, num só PDF para imprimir",
    description:
      "Uma carta por cliente com as faturas vencidas e valores do dia; cada uma fica registrada como carta enviada (o aviso por escrito que a negativação exige).",
    permission: "write",
    body: z.strictObject({
      customerIds: ZCustomerIds,
      template: z.string().trim().min(1).max(64).default("letter.d+15"),
    }),
    produces: "application/pdf",
    handler: async ({ tenantId, body, reply }) => {
      const { tenant } = await tenantOf(api, tenantId);
      const letters = await issueLetters(api.db, tenant, body, api.context.clock);
      return reply
        .type("application/pdf")
        .header("x-letter-count", String(letters.count))
        .header("content-disposition", 'attachment; filename="cartas.pdf"')
        .send(letters.pdf);
    },
  });
}
