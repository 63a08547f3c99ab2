import { z } from "zod";
import type { Api, AuthedInput } from "../../http/api.ts";
import { ZIdParams } from "../../http/schemas.ts";
import { tenantOf } from "../../http/tenant-context.ts";
import type { AgreementActor } from "../agreements/agreement.ts";
import { campaignResults, createCampaign, listCampaigns } from "./campaign.service.ts";
import { ZCampaign, ZCampaignCreated, ZCampaignResults, ZCreateCampaign } from "./campaign.ts";

/** The author of a campaign: the agreement limits its offers are checked against, now and on acceptance. */
function actorOf(input: AuthedInput<unknown, unknown, unknown>): AgreementActor {
  const principal = input.principal;
  return principal.kind === "operator"
    ? { kind: "operator", id: principal.actorId, role: principal.role }
    : { kind: "api_key", id: principal.actorId };
}

/** Campaigns for aged debt: create (and send), list, results against the holdout. */
export function registerCampaignRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/campaigns",
    tag: "Campanhas",
    summary: "As campanhas do credor, mais novas primeiro",
    permission: "read",
    response: z.object({ data: z.array(ZCampaign) }),
    handler: async ({ tenantId }) => ({ data: await listCampaigns(api.db, tenantId) }),
  });

  api.route({
    method: "POST",
    url: "/v1/campaigns",
    tag: "Campanhas",
    summary:
      "Cria uma campanha: escolhe dívidas vencidas, oferece um acordo pré-aprovado até uma data e envia a oferta",
    description:
      "selection escolhe por dias de atraso, valor (saldo em aberto do cliente), faixa de score e grupo. " +
      "offer são os termos (0 parcelas = à vista), conferidos pela mesma regra dos acordos contra os limites " +
      "de quem cria; clientes em que os termos não cabem ficam de fora (excluded), e, se nenhum couber, 400 " +
      "nomeando o campo. holdoutPercent separa um grupo de controle por sorteio estável e registrado. " +
      "A mensagem (e-mail, SMS, WhatsApp) leva um link do portal para a oferta, válido até validUntil. " +
      "dryRun=true só conta.",
    permission: "write",
    body: ZCreateCampaign,
    status: 201,
    response: ZCampaignCreated,
    handler: async (input) => {
      const { tenant } = await tenantOf(api, input.tenantId);
      const created = await createCampaign(api.db, tenant, input.body, actorOf(input), api.context.clock);
      if (created.campaign) input.request.auditResource = { type: "campaign", id: created.campaign.id };
      return created;
    },
  });

  api.route({
    method: "GET",
    url: "/v1/campaigns/:id",
    tag: "Campanhas",
    summary:
      "Resultados: ofertas, aceites, valor e taxa recuperados por grupo e o ganho sobre o holdout com intervalo de 95%",
    permission: "read",
    params: ZIdParams,
    response: ZCampaignResults,
    handler: async ({ tenantId, params }) => {
      const { tenant } = await tenantOf(api, tenantId);
      return campaignResults(api.db, tenant, params.id, api.context.clock);
    },
  });
}
