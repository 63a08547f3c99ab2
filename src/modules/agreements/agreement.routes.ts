import { z } from "zod";
import { todayIn } from "../../domain/dates.ts";
import type { Api, AuthedInput } from "../../http/api.ts";
import { decodeCursor, encodeCursor, type Page, ZPageQuery } from "../../http/pagination.ts";
import { ZIdParams } from "../../http/schemas.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import { publicUrl } from "../../shared/config.ts";
import { AppError } from "../../shared/errors.ts";
import {
  cancelAgreement,
  getAgreement,
  listAgreements,
  previewAgreement,
  proposeAgreement,
  simulateAgreement,
} from "./agreement.service.ts";
import {
  type Agreement,
  type AgreementActor,
  ZAgreement,
  ZAgreementOverview,
  ZAgreementPreview,
  ZAgreementStatus,
  ZCancelAgreement,
  ZProposeAgreement,
  ZSimulateAgreement,
  ZUpdateAgreementSettings,
} from "./agreement.ts";
import { getAgreementOverview } from "./agreement-overview.service.ts";
import { getAgreementSettings, updateAgreementSettings } from "./agreement-settings.ts";
import { agreementCalendar } from "./calendar.ts";

const ZAgreementListQuery = ZPageQuery.extend({
  customerId: z.uuid().optional(),
  status: ZAgreementStatus.optional(),
});

function actorOf(input: AuthedInput<unknown, unknown, unknown>): AgreementActor {
  const principal = input.principal;
  return principal.kind === "operator"
    ? { kind: "operator", id: principal.actorId, role: principal.role }
    : { kind: "api_key", id: principal.actorId };
}

async function requireAgreement(api: Api, tenantId: string, id: string): Promise<Agreement> {
  const agreement = await getAgreement(api.db, tenantId, id);
  if (!agreement) throw new AppError("not_found", `acordo ${id} não encontrado`);
  return agreement;
}

