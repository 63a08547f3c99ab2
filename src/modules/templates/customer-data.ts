import type { Executor } from "../../db/database.ts";
import { notFound, validationError } from "../../shared/errors.ts";
import { findCustomerById } from "../customers/customer.repository.ts";
import { getOpenDebt, payableWithDocuments } from "../open-debt/open-debt.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { messageInvoiceOf } from "./message-invoice.ts";
import type { MessageData, MessageInvoice } from "./render.ts";

/**
 * What a message to this customer would say today: what it owes (the open-debt read model, as the
 * dispatcher reads it), each invoice with a boleto and Pix for the amount of the day. Links point at the portal itself instead of
 * short links, since a preview must not write any.
 */
export async function customerMessageData(
  db: Executor,
  tenant: Tenant,
  creditor: MessageData["creditor"],
  customerId: string,
  today: string,
  baseUrl: string,
): Promise<MessageData> {
  const customer = await findCustomerById(db, tenant.id, customerId);
  if (!customer) throw notFound("Cliente", customerId);
  if (customer.anonymized_at)
    throw validationError("customerId", "cliente anonimizado (LGPD): sem dados para mostrar");
  const debt = await getOpenDebt(db, tenant, customerId, today);
  const invoices: MessageInvoice[] = payableWithDocuments(tenant, debt)
    .slice(0, 20)
    .map((invoice) => messageInvoiceOf(invoice, `${baseUrl}/portal/faturas/${invoice.id}`));
  if (invoices.length === 0) {
    throw validationError(
      "customerId",
      "este cliente não tem faturas em aberto; escolha outro ou use os dados de exemplo",
    );
  }
  return {
    creditor,
    customer: { name: customer.name, document: customer.document, kind: customer.kind },
    invoices,
    portalUrl: `${baseUrl}/portal`,
    optOutUrl: `${baseUrl}/portal/descadastro`,
  };
}
