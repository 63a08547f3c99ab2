import { z } from "zod";
import { addDays } from "../../domain/dates.ts";
import { type Api, queueEvent } from "../../http/api.ts";
import { decodeCursor, pageOf, ZPageQuery } from "../../http/pagination.ts";
import { ZDate, ZIdParams } from "../../http/schemas.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import { AppError } from "../../shared/errors.ts";
import { collectionHistory } from "../customers/collection-history.ts";
import { changeInvoiceStatus, createInvoice, getInvoice, invoiceFromRow } from "./invoice.service.ts";
import { ZCreateInvoice } from "./invoice.ts";
import { findInvoicePage } from "./invoice-list.repository.ts";

const STATUSES = ["open", "paid", "cancelled", "renegotiated"] as const;

const ZInvoiceListQuery = ZPageQuery.extend({
  status: z
    .string()
    .transform((text) => text.split(",").map((part) => part.trim()))
    .pipe(
      z.array(
        z.enum(STATUSES, {
          error: "status deve ser open, paid, cancelled ou renegotiated (vários separados por vírgula)",
        }),
      ),
    )
    .optional()
    .describe("um ou mais de open, paid, cancelled, renegotiated, separados por vírgula"),
  daysOverdueMin: z.coerce
    .number()
    .int()
    .min(0)
    .max(36500)
    .optional()
    .describe("dias de atraso (corridos) a partir de"),
  daysOverdueMax: z.coerce
    .number()
    .int()
    .min(0)
    .max(36500)
    .optional()
    .describe("dias de atraso (corridos) até"),
  dueFrom: ZDate.optional(),
  dueTo: ZDate.optional(),
  tag: z.string().trim().min(1).max(100).optional().describe("tag do cliente"),
  customerId: z.uuid().optional(),
});

/** Invoices: create, list with filters, read, cancel (the second copy: src/modules/second-copy). */
export function registerInvoiceRoutes(api: Api): void {
  api.route({
    method: "POST",
    url: "/v1/invoices",
    tag: "Faturas",
    summary: "Cria uma fatura (boleto e Pix gerados quando o credor tem os dados bancários)",
    permission: "write",
    body: ZCreateInvoice,
    status: 201,
    handler: async ({ tenantId, body, request }) => {
      const { tenant, today } = await tenantOf(api, tenantId);
      const invoice = await createInvoice(api.db, tenant, body, { today });
      request.auditResource = { type: "invoice", id: invoice.id };
      queueEvent(request, {
        tenantId,
        type: "invoice.created",
        customerId: invoice.customerId,
        payload: { invoice },
        occurredAt: api.context.clock.now(),
      });
      return invoice;
    },
  });

  api.route({
    method: "GET",
    url: "/v1/invoices",
    tag: "Faturas",
    summary: "Lista faturas por vencimento, com filtros (status, atraso, vencimento, tag, cliente)",
    permission: "read",
    query: ZInvoiceListQuery,
    handler: async ({ tenantId, query }) => {
      const { today } = await tenantOf(api, tenantId);
      // d days overdue on `today` ⇔ due on today − d: the range of days becomes a range of dates
      const bounds = [
        query.dueFrom,
        query.daysOverdueMax !== undefined ? addDays(today, -query.daysOverdueMax) : undefined,
      ];
      const upper = [
        query.dueTo,
        query.daysOverdueMin !== undefined ? addDays(today, -query.daysOverdueMin) : undefined,
      ];
      const dueFrom = bounds
        .filter((date): date is string => date !== undefined)
        .sort()
        .at(-1);
      const dueTo = upper.filter((date): date is string => date !== undefined).sort()[0];
      const after = query.cursor ? decodeCursor(query.cursor, ["string", "string"]) : undefined;
      if (after && (!ZDate.safeParse(after[0]).success || !z.uuid().safeParse(after[1]).success)) {
        throw new AppError(
          "validation_failed",
          "cursor inválido: use o next_cursor da página anterior",
          "cursor",
        );
      }
      const rows = await findInvoicePage(api.readDb, tenantId, {
        limit: query.limit + 1,
        ...(query.status ? { status: query.status } : {}),
        ...(query.daysOverdueMin !== undefined || query.daysOverdueMax !== undefined
          ? { status: query.status ?? ["open"] }
          : {}),
        ...(query.customerId ? { customerId: query.customerId } : {}),
        ...(dueFrom ? { dueFrom } : {}),
        ...(dueTo ? { dueTo } : {}),
        ...(query.tag ? { tag: query.tag } : {}),
        ...(after ? { after: { dueDate: String(after[0]), id: String(after[1]) } } : {}),
      });
      return pageOf(rows, query.limit, invoiceFromRow, (row) => [row.due_date, row.id]);
    },
  });

  api.route({
    method: "GET",
    url: "/v1/invoices/:id",
    tag: "Faturas",
    summary: "Uma fatura",
    permission: "read",
    params: ZIdParams,
    handler: async ({ tenantId, params }) => getInvoice(api.db, tenantId, params.id),
  });

  api.route({
    method: "GET",
    url: "/v1/invoices/:id/history",
    tag: "Faturas",
    summary: "Histórico da régua da fatura: ações planejadas e mensagens",
    permission: "read",
    params: ZIdParams,
    handler: async ({ tenantId, params }) => collectionHistory(api.db, tenantId, { invoiceId: params.id }),
  });

  api.route({
    method: "POST",
    url: "/v1/invoices/:id/cancel",
    tag: "Faturas",
    summary: "Cancela uma fatura em aberto (a régua para para ela)",
    permission: "write",
    params: ZIdParams,
    handler: async ({ tenantId, params }) => changeInvoiceStatus(api.db, tenantId, params.id, "cancelled"),
  });
}