/** Agreements (acordos): simulate, propose, list, read, cancel, the calendar file, the settings. */
export function registerAgreementRoutes(api: Api): void {
  api.route({
    method: "POST",
    url: "/v1/agreements/simulate",
    tag: "Acordos",
    summary: "Simula propostas de acordo para as faturas vencidas de um cliente (à vista e parcelado)",
    permission: "write",
    body: ZSimulateAgreement,
    handler: async (input) => {
      const { tenant } = await tenantOf(api, input.tenantId);
      return simulateAgreement(
        api.db,
        tenant,
        { customerId: input.body.customerId, invoiceIds: input.body.invoiceIds, actor: actorOf(input) },
        api.context.clock,
      );
    },
  });

  api.route({
    method: "POST",
    url: "/v1/agreements/preview",
    tag: "Acordos",
    summary:
      "Mostra o acordo que estes termos criariam (parcelas com datas e valores, total, concessões), sem criar",
    description:
      "Mesmo corpo e mesma regra de POST /v1/agreements: termos fora dos limites do perfil são recusados " +
      "com 400 nomeando o campo, antes de qualquer parcela ser emitida.",
    permission: "write",
    body: ZProposeAgreement,
    response: ZAgreementPreview,
    handler: async (input) => {
      const { tenant } = await tenantOf(api, input.tenantId);
      const { customerId, ...terms } = input.body;
      return previewAgreement(
        api.db,
        tenant,
        { customerId, terms, actor: actorOf(input) },
        api.context.clock,
      );
    },
  });

  api.route({
    method: "POST",
    url: "/v1/agreements",
    tag: "Acordos",
    summary: "Propõe um acordo: emite as parcelas (boleto e Pix) e tira as faturas originais da régua",
    description:
      "As concessões (multa, juros, desconto) e o número de parcelas são conferidos contra os limites do perfil " +
      "(configurações de acordos); fora deles, 400 nomeando o campo. O acordo fica ativo com o pagamento da " +
      "entrada (ou da primeira parcela) até o vencimento.",
    permission: "write",
    body: ZProposeAgreement,
    response: ZAgreement,
    status: 201,
    handler: async (input) => {
      const { tenant } = await tenantOf(api, input.tenantId);
      const { customerId, ...terms } = input.body;
      const agreement = await proposeAgreement(
        api.db,
        tenant,
        { customerId, terms, actor: actorOf(input) },
        api.context.clock,
      );
      input.request.auditResource = { type: "agreement", id: agreement.id };
      return agreement;
    },
  });

  api.route({
    method: "GET",
    url: "/v1/agreements",
    tag: "Acordos",
    summary: "Lista acordos, mais novos primeiro (filtros: cliente, status)",
    permission: "read",
    query: ZAgreementListQuery,
    handler: async ({ tenantId, query }): Promise<Page<Agreement>> => {
      const after = query.cursor ? decodeCursor(query.cursor, ["string", "string"]) : undefined;
      const afterDate = after ? new Date(String(after[0])) : undefined;
      if (after && (Number.isNaN(afterDate!.getTime()) || !z.uuid().safeParse(after[1]).success)) {
        throw new AppError(
          "validation_failed",
          "cursor inválido: use o next_cursor da página anterior",
          "cursor",
        );
      }
      const rows = await listAgreements(api.db, tenantId, {
        customerId: query.customerId,
        status: query.status,
        limit: query.limit + 1,
        ...(after ? { after: { createdAt: afterDate!, id: String(after[1]) } } : {}),
      });
      const hasMore = rows.length > query.limit;
      const data = hasMore ? rows.slice(0, query.limit) : rows;
      const last = data[data.length - 1];
      return {
        data,
        next_cursor: hasMore && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
      };
    },
  });

  api.route({
    method: "GET",
    url: "/v1/agreements/:id",
    tag: "Acordos",
    summary: "Um acordo, com as parcelas (linha digitável e Pix de cada uma)",
    permission: "read",
    params: ZIdParams,
    handler: async ({ tenantId, params }) => requireAgreement(api, tenantId, params.id),
  });

  api.route({
    method: "GET",
    url: "/v1/agreements/:id/overview",
    tag: "Acordos",
    summary:
      "A página do acordo: cliente, histórico de situações, parcelas com o valor de hoje, pagamentos recebidos",
    permission: "read",
    params: ZIdParams,
    response: ZAgreementOverview,
    handler: async ({ tenantId, params }) => {
      const { tenant } = await tenantOf(api, tenantId);
      const today = todayIn(tenant.timeZone, api.context.clock.now());
      const overview = await getAgreementOverview(api.db, tenant, params.id, today);
      if (!overview) throw new AppError("not_found", `acordo ${params.id} não encontrado`);
      return overview;
    },
  });

  api.route({
    method: "POST",
    url: "/v1/agreements/:id/cancel",
    tag: "Acordos",
    summary: "Cancela um acordo proposto ou ativo, com o motivo; o que foi pago abate a dívida original",
    permission: "write",
    params: ZIdParams,
    body: ZCancelAgreement,
    handler: async (input) => {
      const { tenant } = await tenantOf(api, input.tenantId);
      await requireAgreement(api, input.tenantId, input.params.id);
      input.request.auditResource = { type: "agreement", id: input.params.id };
      return cancelAgreement(
        api.db,
        tenant,
        input.params.id,
        { reason: input.body.reason, actor: actorOf(input) },
        api.context.clock,
      );
    },
  });

  api.route({
    method: "GET",
    url: "/v1/agreements/:id/calendar.ics",
    tag: "Acordos",
    summary: "As parcelas em aberto do acordo como calendário (ICS, RFC 5545), com alarmes",
    permission: "read",
    params: ZIdParams,
    produces: "text/calendar",
    handler: async ({ tenantId, params, reply }) => {
      const { tenant } = await tenantOf(api, tenantId);
      const agreement = await requireAgreement(api, tenantId, params.id);
      const portal = `${publicUrl()}/portal`;
      const ics = agreementCalendar(
        agreement,
        { name: tenant.legalName, document: tenant.document },
        { paymentUrl: () => portal },
      );
      return reply
        .type("text/calendar; charset=utf-8")
        .header("content-disposition", `attachment; filename="acordo-${agreement.number}.ics"`)
        .send(ics);
    },
  });

  api.route({
    method: "GET",
    url: "/v1/agreement-settings",
    tag: "Acordos",
    summary: "Configurações de acordos do credor: limites por perfil, desconto à vista, juros, tolerância",
    permission: "read",
    handler: async ({ tenantId }) => getAgreementSettings(api.db, tenantId),
  });

  api.route({
    method: "PATCH",
    url: "/v1/agreement-settings",
    tag: "Acordos",
    summary:
      "Altera configurações de acordos (parcial; erros nomeiam o campo, ex.: limits.portal.maxInstallments)",
    permission: "policies",
    body: ZUpdateAgreementSettings,
    handler: async ({ tenantId, body }) => updateAgreementSettings(api.db, tenantId, body),
  });
}
