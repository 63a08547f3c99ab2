import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { decodeCursor, pageOf, ZPageQuery } from "../../http/pagination.ts";
import type { Principal } from "../../http/permissions.ts";
import { ZIdParams } from "../../http/schemas.ts";
import { auditPersonalRead, tenantOf } from "../../http/tenant-context.ts";
import { AppError } from "../../shared/errors.ts";
import { collectionHistory } from "./collection-history.ts";
import type { ContactChangeBy } from "./contact-change.repository.ts";
import { findContactsOfCustomers } from "./customer.repository.ts";
import {
  createCustomer,
  customerFromRow,
  getCustomer,
  optOutContact,
  recordContactConsent,
} from "./customer.service.ts";
import { ZCreateCustomer } from "./customer.ts";
import { findCustomerPage } from "./customer-list.repository.ts";

const ZContactParams = z.object({ id: z.uuid(), contactId: z.uuid() });

/** An operator changes contacts in the dashboard; an API key, through the API. */
function changedBy(principal: Principal): ContactChangeBy {
  return { source: principal.kind === "operator" ? "dashboard" : "api", actorId: principal.actorId };
}

/** Customers (debtors), their contacts' consent and opt-out, and their collection history (LGPD requests: src/modules/lgpd). */
export function registerCustomerRoutes(api: Api): void {
  api.route({
    method: "POST",
    url: "/v1/customers",
    tag: "Clientes",
    summary: "Cadastra um cliente com seus contatos",
    permission: "write",
    body: ZCreateCustomer,
    status: 201,
    handler: async ({ tenantId, body, request, principal }) => {
      const { tenant } = await tenantOf(api, tenantId);
      const customer = await createCustomer(api.db, tenant, body, api.context.clock, changedBy(principal));
      request.auditResource = { type: "customer", id: customer.id };
      return customer;
    },
  });

  api.route({
    method: "GET",
    url: "/v1/customers",
    tag: "Clientes",
    summary: "Lista clientes por id externo (filtro por tag)",
    permission: "read",
    query: ZPageQuery.extend({ tag: z.string().trim().min(1).max(100).optional() }),
    handler: async ({ tenantId, query }) => {
      const after = query.cursor ? String(decodeCursor(query.cursor, ["string"])[0]) : undefined;
      const rows = await findCustomerPage(api.readDb, tenantId, {
        limit: query.limit + 1,
        ...(after !== undefined ? { afterExternalId: after } : {}),
        ...(query.tag ? { tag: query.tag } : {}),
      });
      const contacts = await findContactsOfCustomers(
        api.readDb,
        tenantId,
        rows.map((row) => row.id),
      );
      return pageOf(
        rows,
        query.limit,
        (row) => customerFromRow(row, contacts),
        (row) => [row.external_id],
      );
    },
  });

  api.route({
    method: "GET",
    url: "/v1/customers/:id",
    tag: "Clientes",
    summary: "Um cliente com seus contatos (leitura auditada quando feita por operador)",
    permission: "read",
    params: ZIdParams,
    handler: async (input) => {
      const customer = await getCustomer(api.db, input.tenantId, input.params.id);
      await auditPersonalRead(api, input, "GET /v1/customers/:id", customer.id);
      return customer;
    },
  });

  for (const [action, summary] of [
    ["opt-out", "Descadastra um contato (honrado na hora)"],
    ["consent", "Registra o consentimento de um contato (e desfaz um descadastro)"],
  ] as const) {
    api.route({
      method: "POST",
      url: `/v1/customers/:id/contacts/:contactId/${action}`,
      tag: "Clientes",
      summary,
      permission: "write",
      params: ZContactParams,
      handler: async ({ tenantId, params, principal }) => {
        const customer = await getCustomer(api.db, tenantId, params.id);
        if (!customer.contacts.some((contact) => contact.id === params.contactId)) {
          throw new AppError("not_found", `Contato ${params.contactId} não encontrado neste cliente`);
        }
        return action === "opt-out"
          ? optOutContact(api.db, tenantId, params.contactId, api.context.clock, changedBy(principal))
          : recordContactConsent(api.db, tenantId, params.contactId, api.context.clock, changedBy(principal));
      },
    });
  }

  api.route({
    method: "GET",
    url: "/v1/customers/:id/history",
    tag: "Clientes",
    summary: "Histórico da régua do cliente: ações (enviadas, puladas e por quê) e mensagens com seu estado",
    permission: "read",
    params: ZIdParams,
    handler: async (input) => {
      const history = await collectionHistory(api.db, input.tenantId, { customerId: input.params.id });
      await auditPersonalRead(api, input, "GET /v1/customers/:id/history", input.params.id);
      return history;
    },
  });
}
