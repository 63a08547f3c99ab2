import type { Api } from "../../http/api.ts";
import { ZIdParams } from "../../http/schemas.ts";
import { validationError } from "../../shared/errors.ts";
import { mintPortalLink } from "./portal.service.ts";
import { ZPortalLink, ZPortalLinkRequest } from "./portal.ts";
import type { LinkPurpose } from "./portal-link.ts";

/** `POST /v1/customers/{id}/portal-link`: a signed link into the customer portal, for support and integrations. */
export function registerPortalApiRoutes(api: Api): void {
  api.route({
    method: "POST",
    url: "/v1/customers/:id/portal-link",
    tag: "Portal",
    summary: "Cria um link assinado e com validade para o cliente entrar no portal (sem senha)",
    description:
      "O link leva a /portal/entrar; o cliente confirma a identidade com os 5 primeiros caracteres do CPF/CNPJ. " +
      "purpose=invoice abre a segunda via da fatura invoiceId; preferences, as preferências de contato.",
    permission: "write",
    params: ZIdParams,
    body: ZPortalLinkRequest,
    response: ZPortalLink,
    status: 201,
    handler: async ({ tenantId, params, body, request }) => {
      let purpose: LinkPurpose;
      if (body.purpose === "invoice") {
        if (!body.invoiceId)
          throw validationError("invoiceId", "invoiceId: informe a fatura do link (purpose=invoice)");
        purpose = { kind: "invoice", invoiceId: body.invoiceId };
      } else purpose = { kind: body.purpose };
      const link = await mintPortalLink(
        api.db,
        tenantId,
        params.id,
        purpose,
        api.context.clock.now(),
        body.ttlDays,
      );
      request.auditResource = { type: "customer", id: params.id };
      return { url: link.url, expiresAt: link.expiresAt };
    },
  });
}
