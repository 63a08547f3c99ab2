import type { Executor } from "../../db/database.ts";
import { daysBetween } from "../../domain/dates.ts";
import { notFound, validationError } from "../../shared/errors.ts";
import { amountDue, SettlementLoader } from "../invoices/invoice.service.ts";
import { findCustomersForMessages } from "../messages/message.repository.ts";
import type { Tenant } from "../tenants/tenant.ts";
import type { MessageData, MessageInvoice } from "./render.ts";

/**
 * What a message to this customer would say today: its open invoices with the amounts of the day
 * (fine and interest as the dispatcher computes them). Links point at the portal itself instead of
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
  const [customer] = await findCustomersForMessages(db, tenant.id, [customerId]);
  if (!customer) throw notFound("Cliente", customerId);
  if (customer.anonymized_at)
    throw validationError("customerId", "cliente anonimizado (LGPD): sem dados para mostrar");
  const open = await db
    .selectFrom("invoices")
    .select(["id", "description", "typeable_line", "pix_payload"])
    .where("tenant_id", "=", tenant.id)
    .where("customer_id", "=", customerId)
    .where("status", "=", "open")
    .orderBy("due_date")
    .limit(20)
    .execute();
  const settlements = await new SettlementLoader(tenant).load(
    db,
    open.map((invoice) => invoice.id),
  );
  const invoices: MessageInvoice[] = [];
  for (const invoice of open) {
    const settlement = settlements.get(invoice.id);
    if (!settlement) continue;
    const due = amountDue(settlement.context, today);
    if (due.status !== "open" || due.totalDueCents <= 0) continue;
    invoices.push({
      id: invoice.id,
      description: invoice.description,
      dueDate: settlement.context.dueDate,
      originalCents: settlement.context.principalCents,
      fineCents: due.fineCents,
      interestCents: due.interestCents,
      updatedCents: due.totalDueCents,
      daysOverdue: Math.max(0, daysBetween(settlement.context.dueDate, today)),
      typeableLine: invoice.typeable_line,
      pixPayload: invoice.pix_payload,
      secondCopyUrl: `${baseUrl}/portal/faturas/${invoice.id}`,
    });
  }
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
