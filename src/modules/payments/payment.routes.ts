import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import { AppError } from "../../shared/errors.ts";
import {
  configureGateway,
  GATEWAY_SIGNATURE_HEADER,
  recordGatewayPayment,
  verifyGatewayRequest,
  ZGatewayNotification,
  ZProvider,
} from "./gateway.service.ts";
import { listUnmatchedPayments, recordPayment } from "./payment.service.ts";
import { PAYMENT_METHODS } from "./payment.ts";

/** JSON carries instants as text: the HTTP shape of ZRecordPayment, with paidAt an ISO 8601 instant. */
const ZPaymentBody = z.strictObject({
  externalId: z.string().trim().min(1).max(200),
  invoiceId: z.uuid().optional(),
  invoiceExternalId: z.string().trim().min(1).max(200).optional(),
  amountCents: z.number().int().positive(),
  method: z.enum(PAYMENT_METHODS).default("boleto"),
  paidAt: z.iso.datetime({ offset: true, error: "use um instante ISO 8601, como 2026-11-23T14:30:00-03:00" }),
});

/** Payments: recorded by the creditor's system, or notified by a payment gateway. */
export function registerPaymentRoutes(api: Api): void {
  api.route({
    method: "POST",
    url: "/v1/payments",
    tag: "Pagamentos",
    summary: "Registra um pagamento: quita a fatura, para a régua dela e restaura a situação do cliente",
    description:
      "Idempotente pelo externalId: o mesmo id com os mesmos dados não muda nada (created=false). " +
      "Uma fatura desconhecida (invoiceExternalId) deixa o pagamento guardado para conciliação. " +
      "Numa fatura original de um acordo em vigor, o pagamento vai para o acordo: abatido das parcelas " +
      "em aberto, da mais antiga para a mais nova (acordo ativo), ou a proposta ainda sem pagamento é " +
      "cancelada e o pagamento quita a fatura original (agreement.outcome: credited | withdrawn). " +
      "Na parcela cancelada de um acordo encerrado, o valor é abatido das faturas originais (imputed).",
    permission: "write",
    body: ZPaymentBody,
    status: 201,
    handler: async ({ tenantId, body, request, reply }) => {
      const { tenant } = await tenantOf(api, tenantId);
      const report = await recordPayment(
        api.db,
        tenant,
        { ...body, paidAt: new Date(body.paidAt) },
        api.context.clock.now(),
      );
      request.auditResource = { type: "payment", id: report.payment.id };
      if (!report.created) reply.status(200);
      const { standing: _standing, ...answer } = report;
      return answer;
    },
  });

  api.route({
    method: "GET",
    url: "/v1/payments/unmatched",
    tag: "Pagamentos",
    summary: "Pagamentos sem fatura correspondente, para conciliação (mais antigos primeiro)",
    permission: "read",
    handler: async ({ tenantId }) => ({ data: await listUnmatchedPayments(api.db, tenantId) }),
  });

  api.route({
    method: "POST",
    url: "/v1/payment-gateways",
    tag: "Pagamentos",
    summary: "Configura um provedor de pagamento e devolve o segredo com que ele assina as notificações",
    permission: "admin",
    body: z.strictObject({ provider: ZProvider }),
    status: 201,
    handler: async ({ tenantId, body }) => configureGateway(api.db, tenantId, body.provider),
  });

  api.route({
    method: "POST",
    url: "/v1/payments/notifications/:provider",
    tag: "Pagamentos",
    summary: "Recebe a notificação de pagamento de um provedor (assinada com HMAC-SHA256)",
    description:
      "Sem chave de API: autenticada pela assinatura X-Signature: sha256=<hex HMAC-SHA256 do corpo bruto> " +
      "com o segredo do provedor. O credor vem em ?tenant=<slug>. Idempotente pelo id do provedor.",
    permission: "public",
    params: z.object({ provider: ZProvider }),
    query: z.object({ tenant: z.string().trim().min(1).max(63) }),
    body: ZGatewayNotification,
    handler: async ({ params, query, body, request, reply }) => {
      const signature = request.headers[GATEWAY_SIGNATURE_HEADER];
      if (Array.isArray(signature)) throw new AppError("unauthorized", "Envie um só cabeçalho X-Signature");
      const tenant = await verifyGatewayRequest(api.db, {
        tenantSlug: query.tenant,
        provider: params.provider,
        signature,
        rawBody: request.rawBody ?? "",
      });
      const report = await recordGatewayPayment(api.db, tenant, params.provider, body, api.context.clock);
      reply.status(report.created ? 201 : 200);
      return {
        received: true,
        paymentId: report.payment.id,
        matched: report.invoice !== null,
        created: report.created,
      };
    },
  });
}
