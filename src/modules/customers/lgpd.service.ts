import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import type { Clock } from "../../shared/clock.ts";
import { notFound } from "../../shared/errors.ts";
import { contractFromRow } from "../contracts/contract.service.ts";
import { invoiceFromRow } from "../invoices/invoice.service.ts";
import { paymentFromRow } from "../payments/payment.service.ts";
import { customerFromRow } from "./customer.service.ts";
import {
  anonymizeCustomerRows,
  findActions,
  findEverythingOfCustomer,
  findMessagesOfCustomer,
} from "./lgpd.repository.ts";

/**
 * LGPD requests of a data subject (art. 18): the export of everything held on them, and the
 * anonymisation of their personal data, which keeps invoices and payments (art. 16 I: records the
 * creditor must keep by law) but no longer says whose they were.
 */
export async function exportCustomerData(
  db: Kysely<Database>,
  tenantId: string,
  customerId: string,
  clock: Clock,
) {
  const held = await findEverythingOfCustomer(db, tenantId, customerId);
  if (!held.customer) throw notFound("Cliente", customerId);
  return {
    exportedAt: clock.now(),
    customer: customerFromRow(held.customer, held.contacts),
    anonymizedAt: held.customer.anonymized_at,
    contracts: held.contracts.map(contractFromRow),
    invoices: held.invoices.map(invoiceFromRow),
    payments: held.payments.map(paymentFromRow),
    actions: held.actions.map((row) => ({
      id: row.id,
      invoiceId: row.invoice_id,
      stepName: row.step_name,
      channel: row.channel,
      status: row.status,
      skipReason: row.skip_reason,
      plannedOn: row.planned_on,
      sendOn: row.send_on,
      amountCents: Number(row.amount_cents),
    })),
    standings: held.standings.map((row) => ({
      subjectKind: row.subject_kind,
      subjectId: row.subject_id,
      standing: row.standing,
      since: row.since,
      reason: row.reason,
    })),
    standingHistory: held.transitions.map((row) => ({
      from: row.from_standing,
      to: row.to_standing,
      reason: row.reason,
      effectiveOn: row.effective_on,
      at: row.at,
    })),
    messages: held.messages.map(messageOf),
    events: held.events.map((row) => ({
      id: row.id,
      type: row.type,
      occurredAt: row.occurred_at,
      payload: row.payload,
    })),
  };
}

export async function anonymizeCustomer(
  db: Kysely<Database>,
  tenantId: string,
  customerId: string,
  clock: Clock,
) {
  const found = await db
    .transaction()
    .execute((trx) => anonymizeCustomerRows(trx, tenantId, customerId, clock.now()));
  if (!found) throw notFound("Cliente", customerId);
  return exportCustomerData(db, tenantId, customerId, clock);
}

type MessageRow = Awaited<ReturnType<typeof findMessagesOfCustomer>>[number];
type ActionRow = Awaited<ReturnType<typeof findActions>>[number];

function messageOf(row: MessageRow) {
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
