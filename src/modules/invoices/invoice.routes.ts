import { z } from "zod";
import { addDays } from "../../domain/dates.ts";
import { pixQrPng, pixQrSvg } from "../../domain/pix.ts";
import { type Api, queueEvent } from "../../http/api.ts";
import { decodeCursor, pageOf, ZPageQuery } from "../../http/pagination.ts";
import { ZDate, ZIdParams } from "../../http/schemas.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import { AppError } from "../../shared/errors.ts";
import { getCustomer } from "../customers/customer.service.ts";
import { collectionHistory } from "../customers/lgpd.service.ts";
import { changeInvoiceStatus, createInvoice, getInvoice, invoiceFromRow } from "./invoice.service.ts";
import { ZCreateInvoice } from "./invoice.ts";
import { findInvoicePage } from "./invoice-list.repository.ts";
import { getSecondCopy } from "./second-copy.service.ts";
import { secondCopyFileName, secondCopyPdf } from "./second-copy-pdf.ts";

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

const ZSecondCopyQuery = z.object({
  date: ZDate.optional().describe("dia do pagamento (padrão: hoje no fuso do credor)"),
  format: z.enum(["json", "svg", "png"]).default("json").describe("json, ou o QR Code do Pix em svg ou png"),
});

/** Invoices: create, list with filters, read, cancel, and the second copy with the updated amount. */
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

  api.route({
    method: "GET",
    url: "/v1/invoices/:id/second-copy",
    tag: "Faturas",
    summary: "Segunda via: valor atualizado com multa e juros, linha digitável, Pix copia e cola e QR Code",
    description:
      "O boleto e o Pix são reemitidos com o valor do dia escolhido (vencimento = esse dia) quando o credor " +
      "tem os dados bancários; senão voltam os documentos originais. format=svg|png devolve só o QR Code do Pix.",
    permission: "read",
    params: ZIdParams,
    query: ZSecondCopyQuery,
    handler: async ({ tenantId, params, query, reply }) => {
      const { tenant, today } = await tenantOf(api, tenantId);
      const copy = await getSecondCopy(api.db, tenant, params.id, { date: query.date ?? today, today });
      const { pixPayload } = copy;
      if (query.format !== "json") {
        if (!pixPayload)
          throw new AppError("not_found", "Esta fatura não tem Pix: o credor não cadastrou chave Pix");
        if (query.format === "svg") return reply.type("image/svg+xml").send(await pixQrSvg(pixPayload));
        return reply.type("image/png").send(await pixQrPng(pixPayload));
      }
      const base = `/v1/invoices/${copy.invoice.id}/second-copy?date=${copy.date}`;
      return {
        invoiceId: copy.invoice.id,
        externalId: copy.invoice.externalId,
        date: copy.date,
        amount: copy.amount,
        typeableLine: copy.typeableLine,
        typeableLineFormatted: copy.typeableLineFormatted,
        barcode: copy.barcode,
        pixPayload,
        reissued: copy.reissued,
        qrCode: pixPayload ? { svg: `${base}&format=svg`, png: `${base}&format=png` } : null,
      };
    },
  });

  api.route({
    method: "GET",
    url: "/v1/invoices/:id/second-copy.pdf",
    tag: "Faturas",
    summary:
      "Segunda via em PDF: credor, devedor, valor do dia com multa e juros, boleto (linha e código de barras) e QR Code do Pix",
    permission: "read",
    params: ZIdParams,
    query: ZSecondCopyQuery.pick({ date: true }),
    produces: "application/pdf",
    handler: async ({ tenantId, params, query, reply }) => {
      const { tenant, today } = await tenantOf(api, tenantId);
      const copy = await getSecondCopy(api.db, tenant, params.id, { date: query.date ?? today, today });
      const customer = await getCustomer(api.db, tenantId, copy.invoice.customerId);
      const pdf = await secondCopyPdf(tenant, customer, copy);
      return reply
        .type("application/pdf")
        .header("content-disposition", `attachment; filename="${secondCopyFileName(copy)}"`)
        .send(pdf);
    },
  });
}
