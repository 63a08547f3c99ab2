import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { addDays, type IsoDate } from "../../src/domain/dates.ts";
import { getPanel } from "../../src/modules/dashboard/panel.service.ts";
import { AGING_PHASES } from "../../src/modules/dashboard/panel.ts";
import { foldAllPanelRollups } from "../../src/modules/dashboard/panel-rollup.service.ts";
import { overdueCutoffOf } from "../../src/modules/open-debt/open-debt.service.ts";
import { settlePayment } from "../../src/modules/payments/payment.service.ts";
import { runReport } from "../../src/modules/reports/report.service.ts";
import { ZReportQuery } from "../../src/modules/reports/report.ts";
import { tenantFromRow } from "../../src/modules/tenants/tenant.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { seeded } from "../open-debt/random-portfolio.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { directAgingPhases, directOverdueCustomers } from "../support/panel-oracle.ts";
import { onPostgres, openTestDatabase } from "../support/test-database.ts";

/**
 * The panel's overdue figures read from the rollup (migration 0044, panel-rollup.sql.ts) equal the
 * figures computed directly from the open invoices (the oracle, test/support/panel-oracle.ts) on a
 * random portfolio moved by random writes as the product makes them — invoices issued one by one and
 * in batches, payments partial and whole (one by one and as a bank file's one statement), payments
 * reversed, cancellations, new due dates and amounts, invoices moved to another customer, deleted
 * invoices, agreements proposed, activated, completed, lapsed, broken, cancelled and deleted, with
 * installments issued as invoices — and by days passing without a write (weekends and holidays
 * moving the overdue cut-off). The worker's fold runs at random moments between them.
 */
const SEED = Number(process.env.PANEL_PROPERTY_SEED ?? 20261206);
const random = seeded(SEED);
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const integer = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

const ROUNDS = 60;
/** A tag on every customer: the summary narrowed to it reads the open invoices, not the rollup. */
const EVERYONE = "todos";
const AGREEMENT_STATUSES = ["proposed", "active", "completed", "lapsed", "broken", "cancelled"] as const;

let handle: DatabaseHandle;
let tenant: Tenant;
let today: IsoDate = "2026-11-02";
const customers: string[] = [];
let serial = 0;

async function insertInvoices(count: number): Promise<void> {
  const rows = Array.from({ length: count }, () => {
    serial += 1;
    const amount = integer(1, 50) * 1000;
    const due = addDays(today, integer(-100, 40));
    const status = pick(["open", "open", "open", "open", "paid", "cancelled"] as const);
    return {
      tenant_id: tenant.id,
      external_id: `prop-${serial}`,
      customer_id: pick(customers),
      amount_cents: amount,
      paid_cents: status === "paid" ? amount : random() < 0.3 ? integer(0, amount) : 0,
      issue_date: addDays(due, -30),
      due_date: due,
      status,
    };
  });
  // one statement: an import's or a bank file's batch
  await handle.db.insertInto("invoices").values(rows).execute();
}

async function invoiceIds(where: ReturnType<typeof sql> = sql`true`): Promise<string[]> {
  const result = await sql<{ id: string }>`
    select id from invoices where tenant_id = ${tenant.id}::uuid and ${where} order by external_id`.execute(
    handle.db,
  );
  return result.rows.map((row) => row.id);
}

async function agreementIds(): Promise<string[]> {
  const result = await sql<{ id: string }>`
    select id from agreements where tenant_id = ${tenant.id}::uuid order by number`.execute(handle.db);
  return result.rows.map((row) => row.id);
}

let paymentCount = 0;

