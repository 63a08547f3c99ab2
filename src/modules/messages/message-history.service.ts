import type { Executor } from "../../db/database.ts";
import { notFound } from "../../shared/errors.ts";
import type { MessageRow } from "./message.table.ts";
import { findMessagePage, type MessagePageQuery } from "./message-history.repository.ts";

/** One message as the API shows it: where it stands, what it cost, what it said. */
export function messageView(row: MessageRow) {
  return {
    id: row.id,
    actionId: row.action_id,
    customerId: row.customer_id,
    channel: row.channel,
    template: row.template,
    state: row.state,
    reason: row.reason,
    attempts: row.attempts,
    recipient: row.recipient,
    provider: row.provider,
    providerMessageId: row.provider_message_id,
    costCents: row.cost_cents,
    segments: row.segments,
    subject: row.subject,
    body: row.body,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    deliveredAt: row.delivered_at,
    clickedAt: row.clicked_at,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
  };
}

/** The messages about a customer or an invoice of the tenant, newest first; 404 for anyone else's. */
export async function messageHistory(db: Executor, tenantId: string, query: MessagePageQuery) {
  const owner =
    "customerId" in query.subject
      ? await db
          .selectFrom("customers")
          .select("id")
          .where("tenant_id", "=", tenantId)
          .where("id", "=", query.subject.customerId)
          .executeTakeFirst()
      : await db
          .selectFrom("invoices")
          .select("customer_id as id")
          .where("tenant_id", "=", tenantId)
          .where("id", "=", query.subject.invoiceId)
          .executeTakeFirst();
  if (!owner) {
    throw "customerId" in query.subject
      ? notFound("Cliente", query.subject.customerId)
      : notFound("Fatura", query.subject.invoiceId);
  }
  return { customerId: owner.id, rows: await findMessagePage(db, tenantId, query) };
}
