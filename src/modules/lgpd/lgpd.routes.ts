import type { Api } from "../../http/api.ts";
import { ZIdParams } from "../../http/schemas.ts";
import { auditPersonalRead } from "../../http/tenant-context.ts";
import { anonymizeCustomer, exportCustomerData } from "./lgpd.service.ts";

/** The data subject's LGPD requests (art. 18): the export of everything held, and anonymisation. */
export function registerLgpdRoutes(api: Api): void {
  api.route({
    method: "GET",
    url: "/v1/customers/:id/lgpd-export",
    tag: "LGPD",
    summary: "Exporta tudo o que a Régua guarda sobre o cliente (LGPD art. 18), em JSON",
    permission: "personalData",
    params: ZIdParams,
    handler: async (input) => {
      const data = await exportCustomerData(api.db, input.tenantId, input.params.id, api.context.clock);
      await auditPersonalRead(api, input, "GET /v1/customers/:id/lgpd-export", input.params.id, true);
      return data;
    },
  });

  api.route({
    method: "POST",
    url: "/v1/customers/:id/anonymize",
    tag: "LGPD",
    summary: "Anonimiza os dados pessoais do cliente, mantendo faturas e pagamentos",
    permission: "personalData",
    params: ZIdParams,
    handler: async ({ tenantId, params }) =>
      anonymizeCustomer(api.db, tenantId, params.id, api.context.clock),
  });
}