/** One write of the product, picked at random. */
async function randomWrite(): Promise<string> {
  const open = await invoiceIds(sql`status = 'open' and amount_cents > paid_cents`);
  const some = (ids: string[], most: number) => ids.filter(() => random() < most / Math.max(ids.length, 1));
  const kind = integer(0, 12);
  if (kind === 0 || open.length === 0) {
    await insertInvoices(integer(1, 4));
    return "issue";
  }
  const target = pick(open);
  switch (kind) {
    case 1: {
      if (random() < 0.5) {
        // a payment through the product's one payment use case (API, CSV, gateway, bank file and
        // Pix all go through it): its settlement statement marks the customer itself
        paymentCount += 1;
        const owed = await sql<{ balance: number }>`
          select amount_cents - paid_cents as balance from invoices
          where tenant_id = ${tenant.id}::uuid and id = ${target}::uuid`.execute(handle.db);
        await settlePayment(
          handle.db,
          tenant,
          {
            source: "bank_file",
            idempotencyKey: `p-${paymentCount}`,
            invoiceId: target,
            amountCents: Math.max(1, Math.min(Number(owed.rows[0]!.balance), integer(1, 30) * 1000)),
            method: "boleto",
            paidAt: new Date(`${today}T12:00:00Z`),
          },
          new Date(`${today}T15:00:00Z`),
        );
        return "payment recorded";
      }
      // a partial or whole payment written by hand
      await sql`
        update invoices set paid_cents = least(amount_cents, paid_cents + ${integer(1, 30) * 1000})
        where tenant_id = ${tenant.id}::uuid and id = ${target}::uuid`.execute(handle.db);
      await sql`
        update invoices set status = 'paid', paid_at = now()
        where tenant_id = ${tenant.id}::uuid and id = ${target}::uuid and paid_cents >= amount_cents`.execute(
        handle.db,
      );
      return "payment";
    }
    case 2: {
      // a bank file: many invoices paid in one statement
      const paid = some(open, 4);
      await sql`
        update invoices set paid_cents = amount_cents, status = 'paid', paid_at = now()
        where tenant_id = ${tenant.id}::uuid and id = any(${paid}::uuid[])`.execute(handle.db);
      return "bank file";
    }
    case 3: {
      // a payment reversed: the invoice is owed again
      const paid = await invoiceIds(sql`status = 'paid'`);
      if (paid.length === 0) return "nothing to reverse";
      await sql`
        update invoices set status = 'open', paid_cents = ${random() < 0.5 ? sql`0` : sql`amount_cents / 2`}, paid_at = null
        where tenant_id = ${tenant.id}::uuid and id = ${pick(paid)}::uuid`.execute(handle.db);
      return "reversal";
    }
    case 4:
      await sql`update invoices set status = 'cancelled'
        where tenant_id = ${tenant.id}::uuid and id = ${target}::uuid`.execute(handle.db);
      return "cancellation";
    case 5:
      await sql`update invoices set due_date = ${addDays(today, integer(-60, 20))}::date,
          issue_date = least(issue_date, ${addDays(today, -90)}::date)
        where tenant_id = ${tenant.id}::uuid and id = ${target}::uuid`.execute(handle.db);
      return "new due date";
    case 6:
      await sql`update invoices set amount_cents = paid_cents + ${integer(1, 40) * 1000}
        where tenant_id = ${tenant.id}::uuid and id = ${target}::uuid`.execute(handle.db);
      return "new amount";
    case 7:
      await sql`update invoices set customer_id = ${pick(customers)}::uuid
        where tenant_id = ${tenant.id}::uuid and id = ${target}::uuid`.execute(handle.db);
      return "customer move";
    case 8: {
      const loose =
        await invoiceIds(sql`id not in (select invoice_id from agreement_invoices where tenant_id = ${tenant.id}::uuid)
        and id not in (select invoice_id from agreement_installments where tenant_id = ${tenant.id}::uuid)
        and id not in (select invoice_id from payments where tenant_id = ${tenant.id}::uuid and invoice_id is not null)`);
      if (loose.length === 0) return "nothing to delete";
      await sql`delete from invoices where tenant_id = ${tenant.id}::uuid and id = any(${some(loose, 2)}::uuid[])`.execute(
        handle.db,
      );
      return "delete";
    }
    case 9:
    case 10: {
      // an agreement over some of a customer's open invoices, its installments issued as invoices
      const customer = pick(customers);
      const originals = await invoiceIds(
        sql`customer_id = ${customer}::uuid and status = 'open' and amount_cents > paid_cents`,
      );
      if (originals.length === 0) return "no debt to agree";
      const covered = originals.filter(() => random() < 0.6);
      const agreement = await sql<{ id: string }>`
        insert into agreements (tenant_id, customer_id, status, created_by, debt, terms, concession_cents, total_cents)
        values (${tenant.id}::uuid, ${customer}::uuid, ${pick(["proposed", "active"] as const)}, 'teste',
          '{}'::jsonb, '{}'::jsonb, 0, 100000)
        returning id`.execute(handle.db);
      const agreementId = agreement.rows[0]!.id;
      if (covered.length > 0) {
        await sql`insert into agreement_invoices (tenant_id, agreement_id, invoice_id)
          select ${tenant.id}::uuid, ${agreementId}::uuid, unnest(${covered}::uuid[])`.execute(handle.db);
      }
      const installments = integer(0, 3);
      for (let number = 1; number <= installments; number += 1) {
        serial += 1;
        const due = addDays(today, integer(-10, 60));
        const invoice = await sql<{ id: string }>`
          insert into invoices (tenant_id, external_id, customer_id, amount_cents, issue_date, due_date)
          values (${tenant.id}::uuid, ${`prop-${serial}`}, ${customer}::uuid, 25000, ${addDays(due, -20)}::date, ${due}::date)
          returning id`.execute(handle.db);
        await sql`insert into agreement_installments (tenant_id, agreement_id, number, invoice_id, due_date, amount_cents)
          values (${tenant.id}::uuid, ${agreementId}::uuid, ${number}, ${invoice.rows[0]!.id}::uuid, ${due}::date, 25000)`.execute(
          handle.db,
        );
      }
      return "agreement";
    }
    case 11: {
      const agreements = await agreementIds();
      if (agreements.length === 0) return "no agreement";
      await sql`update agreements set status = ${pick(AGREEMENT_STATUSES)}
        where tenant_id = ${tenant.id}::uuid and id = ${pick(agreements)}::uuid`.execute(handle.db);
      return "agreement status";
    }
    default: {
      const agreements = await agreementIds();
      if (agreements.length === 0) return "no agreement";
      // an agreement removed: its links and installments go with it (cascade); the invoices stay
      await sql`delete from agreements where tenant_id = ${tenant.id}::uuid and id = ${pick(agreements)}::uuid`.execute(
        handle.db,
      );
      return "agreement deleted";
    }
  }
}

