import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import { listRefunds } from "./pix.repository.ts";
import { getPixCharge, issueCobv } from "./pix-charge.service.ts";
import {
  ZPixNotification,
  ZRecurrenceNotification,
  ZRecurringChargeNotification,
} from "./pix-notification.ts";
import {
  liveRecurrenceOf,
  offerRecurrence,
  receiveRecurrenceNotification,
  receiveRecurringChargeNotification,
} from "./pix-recurrence.service.ts";
import { getPixSettings, updatePixSettings } from "./pix-settings.service.ts";
import { ZUpdatePixSettings } from "./pix-settings.ts";
import {
  receivePixNotification,
  registerPixWebhooks,
  sweepPix,
  tenantOfWebhookToken,
} from "./pix-webhook.service.ts";

const ZIdParams = z.object({ id: z.uuid({ error: "id inválido" }) });
const ZTokenParams = z.object({
  // after the tag, the tenant's route and a dot (tenants/token-route.ts), absent on older tokens
  token: z
    .string()
    .regex(/^pixwh_(?:[0-9a-z]{1,12}\.)?[A-Za-z0-9_-]{20,64}$/, { error: "webhook desconhecido" }),
});
const ZSweepBody = z.strictObject({
  from: z.iso.datetime({ offset: true, error: "use um instante ISO 8601, como 2026-11-23T00:00:00-03:00" }),
  to: z.iso.datetime({ offset: true, error: "use um instante ISO 8601, como 2026-11-23T23:59:59-03:00" }),
});
const ZRecurrenceBody = z.strictObject({
  journey: z
    .enum(["authorise", "pay_then_authorise"], { error: "use authorise ou pay_then_authorise" })
    .default("authorise"),
});

