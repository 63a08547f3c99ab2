import type { Api } from "../../http/api.ts";
import { decodeCursor, pageOf, ZPageQuery } from "../../http/pagination.ts";
import { ZIdParams } from "../../http/schemas.ts";
import { auditPersonalRead } from "../../http/tenant-context.ts";
import { messageHistory, messageView } from "./message-history.service.ts";

/** Messages per customer and per invoice: state, attempts, provider, cost, what was said; cursor pages. */
export function registerMessageHistoryRoutes(api: Api): void {
  for (const target of [
    { path: "customers", name: "do cliente", tag: "Clientes" },
    { path: "invoices", name: "da fatura", tag: "Faturas" },
  ] as const) {
    api.route({
      method: "GET",
      url: `/v1/${target.path}/:id/messages`,
      tag: target.tag,
      summary: `Mensagens ${target.name}, da mais recente à mais antiga (leitura auditada quando feita por operador)`,
      description:
        "Estado (queued, sending, sent, delivered, failed, bounced, skipped) com o motivo, tentativas, canal, " +
        "provedor, custo em centavos, assunto e texto renderizados e os instantes de envio, entrega e clique.",
      permission: "read",
      params: ZIdParams,
      query: ZPageQuery,
      handler: async (input) => {
        const { tenantId, params, query } = input;
        const before = query.cursor ? decodeCursor(query.cursor, ["string", "string"]) : undefined;
        const history = await messageHistory(api.db, tenantId, {
          subject: target.path === "customers" ? { customerId: params.id } : { invoiceId: params.id },
          limit: query.limit + 1,
          ...(before ? { before: { createdAt: String(before[0]), id: String(before[1]) } } : {}),
        });
        await auditPersonalRead(api, input, `GET /v1/${target.path}/:id/messages`, history.customerId);
        return pageOf(
          history.rows,
          query.limit,
          (row) => messageView(row),
          (row) => [row.cursor_at, row.id],
        );
      },
    });
  }
}