/** What the panel shows of the overdue debt, from the oracle's direct reading of the invoices. */
async function expectedFigures() {
  const cutoff = overdueCutoffOf(tenant, today);
  const [phases, customerCounts] = await Promise.all([
    directAgingPhases(handle.db, tenant.id, today, cutoff),
    directOverdueCustomers(handle.db, tenant.id, today, cutoff),
  ]);
  return {
    aging: AGING_PHASES.map((_, index) => {
      const row = phases.find((candidate) => candidate.phase === index + 1);
      return { cents: row?.cents ?? 0, invoices: row?.invoices ?? 0 };
    }),
    customers: customerCounts.customers,
    smallCustomers: customerCounts.small_customers,
    lateCustomers: customerCounts.late_customers,
  };
}

/**
 * The summary report's overdue columns by month: for the whole portfolio from the rollup, and
 * narrowed to a tag every customer carries from the open-debt relation directly — the same figures.
 */
async function summaryOverdue(tag?: string) {
  const table = await runReport(handle.db, tenant, "summary", ZReportQuery.parse(tag ? { tag } : {}), today);
  return table.rows
    .map((row) => ({ period: row.period, count: Number(row.overdueCount), cents: Number(row.overdueCents) }))
    .filter((row) => row.count > 0);
}

async function shownFigures() {
  const panel = await getPanel(handle.db, tenant, today);
  return {
    aging: panel.aging.map((phase) => ({ cents: phase.cents, invoices: phase.invoices })),
    customers: panel.overdue.customers,
    smallCustomers: panel.smallDelays.customers,
    lateCustomers: panel.delinquent.customers,
  };
}

