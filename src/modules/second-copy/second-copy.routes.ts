import { z } from "zod";
import { pixQrPng, pixQrSvg } from "../../domain/pix.ts";
import type { Api } from "../../http/api.ts";
import { ZDate, ZIdParams } from "../../http/schemas.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import { AppError } from "../../shared/errors.ts";
import { getCustomer } from "../customers/customer.service.ts";
import { resolveStandingToken } from "../standing/standing-token.service.ts";
import { getSecondCopy } from "./second-copy.service.ts";
import { secondCopyFileName, secondCopyPdf } from "./second-copy-pdf.ts";

const ZSecondCopyQuery = z.object({
  date: ZDate.optional().describe("dia do pagamento (padrão: hoje no fuso do credor)"),
  format: z.enum(["json", "svg", "png"]).default("json").describe("json, ou o QR Code do Pix em svg ou png"),
});

/**
 * An invoice's second copy with the amount of the day: JSON, the Pix QR Code, or the PDF. A module
 * of its own because it reads the invoice, its open debt and the live Pix charge of the pix module,
 * which itself settles invoices.
 */
export function registerSecondCopyRoutes(api: Api): void {
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

  // the login banner's PDF link (src/modules/standing): its token stands for the customer
  api.route({
    method: "GET",
    url: "/embed/second-copy.pdf",
    tag: "Situação",
    summary:
      "Segunda via em PDF de uma fatura pendente, para o banner embutido (mesmo bloqueado, o cliente pode pagar)",
    permission: "public",
    query: z.object({ token: z.string().min(10).max(200), invoiceId: z.uuid() }),
    produces: "application/pdf",
    handler: async ({ query, reply }) => {
      const { tenantId, customerId } = await resolveStandingToken(
        api.db,
        query.token,
        api.context.clock.now(),
      );
      const { tenant, today } = await tenantOf(api, tenantId);
      const copy = await getSecondCopy(api.db, tenant, query.invoiceId, { date: today, today, customerId });
      const pdf = await secondCopyPdf(tenant, await getCustomer(api.db, tenantId, customerId), copy);
      reply.header("access-control-allow-origin", "*");
      return reply
        .type("application/pdf")
        .header("content-disposition", `inline; filename="${secondCopyFileName(copy)}"`)
        .send(pdf);
    },
  });
}
