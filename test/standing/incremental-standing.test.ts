import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import type { Database, Executor } from "../../src/db/database.ts";
import { addDays, type IsoDate } from "../../src/domain/dates.ts";
import { runDay, runTenantDay } from "../../src/modules/daily-run/daily-run.service.ts";
import { changeInvoiceStatus } from "../../src/modules/invoices/invoice.service.ts";
import { recordPayment } from "../../src/modules/payments/payment.service.ts";
import { listPolicies, savePolicy } from "../../src/modules/policies/policy.service.ts";
import {
  disputeInvoice,
  pauseCustomer,
  releasePause,
  reopenCustomer,
} from "../../src/modules/standing/standing.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { type Random, randomPortfolio, seeded } from "../open-debt/random-portfolio.ts";
import { addInvoice, tenantWithDefaultRegua } from "../scenarios/regua-support.ts";
import { openTestDatabase } from "../support/test-database.ts";

/**
 * The daily run decides standing only for the customers the days or their changes could move
 * (standing-day.service.ts), and announces overdue only the invoices that became overdue or
 * whose customers changed since the last run (overdue-events.ts). Oracle: the same day run
 * exhaustively, in a transaction rolled back. On random portfolios, over random sequences of days (weekends, the 20 November and
 * Christmas holidays) and random writes between them — payments, pauses made and released,
 * disputes, invoices added already overdue, cancellations, tags that move a customer to another
 * régua, reopenings, a policy's thresholds changed — both give the same standing changes, the
 * same transitions and the same events in the outbox (what the webhooks deliver), day after day.
 */
const START = "2026-11-10";
let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

const between = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const ROLLBACK = new Error("rolled back on purpose");

async function rolledBack<T>(db: Kysely<Database>, work: (trx: Executor) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await db
    .transaction()
    .execute(async (trx) => {
      result = await work(trx);
      throw ROLLBACK;
    })
    .catch((error: unknown) => {
      if (error !== ROLLBACK) throw error;
    });
  return result as T;
}

/**
 * The run of `day` and what a user of the product sees of it: the worker's recorded run, or the
 * exhaustive one (the oracle), which is not recorded.
 */
async function runAndRead(db: Executor, tenant: Tenant, day: IsoDate, exhaustive: boolean) {
  const now = new Date(`${day}T09:05:00Z`);
  const before = await sql<{ seq: number | null }>`
    select max(seq) as seq from domain_events where tenant_id = ${tenant.id}`.execute(db);
  const report = exhaustive
    ? await runDay(db, tenant, day, { now, exhaustive })
    : await runTenantDay(db, tenant, day, now);
  const standings = await db
    .selectFrom("standings")
    .select(["subject_kind", "subject_id", "standing", "since", "reason", "reopened_on"])
    .where("tenant_id", "=", tenant.id)
    .orderBy("subject_kind")
    .orderBy("subject_id")
    .execute();
  const transitions = await db
    .selectFrom("standing_transitions")
    .select(["subject_kind", "subject_id", "from_standing", "to_standing", "reason", "effective_on"])
    .where("tenant_id", "=", tenant.id)
    .where("at", "=", now)
    .orderBy("subject_id")
    .execute();
  const events = await sql<{ type: string; customer_id: string; payload: unknown; occurred_at: Date }>`
    select type, customer_id, payload, occurred_at from domain_events
    where tenant_id = ${tenant.id} and seq > ${before.rows[0]?.seq ?? 0}
      and (type like '%.standing_changed' or type = 'invoice.overdue')
    order by type, customer_id, payload::text`.execute(db);
  const changes = [...report.standing].sort((a, b) =>
    `${a.subjectKind}${a.from}${a.to}`.localeCompare(`${b.subjectKind}${b.from}${b.to}`),
  );
  return { changes, standings, transitions, events: events.rows };
}

