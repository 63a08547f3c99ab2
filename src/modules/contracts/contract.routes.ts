import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { ZIdParams } from "../../http/schemas.ts";
import { changeContractStatus, createContract, getContract } from "./contract.service.ts";
import { ZCreateContract } from "./contract.ts";

export function registerContractRoutes(api: Api): void {
  api.route({
    method: "POST",
    url: "/v1/contracts",
    tag: "Contratos",
    summary: "Cria um contrato (plano) de um cliente; suas taxas valem para as faturas dele",
    permission: "write",
    body: ZCreateContract,
    status: 201,
    handler: async ({ tenantId, body, request }) => {
      const contract = await createContract(api.db, tenantId, body);
      request.auditResource = { type: "contract", id: contract.id };
      return contract;
    },
  });

  api.route({
    method: "GET",
    url: "/v1/contracts/:id",
    tag: "Contratos",
    summary: "Um contrato",
    permission: "read",
    params: ZIdParams,
    handler: async ({ tenantId, params }) => getContract(api.db, tenantId, params.id),
  });

  api.route({
    method: "POST",
    url: "/v1/contracts/:id/status",
    tag: "Contratos",
    summary: "Muda a situação do contrato (active, suspended, cancelled)",
    permission: "write",
    params: ZIdParams,
    body: z.strictObject({ status: z.enum(["active", "suspended", "cancelled"]) }),
    handler: async ({ tenantId, params, body }) =>
      changeContractStatus(api.db, tenantId, params.id, body.status),
  });
}
