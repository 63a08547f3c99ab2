import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import { notFound } from "../../shared/errors.ts";
import { findActions, findMessagesOfCustomer } from "./lgpd.repository.ts";

type MessageRow = Awaited<ReturnType<typeof findMessagesOfCustomer>>[number];
type ActionRow = Awaited<ReturnType<typeof findActions>>[number];

/** A message as the history and the LGPD export show it. */
export function messageOf(row: MessageRow) {
  return {
    id: row.id,
    actionId: row.action_id,
    channel: row.channel,
    template: row.template,
    state: row.state,
    reason: row.reason,
    recipient: row.recipient,
    subject: row.subject,
    provider: row.provider,
    costCents: row.cost_cents,
    sentAt: row.sent_at,
    deliveredAt: row.delivered_at,
    clickedAt: row.clicked_at,
    openedAt: row.opened_at,
    createdAt: row.created_at,
  };
}

function actionOf(row: ActionRow) {
  return {
    id: row.id,
    invoiceId: row.invoice_id,
    stepName: row.step_name,
    offsetDays: row.offset_days,
    channel: row.channel,
    template: row.template,
    status: row.status,
    skipReason: row.skip_reason,
    plannedOn: row.planned_on,
    sendOn: row.send_on,
    amountCents: Number(row.amount_cents),
  };
}

/**
 * The régua's history of a customer or of one invoice: the actions planned (sent, skipped and
 * why) and the messages that went out, with their delivery state. For the dashboard's timeline.
 */
export async function collectionHistory(
  db: Kysely<Database>,
  tenantId: string,
  subject: { customerId: string } | { invoiceId: string },
) {
  const owner =
    "customerId" in subject
      ? await db
          .selectFrom("customers")
          .select("id as customer_id")
          .where("tenant_id", "=", tenantId)
          .where("id", "=", subject.customerId)
          .executeTakeFirst()
      : await db
          .selectFrom("invoices")
          .select("customer_id")
          .where("tenant_id", "=", tenantId)
          .where("id", "=", subject.invoiceId)
          .executeTakeFirst();
  if (!owner) {
    throw "customerId" in subject
      ? notFound("Cliente", subject.customerId)
      : notFound("Fatura", subject.invoiceId);
  }
  const actions = await findActions(db, tenantId, subject);
  let messages = await findMessagesOfCustomer(db, tenantId, owner.customer_id);
  if ("invoiceId" in subject) {
    const groups = new Set(actions.map((action) => action.group_key));
    messages = messages.filter((message) => groups.has(message.group_key));
  }
  return { actions: actions.map(actionOf), messages: messages.map(messageOf) };
}
