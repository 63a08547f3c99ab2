import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";

/** Everything held on one customer, table by table, for an LGPD export (art. 18 II and V). */
export async function findEverythingOfCustomer(db: Executor, tenantId: string, customerId: string) {
  const [
    customer,
    contacts,
    contracts,
    invoices,
    payments,
    actions,
    standings,
    transitions,
    events,
    messages,
  ] = await Promise.all([
    db
      .selectFrom("customers")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("id", "=", customerId)
      .executeTakeFirst(),
    db
      .selectFrom("contacts")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("customer_id", "=", customerId)
      .execute(),
    db
      .selectFrom("contracts")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("customer_id", "=", customerId)
      .execute(),
    db
      .selectFrom("invoices")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("customer_id", "=", customerId)
      .orderBy("due_date")
      .execute(),
    db
      .selectFrom("payments as p")
      .innerJoin("invoices as i", (join) =>
        join.onRef("i.tenant_id", "=", "p.tenant_id").onRef("i.id", "=", "p.invoice_id"),
      )
      .selectAll("p")
      .where("p.tenant_id", "=", tenantId)
      .where("i.customer_id", "=", customerId)
      .orderBy("p.paid_at")
      .execute(),
    db
      .selectFrom("dunning_actions")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("customer_id", "=", customerId)
      .orderBy("planned_on")
      .execute(),
    db
      .selectFrom("standings")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("customer_id", "=", customerId)
      .execute(),
    db
      .selectFrom("standing_transitions")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("customer_id", "=", customerId)
      .orderBy("at")
      .execute(),
    db
      .selectFrom("domain_events")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("customer_id", "=", customerId)
      .orderBy("seq")
      .execute(),
    findMessagesOfCustomer(db, tenantId, customerId),
  ]);
  return {
    customer,
    contacts,
    contracts,
    invoices,
    payments,
    actions,
    standings,
    transitions,
    events,
    messages,
  };
}

/**
 * Erases what identifies the person and keeps the financial records (invoices, payments) that
 * tax and accounting law require (LGPD art. 16 I): name, document, address and contacts go.
 */
export async function anonymizeCustomerRows(
  db: Executor,
  tenantId: string,
  customerId: string,
  now: Date,
): Promise<boolean> {
  const updated = await db
    .updateTable("customers")
    .set({
      name: "Titular anonimizado",
      document: sql<string>`'anon-' || left(md5(id::text), 12)`,
      address_street: null,
      address_number: null,
      address_district: null,
      address_city: null,
      address_state: null,
      address_postal_code: null,
      tags: [],
      anonymized_at: now,
      updated_at: now,
    })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", customerId)
    .executeTakeFirst();
  await db
    .deleteFrom("contacts")
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .execute();
  // the contacts' history names them too
  await db
    .deleteFrom("contact_changes")
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .execute();
  // messages keep their dates, channel, state and cost (what the collection cost); not to whom or what
  await db
    .updateTable("messages")
    .set({ recipient: null, subject: null, body: null, data: null })
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .execute();
  await sql`delete from captured_messages cm using messages m
    where cm.tenant_id = ${tenantId} and m.tenant_id = cm.tenant_id and m.id = cm.message_id
      and m.customer_id = ${customerId}`.execute(db);
  await db
    .deleteFrom("standing_tokens")
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .execute();
  // rendered messages may quote the person; planned ones must not go out any more
  await db
    .updateTable("dunning_actions")
    .set({ status: "skipped", skip_reason: "no_contact", updated_at: now })
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .where("status", "=", "planned")
    .execute();
  return Number(updated.numUpdatedRows) > 0;
}

/** The messages sent (or tried) to a customer, newest first, without their rendered bodies. */
export function findMessagesOfCustomer(db: Executor, tenantId: string, customerId: string, limit = 1000) {
  return db
    .selectFrom("messages")
    .select([
      "id",
      "action_id",
      "group_key",
      "channel",
      "template",
      "state",
      "reason",
      "recipient",
      "subject",
      "provider",
      "cost_cents",
      "sent_at",
      "delivered_at",
      "clicked_at",
      "opened_at",
      "created_at",
    ])
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
}

/** The régua's actions for one invoice or every invoice of a customer, newest first. */
export function findActions(
  db: Executor,
  tenantId: string,
  subject: { invoiceId: string } | { customerId: string },
) {
  let query = db
    .selectFrom("dunning_actions")
    .select([
      "id",
      "invoice_id",
      "step_name",
      "offset_days",
      "channel",
      "template",
      "group_key",
      "status",
      "skip_reason",
      "planned_on",
      "send_on",
      "amount_cents",
    ])
    .where("tenant_id", "=", tenantId);
  query =
    "invoiceId" in subject
      ? query.where("invoice_id", "=", subject.invoiceId)
      : query.where("customer_id", "=", subject.customerId);
  return query.orderBy("planned_on", "desc").orderBy("step_name").limit(2000).execute();
}