/** A few writes of the kinds the product makes between two runs, on random customers. */
async function writeBetweenRuns(
  db: Kysely<Database>,
  tenant: Tenant,
  customers: string[],
  random: Random,
  day: IsoDate,
  count: number,
): Promise<void> {
  const at = new Date(`${day}T15:00:00Z`);
  for (let write = 0; write < count; write += 1) {
    const customerId = pick(random, customers);
    const open = await db
      .selectFrom("invoices")
      .select(["id", "amount_cents", "paid_cents", "due_date"])
      .where("tenant_id", "=", tenant.id)
      .where("customer_id", "=", customerId)
      .where("status", "=", "open")
      .orderBy("due_date")
      .execute();
    const invoice = open.length > 0 ? pick(random, open) : undefined;
    const kind = pick(random, [
      "payment",
      "pause",
      "release",
      "dispute",
      "overdue invoice",
      "later invoice",
      "cancel",
      "tags",
      "reopen",
    ] as const);
    try {
      if (kind === "payment" && invoice) {
        const full = random() < 0.5;
        await recordPayment(
          db,
          tenant,
          {
            externalId: `pag-inc-${day}-${write}-${invoice.id.slice(0, 8)}`,
            invoiceId: invoice.id,
            amountCents: full
              ? Number(invoice.amount_cents) - Number(invoice.paid_cents)
              : Math.max(1, Math.floor((Number(invoice.amount_cents) - Number(invoice.paid_cents)) / 3)),
            paidAt: at,
          },
          at,
        );
      } else if (kind === "pause") {
        await pauseCustomer(
          db,
          tenant.id,
          customerId,
          { until: addDays(day, between(random, 0, 4)), reason: "cliente pediu prazo" },
          at,
        );
      } else if (kind === "release") {
        const pause = await db
          .selectFrom("customer_pauses")
          .select("id")
          .where("tenant_id", "=", tenant.id)
          .where("customer_id", "=", customerId)
          .where("released_at", "is", null)
          .executeTakeFirst();
        if (pause) await releasePause(db, tenant.id, pause.id, at);
      } else if (kind === "dispute" && invoice) {
        await disputeInvoice(db, tenant.id, invoice.id, "cliente contesta a cobrança");
      } else if (kind === "overdue invoice" || kind === "later invoice") {
        const due = addDays(
          day,
          kind === "overdue invoice" ? -between(random, 1, 80) : between(random, 0, 10),
        );
        await addInvoice(db, tenant, { id: customerId, name: "" }, due, between(random, 30_00, 900_00));
      } else if (kind === "cancel" && invoice) {
        await changeInvoiceStatus(db, tenant.id, invoice.id, "cancelled");
      } else if (kind === "tags") {
        // the "vip" régua has thresholds of its own: the customer's standing follows it
        await db
          .updateTable("customers")
          .set({ tags: random() < 0.5 ? ["vip"] : [] })
          .where("tenant_id", "=", tenant.id)
          .where("id", "=", customerId)
          .execute();
      } else if (kind === "reopen") {
        await reopenCustomer(db, tenant.id, customerId, "acordo verbal com o cliente", day, at);
      }
    } catch (error) {
      // refused by the product (not cancelled, nothing to reopen, an amount out of range): no write
      if (!(error instanceof Error) || !("code" in error)) throw error;
    }
  }
}

describe("standing: the daily run's incremental pass and deciding every customer agree", () => {
  for (const seed of [3, 404, 2026, 7]) {
    it(`day after day on a random portfolio (seed ${seed}): the same changes, transitions and events`, async () => {
      const random = seeded(seed);
      const db = handle.db;
      const tenant = await tenantWithDefaultRegua(db);
      const [base] = await listPolicies(db, tenant.id);
      // a second régua by tag, counting business days, with a minimum amount on one seed in two
      // (with none, invoices that only became overdue need not be looked at)
      await savePolicy(db, tenant.id, {
        ...base!,
        name: "vip",
        priority: 1,
        segment: { ...base!.segment, tags: ["vip"] },
        standing: {
          warningDays: 3,
          suspendedDays: 8,
          cancelledDays: 25,
          dayKind: "business",
          minimumCents: seed % 2 === 0 ? 200_00 : 0,
        },
      });
      const portfolio = await randomPortfolio(db, tenant, random, START, 16);
      const customers = portfolio.map((customer) => customer.id);
      let day: IsoDate = START;
      let fingerprints = 0;
      let lastFingerprint = "";
      for (let round = 0; round < 10; round += 1) {
        const oracle = await rolledBack(db, (trx) => runAndRead(trx, tenant, day, true));
        const incremental = await runAndRead(db, tenant, day, false);
        expect({ day, ...incremental }).toEqual({ day, ...oracle });
        // the marks read were consumed; the decided day is recorded
        const marks = await db
          .selectFrom("standing_stale_customers")
          .select("customer_id")
          .where("tenant_id", "=", tenant.id)
          .execute();
        expect(marks).toEqual([]);
        const decision = await db
          .selectFrom("standing_decisions")
          .select(["decided_on", "fingerprint"])
          .where("tenant_id", "=", tenant.id)
          .executeTakeFirstOrThrow();
        expect(decision.decided_on).toBe(day);
        if (decision.fingerprint !== lastFingerprint) fingerprints += 1;
        lastFingerprint = decision.fingerprint;
        if (round === 6) {
          // the default régua's thresholds change: every customer is decided again
          await db
            .updateTable("policies")
            .set({ warning_days: 2, suspended_days: 12 })
            .where("tenant_id", "=", tenant.id)
            .where("id", "=", base!.id)
            .execute();
        }
        day = addDays(day, between(random, 1, 5));
        await writeBetweenRuns(db, tenant, customers, random, addDays(day, -1), between(random, 2, 8));
      }
      // one fingerprint before the thresholds changed, one after: the other days were incremental
      expect(fingerprints).toBe(2);
      const moved = await db
        .selectFrom("standing_transitions")
        .select((eb) => eb.fn.countAll<number>().as("count"))
        .where("tenant_id", "=", tenant.id)
        .executeTakeFirstOrThrow();
      expect(Number(moved.count)).toBeGreaterThan(10);
    }, 240_000);
  }
});