/** Pix through the BCB standard Pix API: settings, charges (cobv), the PSP's webhooks, Pix Automático. */
export function registerPixRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/settings/pix",
    tag: "Pix",
    summary:
      "PSP Pix do credor (API Pix do BCB): URLs, client id, certificado e chave Pix; segredos nunca voltam",
    permission: "admin",
    handler: async ({ tenantId }) => getPixSettings(api.db, (await tenantOf(api, tenantId)).tenant),
  });

  api.route({
    method: "PATCH",
    url: "/v1/settings/pix",
    tag: "Pix",
    summary: "Configura o PSP Pix; campos omitidos ficam como estão",
    description:
      "A primeira configuração precisa de baseUrl, tokenUrl, clientId, clientSecret, certificatePem, privateKeyPem " +
      "e receiverKey. clientSecret e privateKeyPem são guardados cifrados (AES-256-GCM) e nunca voltam; o " +
      "certificado tem de ser o da chave e estar válido. caPem: null apaga a CA.",
    permission: "admin",
    body: ZUpdatePixSettings,
    handler: async ({ tenantId, body }) =>
      updatePixSettings(api.db, (await tenantOf(api, tenantId)).tenant, body, api.context.clock.now()),
  });

  api.route({
    method: "POST",
    url: "/v1/settings/pix/webhook",
    tag: "Pix",
    summary: "Registra no PSP os webhooks de Pix recebidos, de recorrências e de cobranças recorrentes",
    permission: "admin",
    handler: async ({ tenantId }) =>
      registerPixWebhooks(api.db, (await tenantOf(api, tenantId)).tenant, api.context.clock),
  });

  api.route({
    method: "POST",
    url: "/v1/pix/sweep",
    tag: "Pix",
    summary:
      "Busca no PSP (GET /pix) os Pix recebidos num intervalo e aplica os que não chegaram por webhook",
    permission: "admin",
    body: ZSweepBody,
    handler: async ({ tenantId, body }) =>
      sweepPix(
        api.db,
        (await tenantOf(api, tenantId)).tenant,
        { from: new Date(body.from), to: new Date(body.to) },
        api.context.clock,
      ),
  });

  api.route({
    method: "GET",
    url: "/v1/pix/refunds",
    tag: "Pix",
    summary: "Devoluções de Pix informadas pelo PSP",
    permission: "read",
    handler: async ({ tenantId }) => ({
      data: (await listRefunds(api.db, tenantId)).map((row) => ({
        endToEndId: row.end_to_end_id,
        refundId: row.refund_id,
        rtrId: row.rtr_id,
        amountCents: row.amount_cents,
        status: row.status,
        nature: row.nature,
        requestedAt: row.requested_at,
        settledAt: row.settled_at,
      })),
    }),
  });

  api.route({
    method: "PUT",
    url: "/v1/invoices/:id/pix-charge",
    tag: "Pix",
    summary:
      "Cria (ou atualiza) no PSP a cobrança Pix com vencimento (cobv) da fatura e devolve o BR Code dinâmico",
    permission: "write",
    params: ZIdParams,
    handler: async ({ tenantId, params, request }) => {
      const charge = await issueCobv(
        api.db,
        (await tenantOf(api, tenantId)).tenant,
        params.id,
        api.context.clock,
      );
      request.auditResource = { type: "invoice", id: params.id };
      return charge;
    },
  });

  api.route({
    method: "GET",
    url: "/v1/invoices/:id/pix-charge",
    tag: "Pix",
    summary: "A cobrança Pix com vencimento (cobv) da fatura: txid, status, location e BR Code dinâmico",
    permission: "read",
    params: ZIdParams,
    handler: async ({ tenantId, params }) => {
      const charge = await getPixCharge(api.db, (await tenantOf(api, tenantId)).tenant, params.id);
      return { charge };
    },
  });

  api.route({
    method: "POST",
    url: "/v1/contracts/:id/pix-recurrence",
    tag: "Pix",
    summary:
      "Oferece Pix Automático para o contrato: cria a recorrência no PSP e devolve o QR Code de autorização",
    permission: "write",
    params: ZIdParams,
    body: ZRecurrenceBody,
    status: 201,
    handler: async ({ tenantId, params, body }) =>
      offerRecurrence(
        api.db,
        (await tenantOf(api, tenantId)).tenant,
        { contractId: params.id, journey: body.journey },
        api.context.clock,
      ),
  });

  api.route({
    method: "GET",
    url: "/v1/contracts/:id/pix-recurrence",
    tag: "Pix",
    summary: "A recorrência de Pix Automático em vigor do contrato (criada ou aprovada), ou null",
    permission: "read",
    params: ZIdParams,
    handler: async ({ tenantId, params }) => ({
      recurrence: await liveRecurrenceOf(api.db, tenantId, params.id),
    }),
  });

  // The PSP's notifications: no API key; the random token in the URL names the tenant.
  api.route({
    method: "POST",
    url: "/v1/pix/webhook/:token/pix",
    tag: "Pix",
    summary: "Recebe do PSP os Pix recebidos (API Pix do BCB); idempotente por endToEndId",
    permission: "public",
    params: ZTokenParams,
    body: ZPixNotification,
    handler: async ({ params, body }) => {
      const tenant = await tenantOfWebhookToken(api.db, params.token);
      const receipts = await receivePixNotification(api.db, tenant, body, api.context.clock);
      return { received: receipts.length };
    },
  });

  api.route({
    method: "POST",
    url: "/v1/pix/webhook/:token/rec",
    tag: "Pix",
    summary: "Recebe do PSP as mudanças de status das recorrências de Pix Automático",
    permission: "public",
    params: ZTokenParams,
    body: ZRecurrenceNotification,
    handler: async ({ params, body }) => {
      const tenant = await tenantOfWebhookToken(api.db, params.token);
      return receiveRecurrenceNotification(api.db, tenant, body, api.context.clock);
    },
  });

  api.route({
    method: "POST",
    url: "/v1/pix/webhook/:token/cobr",
    tag: "Pix",
    summary: "Recebe do PSP as cobranças recorrentes (Pix Automático): status e Pix que as pagaram",
    permission: "public",
    params: ZTokenParams,
    body: ZRecurringChargeNotification,
    handler: async ({ params, body }) => {
      const tenant = await tenantOfWebhookToken(api.db, params.token);
      return receiveRecurringChargeNotification(api.db, tenant, body, api.context.clock);
    },
  });
}
