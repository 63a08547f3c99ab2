import type { Kysely } from "kysely";
import type { Database } from "../../src/db/database.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { addInvoice, type TestCustomer } from "../scenarios/regua-support.ts";

/** Dashboard fixtures written straight into the tables: payments, sent messages, agreements. */

export async function setInvoice(
  db: Kysely<Database>,
  tenant: Tenant,
  invoiceId: string,
  values: { status?: "open" | "paid" | "cancelled"; paidCents?: number },
): Promise<void> {
  await db
    .updateTable("invoices")
    .set({
      ...(values.status ? { status: values.status } : {}),
      ...(values.paidCents !== undefined ? { paid_cents: values.paidCents } : {}),
    })
    .where("tenant_id", "=", tenant.id)
    .where("id", "=", invoiceId)
    .execute();
}

let sequence = 0;

export async function addPayment(
  db: Kysely<Database>,
  tenant: Tenant,
  invoiceId: string,
  amountCents: number,
  paidAt: string,
): Promise<void> {
  sequence += 1;
  await db
    .insertInto("payments")
    .values({
      tenant_id: tenant.id,
      external_id: `pg-${process.pid}-${sequence}`,
      invoice_id: invoiceId,
      amount_cents: amountCents,
      method: "pix",
      paid_at: new Date(paidAt),
    })
    .execute();
}

/** A régua action for the invoice and the message that went out for it at `sentAt`. */
export async function addSentMessage(
  db: Kysely<Database>,
  tenant: Tenant,
  customer: TestCustomer,
  invoiceId: string,
  channel: "email" | "sms" | "whatsapp",
  sentAt: string,
  content: { subject?: string; body?: string } = {},
): Promise<void> {
  sequence += 1;
  const groupKey = `teste-${sequence}`;
  const day = sentAt.slice(0, 10);
  const action = await db
    .insertInto("dunning_actions")
    .values({
      tenant_id: tenant.id,
      invoice_id: invoiceId,
      customer_id: customer.id,
      policy_id: crypto.randomUUID(),
      step_id: crypto.randomUUID(),
      step_name: `passo-${sequence}`,
      offset_days: 1,
      channel,
      template: `${channel}.d+1`,
      group_key: groupKey,
      status: "sent",
      skip_reason: null,
      planned_on: day,
      send_on: day,
      scheduled_for: new Date(sentAt),
      send_until: new Date(sentAt),
      amount_cents: 100,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("messages")
    .values({
      tenant_id: tenant.id,
      action_id: action.id,
      group_key: groupKey,
      customer_id: customer.id,
      channel,
      template: `${channel}.d+1`,
      state: "sent",
      next_attempt_at: new Date(sentAt),
      sent_at: new Date(sentAt),
      recipient: channel === "email" ? "cliente@example.com" : "+5511999990000",
      subject: content.subject ?? null,
      body: content.body ?? "Sua fatura venceu.",
    })
    .execute();
}

export async function addAgreement(
  db: Kysely<Database>,
  tenant: Tenant,
  customer: TestCustomer,
  status: "proposed" | "active" | "completed" | "broken" | "lapsed" | "cancelled",
  totalCents: number,
): Promise<void> {
  await db
    .insertInto("agreements")
    .values({
      tenant_id: tenant.id,
      customer_id: customer.id,
      status,
      created_by: "teste",
      debt: "{}",
      terms: "{}",
      concession_cents: 0,
      total_cents: totalCents,
    })
    .execute();
}

export { addInvoice };