beforeAll(async () => {
  handle = await openTestDatabase();
  tenant = tenantFromRow(await insertTestTenant(handle.db));
  for (let index = 0; index < 8; index += 1) {
    const row = await sql<{ id: string }>`
      insert into customers (tenant_id, external_id, name, document, kind)
      values (${tenant.id}::uuid, ${`c${index}`}, ${`Cliente ${index}`}, '52998224725', 'person')
      returning id`.execute(handle.db);
    customers.push(row.rows[0]!.id);
  }
  await sql`update customers set tags = array[${EVERYONE}]::text[] where tenant_id = ${tenant.id}::uuid`.execute(
    handle.db,
  );
  await insertInvoices(40);
});

afterAll(async () => {
  await handle?.close();
});

describe("the panel's overdue rollup", () => {
  it("shows what the open invoices give directly, through random writes and days passing", async () => {
    const seen = new Set<string>();
    let overdueSeen = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const writes = integer(0, 4);
      for (let write = 0; write < writes; write += 1) {
        seen.add(await randomWrite());
        // the worker's tick, at random moments between writes
        if (random() < 0.2) await foldAllPanelRollups(handle.db);
      }
      // days pass without a write (weekends and holidays move the overdue cut-off apart from them)
      if (random() < 0.5) today = addDays(today, integer(1, 6));
      const expected = await expectedFigures();
      expect(await shownFigures(), `seed ${SEED}, round ${round}, ${today}`).toEqual(expected);
      expect(await summaryOverdue(), `summary, seed ${SEED}, round ${round}`).toEqual(
        await summaryOverdue(EVERYONE),
      );
      overdueSeen += expected.customers;
    }
    // the walk went through every kind of write and showed overdue debt along the way
    for (const kind of [
      "issue",
      "payment",
      "payment recorded",
      "bank file",
      "reversal",
      "cancellation",
      "new due date",
    ])
      expect(seen).toContain(kind);
    for (const kind of [
      "new amount",
      "customer move",
      "delete",
      "agreement",
      "agreement status",
      "agreement deleted",
    ])
      expect(seen).toContain(kind);
    expect(overdueSeen).toBeGreaterThan(ROUNDS);
  });

  // several connections: PGlite has one
  it.skipIf(!onPostgres)(
    "answers without waiting for a write in flight, and shows it once committed",
    async () => {
      const before = await shownFigures();
      const customer = customers[0]!;
      const overdueInvoice = (cents: number) => {
        serial += 1;
        return sql`insert into invoices (tenant_id, external_id, customer_id, amount_cents, issue_date, due_date)
        values (${tenant.id}::uuid, ${`prop-${serial}`}, ${customer}::uuid, ${cents},
          ${addDays(today, -50)}::date, ${addDays(today, -20)}::date)`;
      };
      await overdueInvoice(77_700).execute(handle.db);
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let marked = () => {};
      const inFlight = new Promise<void>((resolve) => {
        marked = resolve;
      });
      // a second write to the customer holds its mark (locked) until it commits
      const writer = handle.db.transaction().execute(async (trx) => {
        await overdueInvoice(123_400).execute(trx);
        marked();
        await released;
      });
      await inFlight;
      const during = await Promise.race([
        shownFigures(),
        new Promise<"waited">((resolve) => setTimeout(() => resolve("waited"), 10_000)),
      ]);
      // the customer's committed write is folded with the one in flight, after it commits
      expect(during).toEqual(before);
      release();
      await writer;
      const after = await shownFigures();
      expect(after).toEqual(await expectedFigures());
      expect(after.aging.reduce((sum, phase) => sum + phase.cents, 0)).toBe(
        before.aging.reduce((sum, phase) => sum + phase.cents, 0) + 77_700 + 123_400,
      );
    },
  );

  it("holds nothing for a tenant whose customers owe nothing any more", async () => {
    await sql`update invoices set status = 'cancelled' where tenant_id = ${tenant.id}::uuid`.execute(
      handle.db,
    );
    const shown = await shownFigures();
    expect(shown.customers).toBe(0);
    const left = await sql<{ rows: number }>`
      select (select count(*) from panel_due_days where tenant_id = ${tenant.id}::uuid)::int
        + (select count(*) from panel_customer_due_days where tenant_id = ${tenant.id}::uuid)::int as rows`.execute(
      handle.db,
    );
    expect(left.rows[0]!.rows).toBe(0);
  });
});
