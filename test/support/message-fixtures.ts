import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Executor } from "../../src/db/database.ts";

let counter = 0;

export interface DebtorSpec {
  name: string;
  email?: string | null;
  phone?: string | null;
  whatsapp?: { value: string; optIn: boolean } | null;
  invoices: {
    description: string;
    amountCents: number;
    dueDate: string;
    typeableLine?: string | null;
    pixPayload?: string | null;
  }[];
}

/** A customer with contacts and open invoices, inserted directly. */
export async function insertDebtor(db: Executor, tenantId: string, spec: DebtorSpec) {
  counter += 1;
  const customer = await db
    .insertInto("customers")
    .values({
      tenant_id: tenantId,
      external_id: `c-${process.pid}-${counter}`,
      name: spec.name,
      document: "12345678909",
      kind: "person",
      address_state: "SP",
      address_city: "São Paulo",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const contacts: { channel: "email" | "sms" | "whatsapp"; value: string; consent_at: Date | null }[] = [];
  if (spec.email) contacts.push({ channel: "email", value: spec.email, consent_at: null });
  if (spec.phone) contacts.push({ channel: "sms", value: spec.phone, consent_at: null });
  if (spec.whatsapp)
    contacts.push({
      channel: "whatsapp",
      value: spec.whatsapp.value,
      consent_at: spec.whatsapp.optIn ? new Date("2026-01-01") : null,
    });
  if (contacts.length > 0) {
    await db
      .insertInto("contacts")
      .values(contacts.map((contact) => ({ tenant_id: tenantId, customer_id: customer.id, ...contact })))
      .execute();
  }
  const invoices = [];
  for (const invoice of spec.invoices) {
    counter += 1;
    invoices.push(
      await db
        .insertInto("invoices")
        .values({
          tenant_id: tenantId,
          external_id: `i-${process.pid}-${counter}`,
          customer_id: customer.id,
          description: invoice.description,
          amount_cents: invoice.amountCents,
          issue_date: "2026-10-01",
          due_date: invoice.dueDate,
          typeable_line: invoice.typeableLine ?? null,
          pix_payload: invoice.pixPayload ?? null,
        })
        .returning(["id", "due_date"])
        .executeTakeFirstOrThrow(),
    );
  }
  return { customerId: customer.id, invoiceIds: invoices.map((invoice) => invoice.id) };
}

/**
 * Planned actions as the planner writes them: one per invoice, grouped per customer, step,
 * channel and day (the planner's own tests cover how they are chosen).
 */
export async function insertPlannedActions(
  db: Executor,
  tenantId: string,
  debtor: { customerId: string; invoiceIds: string[] },
  step: {
    name: string;
    offsetDays: number;
    channel: "email" | "sms" | "whatsapp" | "letter" | "task";
    template: string;
  },
  at: { sendOn: string; scheduledFor: Date; sendUntil: Date },
): Promise<string[]> {
  const policyId = randomUUID();
  const stepId = randomUUID();
  const rows = await db
    .insertInto("dunning_actions")
    .values(
      debtor.invoiceIds.map((invoiceId) => ({
        tenant_id: tenantId,
        invoice_id: invoiceId,
        customer_id: debtor.customerId,
        policy_id: policyId,
        step_id: stepId,
        step_name: step.name,
        offset_days: step.offsetDays,
        channel: step.channel,
        template: step.template,
        group_key: `${debtor.customerId}|${step.name}|${step.channel}|${at.sendOn}`,
        status: "planned" as const,
        skip_reason: null,
        planned_on: at.sendOn,
        send_on: at.sendOn,
        scheduled_for: at.scheduledFor,
        send_until: at.sendUntil,
        amount_cents: 0,
      })),
    )
    .returning("id")
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Many debtors at once, set-based: each with an e-mail (or a phone), one overdue invoice and one
 * planned D+6 action due between `scheduledFor` and `sendUntil` (tests of volume and the benchmark).
 */
export async function insertEmailBacklog(
  db: Executor,
  tenantId: string,
  count: number,
  scheduledFor: Date,
  sendUntil: Date,
  channel: "email" | "sms" = "email",
): Promise<void> {
  // statement by statement with fresh statistics: in one statement the foreign key checks of a
  // growing table can be planned as sequential scans, which turns 50,000 rows into minutes
  await sql`
    insert into customers (tenant_id, external_id, name, document, kind, address_state)
    select ${tenantId}, 'k' || n, 'Cliente Número ' || n, '12345678909', 'person', 'SP'
    from generate_series(1, ${count}::int) n`.execute(db);
  await sql`analyze customers`.execute(db);
  await sql`
    insert into contacts (tenant_id, customer_id, channel, value)
    select ${tenantId}, id, ${channel},
           case when ${channel} = 'email' then external_id || '@example.com'
                else '+55119' || lpad(substr(external_id, 2), 8, '0') end
    from customers where tenant_id = ${tenantId}`.execute(db);
  await sql`
    insert into invoices (tenant_id, external_id, customer_id, description, amount_cents, issue_date, due_date,
                          typeable_line)
    select ${tenantId}, 'f' || external_id, id, 'Mensalidade', 12990, '2026-10-01', '2026-11-01',
           '23790123016000000000400000010001112345000012990'
    from customers where tenant_id = ${tenantId}`.execute(db);
  await sql`analyze invoices`.execute(db);
  await sql`
    insert into dunning_actions (tenant_id, invoice_id, customer_id, policy_id, step_id, step_name, offset_days,
      channel, template, group_key, status, planned_on, send_on, scheduled_for, send_until, amount_cents)
    select ${tenantId}, i.id, i.customer_id, gen_random_uuid(), gen_random_uuid(), 'D+6', 6, ${channel},
           ${`${channel}.d+6`}, i.customer_id || '|D+6', 'planned', current_date, current_date,
           ${scheduledFor}, ${sendUntil}, 12990
    from invoices i where i.tenant_id = ${tenantId}`.execute(db);
  await sql`analyze dunning_actions`.execute(db);
}
