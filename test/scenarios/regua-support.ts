import type { Kysely } from "kysely";
import type { Database } from "../../src/db/database.ts";
import type { IsoDate } from "../../src/domain/dates.ts";
import { addDays } from "../../src/domain/dates.ts";
import { runDay } from "../../src/modules/daily-run/daily-run.service.ts";
import type { DayReport } from "../../src/modules/daily-run/daily-run.ts";
import { ensureDefaultPolicy } from "../../src/modules/policies/policy.service.ts";
import { refreshStandingForCustomer } from "../../src/modules/standing/standing.service.ts";
import { tenantFromRow } from "../../src/modules/tenants/tenant.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { insertTestTenant } from "../support/fixtures.ts";

/** A portfolio built directly in the tables, for scenario tests of the régua. */
export async function tenantWithDefaultRegua(db: Kysely<Database>): Promise<Tenant> {
  const tenant = tenantFromRow(await insertTestTenant(db));
  await ensureDefaultPolicy(db, tenant.id);
  return tenant;
}

let sequence = 0;

export interface TestCustomer {
  id: string;
  name: string;
}

export async function addCustomer(
  db: Kysely<Database>,
  tenant: Tenant,
  options: { state?: string; email?: boolean; sms?: boolean; address?: boolean; tags?: string[] } = {},
): Promise<TestCustomer> {
  sequence += 1;
  const name = `Cliente ${sequence}`;
  const state = options.state ?? "SP";
  const customer = await db
    .insertInto("customers")
    .values({
      tenant_id: tenant.id,
      external_id: `c-${sequence}`,
      name,
      document: "39053344705",
      kind: "person",
      address_street: options.address === false ? null : "Rua das Flores",
      address_number: "10",
      address_district: "Centro",
      address_city: state === "RJ" ? "Rio de Janeiro" : "São Paulo",
      address_state: state,
      address_postal_code: options.address === false ? null : "01000-000",
      tags: options.tags ?? [],
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const contacts: { channel: "email" | "sms"; value: string }[] = [];
  if (options.email !== false) contacts.push({ channel: "email", value: `cliente${sequence}@example.com` });
  if (options.sms !== false)
    contacts.push({ channel: "sms", value: `+55119${String(sequence).padStart(8, "0")}` });
  if (contacts.length > 0) {
    await db
      .insertInto("contacts")
      .values(contacts.map((contact) => ({ tenant_id: tenant.id, customer_id: customer.id, ...contact })))
      .execute();
  }
  return { id: customer.id, name };
}

export async function addInvoice(
  db: Kysely<Database>,
  tenant: Tenant,
  customer: TestCustomer,
  due: IsoDate,
  amountCents = 15_000,
): Promise<string> {
  sequence += 1;
  const row = await db
    .insertInto("invoices")
    .values({
      tenant_id: tenant.id,
      external_id: `f-${sequence}`,
      customer_id: customer.id,
      amount_cents: amountCents,
      issue_date: addDays(due, -30),
      due_date: due,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Records the invoice as paid in full on `day` and refreshes the customer's standing at once. */
export async function payInvoice(
  db: Kysely<Database>,
  tenant: Tenant,
  invoiceId: string,
  day: IsoDate,
): Promise<void> {
  const invoice = await db
    .updateTable("invoices")
    .set((eb) => ({
      status: "paid",
      paid_cents: eb.ref("amount_cents"),
      paid_at: new Date(`${day}T15:00:00Z`),
    }))
    .where("tenant_id", "=", tenant.id)
    .where("id", "=", invoiceId)
    .returning("customer_id")
    .executeTakeFirstOrThrow();
  await refreshStandingForCustomer(db, tenant.id, invoice.customer_id, day, new Date(`${day}T15:00:00Z`));
}

/** Runs the régua every day from `from` to `to` inclusive (the simulated clock). */
export async function runDays(
  db: Kysely<Database>,
  tenant: Tenant,
  from: IsoDate,
  to: IsoDate,
): Promise<DayReport[]> {
  const reports: DayReport[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) reports.push(await runDay(db, tenant, day));
  return reports;
}

export interface ActionView {
  step: string;
  channel: string;
  status: string;
  reason: string | null;
  plannedOn: string;
  sendOn: string;
  scheduledFor: string;
}

/** The actions of an invoice as a reader of the régua sees them, in step order. */
export async function actionsOf(
  db: Kysely<Database>,
  tenant: Tenant,
  invoiceId: string,
): Promise<ActionView[]> {
  const rows = await db
    .selectFrom("dunning_actions")
    .selectAll()
    .where("tenant_id", "=", tenant.id)
    .where("invoice_id", "=", invoiceId)
    .orderBy("offset_days")
    .orderBy("channel")
    .execute();
  return rows.map((row) => ({
    step: row.step_name,
    channel: row.channel,
    status: row.status,
    reason: row.skip_reason,
    plannedOn: row.planned_on,
    sendOn: row.send_on,
    scheduledFor: new Date(row.scheduled_for).toISOString(),
  }));
}

export async function standingOf(db: Kysely<Database>, tenant: Tenant, customerId: string): Promise<string> {
  const row = await db
    .selectFrom("standings")
    .select("standing")
    .where("tenant_id", "=", tenant.id)
    .where("subject_kind", "=", "customer")
    .where("subject_id", "=", customerId)
    .executeTakeFirst();
  return row?.standing ?? "ok";
}
