import type { Kysely } from "kysely";
import type { Database } from "../../src/db/database.ts";
import { addDays, type IsoDate } from "../../src/domain/dates.ts";
import {
  applyAgreementLifecycle,
  cancelAgreement,
  proposeAgreement,
} from "../../src/modules/agreements/agreement.service.ts";
import type { Agreement, AgreementActor } from "../../src/modules/agreements/agreement.ts";
import { refreshSettlements } from "../../src/modules/invoices/invoice.service.ts";
import { recordPayment } from "../../src/modules/payments/payment.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { addCustomer, addInvoice } from "../scenarios/regua-support.ts";

/**
 * Random portfolios for the open-debt and standing properties: each customer gets invoices due
 * from 100 days ago to 20 days ahead, maybe partial or full payments, a recorded standing (maybe
 * cancelled, maybe reopened), a pause, a disputed invoice, and an agreement proposed, active,
 * broken (an installment unpaid past the tolerance), completed or cancelled — all made through the
 * real services where one exists, so the rows are the ones the product writes.
 */
export type Random = () => number;

/** A small deterministic generator (mulberry32), so a failing seed can be replayed. */
export function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const between = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const analyst: AgreementActor = {
  kind: "operator",
  id: "00000000-0000-4000-8000-00000000a001",
  role: "admin",
};
const AGREEMENTS = ["none", "none", "proposed", "active", "broken", "completed", "cancelled"] as const;
export type AgreementKind = (typeof AGREEMENTS)[number];

export interface PortfolioCustomer {
  id: string;
  agreement: AgreementKind;
}

let paymentSequence = 0;

export async function randomPortfolio(
  db: Kysely<Database>,
  tenant: Tenant,
  random: Random,
  today: IsoDate,
  customers: number,
): Promise<PortfolioCustomer[]> {
  const made: PortfolioCustomer[] = [];
  const at = (day: IsoDate) => new Date(`${day}T15:00:00Z`);
  const pay = (invoiceId: string, amountCents: number, day: IsoDate) => {
    paymentSequence += 1;
    return recordPayment(
      db,
      tenant,
      { externalId: `pag-rand-${paymentSequence}`, invoiceId, amountCents, paidAt: at(day) },
      at(day),
    );
  };
  for (let index = 0; index < customers; index += 1) {
    const customer = await addCustomer(db, tenant);
    const agreement = pick(random, AGREEMENTS);
    const invoices: { id: string; due: IsoDate; amount: number }[] = [];
    const count = between(random, 1, 4);
    for (let n = 0; n < count; n += 1) {
      // a broken agreement was made 40 days ago: it needs invoices overdue back then
      const due = addDays(
        today,
        n === 0 && agreement === "broken" ? -between(random, 45, 100) : between(random, -100, 20),
      );
      const amount = between(random, 100_00, 900_00);
      invoices.push({ id: await addInvoice(db, tenant, customer, due, amount), due, amount });
    }
    // partial or full payments made before today, through the payments use case
    for (const invoice of invoices) {
      const roll = random();
      if (invoice.due >= today || roll > 0.35) continue;
      const day = addDays(invoice.due, between(random, 0, 30));
      const paidOn = day < today ? day : addDays(today, -1);
      const amount = roll < 0.1 ? invoice.amount * 2 : between(random, 10_00, Math.floor(invoice.amount / 2));
      await pay(invoice.id, amount, paidOn);
    }
    await refreshSettlements(
      db,
      tenant,
      invoices.map((invoice) => invoice.id),
    );
    await makeAgreement(db, tenant, customer.id, agreement, today, pay);
    await recordStanding(db, tenant, customer.id, today, random);
    if (random() < 0.2) {
      await db
        .insertInto("customer_pauses")
        .values({
          tenant_id: tenant.id,
          customer_id: customer.id,
          kind: "pause",
          until: addDays(today, between(random, 0, 10)),
          reason: "cliente pediu prazo",
        })
        .execute();
    }
    if (random() < 0.2) {
      await db
        .insertInto("customer_pauses")
        .values({
          tenant_id: tenant.id,
          customer_id: customer.id,
          invoice_id: pick(random, invoices).id,
          kind: "dispute",
          reason: "cliente contesta a cobrança",
        })
        .execute();
    }
    made.push({ id: customer.id, agreement });
  }
  // the agreements' calendar moves as the daily run moves it: the 40-day-old ones break today
  await applyAgreementLifecycle(db, tenant, today, at(today));
  return made;
}

async function overdueOpenInvoices(
  db: Kysely<Database>,
  tenant: Tenant,
  customerId: string,
  before: IsoDate,
) {
  const rows = await db
    .selectFrom("invoices")
    .select("id")
    .where("tenant_id", "=", tenant.id)
    .where("customer_id", "=", customerId)
    .where("status", "=", "open")
    .where("due_date", "<", before)
    .execute();
  return rows.map((row) => row.id);
}

async function makeAgreement(
  db: Kysely<Database>,
  tenant: Tenant,
  customerId: string,
  kind: AgreementKind,
  today: IsoDate,
  pay: (invoiceId: string, amountCents: number, day: IsoDate) => Promise<unknown>,
): Promise<void> {
  if (kind === "none") return;
  const madeOn = kind === "broken" ? addDays(today, -40) : today;
  const invoiceIds = await overdueOpenInvoices(db, tenant, customerId, addDays(madeOn, -3));
  if (invoiceIds.length === 0) return;
  const clock = new FixedClock(`${madeOn}T15:00:00Z`);
  let agreement: Agreement;
  try {
    agreement = await proposeAgreement(
      db,
      tenant,
      { customerId, terms: { invoiceIds, installments: kind === "completed" ? 0 : 2 }, actor: analyst },
      clock,
    );
  } catch {
    return; // outside the limits (a tiny installment): this customer goes without an agreement
  }
  const [first] = agreement.installments;
  if (kind === "active" || kind === "broken" || kind === "completed") {
    await pay(first!.invoiceId, first!.amountCents, first!.dueDate < today ? first!.dueDate : today);
  }
  if (kind === "cancelled") {
    await cancelAgreement(db, tenant, agreement.id, { reason: "cliente desistiu", actor: analyst }, clock);
  }
}

async function recordStanding(
  db: Kysely<Database>,
  tenant: Tenant,
  customerId: string,
  today: IsoDate,
  random: Random,
): Promise<void> {
  const roll = random();
  if (roll < 0.4) return;
  const reopened = roll > 0.85;
  const standing = reopened ? "ok" : pick(random, ["ok", "warning", "suspended", "cancelled"] as const);
  await db
    .insertInto("standings")
    .values({
      tenant_id: tenant.id,
      subject_kind: "customer",
      subject_id: customerId,
      customer_id: customerId,
      standing,
      since: addDays(today, -between(random, 1, 40)),
      reason: "situação gravada pelo gerador",
      reopened_on: reopened ? addDays(today, -between(random, 0, 40)) : null,
      updated_at: new Date(`${today}T03:00:00Z`),
    })
    .onConflict((conflict) =>
      conflict.columns(["tenant_id", "subject_kind", "subject_id"]).doUpdateSet((excluded) => ({
        standing: excluded.ref("excluded.standing"),
        reopened_on: excluded.ref("excluded.reopened_on"),
      })),
    )
    .execute();
}
