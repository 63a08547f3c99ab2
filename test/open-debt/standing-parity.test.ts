import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { BusinessCalendar } from "../../src/domain/calendar.ts";
import { evaluateStanding, type Standing } from "../../src/domain/standing.ts";
import { getAgreementSettings } from "../../src/modules/agreements/agreement-settings.ts";
import { getOpenDebt, overdueCutoffOf } from "../../src/modules/open-debt/open-debt.service.ts";
import { overdueByCustomer } from "../../src/modules/open-debt/open-debt.sql.ts";
import { governingPolicy } from "../../src/modules/policies/governing-policy.sql.ts";
import { listPolicies } from "../../src/modules/policies/policy.service.ts";
import { applyStanding, decideCustomerStanding } from "../../src/modules/standing/standing.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { tenantWithDefaultRegua } from "../scenarios/regua-support.ts";
import { openTestDatabase } from "../support/test-database.ts";
import { type PortfolioCustomer, randomPortfolio, seeded } from "./random-portfolio.ts";

/**
 * Parity: the set-based standing decision (standing.sql.ts), which the applicator writes and every
 * reader reads, agrees with the pure specification `evaluateStanding` fed from the per-customer
 * open-debt model — over random portfolios (partial payments, agreements proposed, active, broken,
 * completed and cancelled, pauses, disputes, reopenings, invoices due later). And the open-debt
 * rule's set-based form agrees with its per-customer form on what they share.
 */
const TODAY = "2026-11-23";
let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

async function specification(tenant: Tenant, customerId: string): Promise<Standing> {
  const db = handle.db;
  const debt = await getOpenDebt(db, tenant, customerId, TODAY);
  const settings = await getAgreementSettings(db, tenant.id);
  // what counts for standing: overdue, still owed, not disputed; covered by an agreement only when
  // the tenant says invoices under an agreement keep counting
  const counted = debt.invoices.filter(
    (invoice) =>
      invoice.overdue &&
      invoice.balanceCents > 0 &&
      !invoice.disputed &&
      (invoice.owed || !settings.standingRecoversWhileActive),
  );
  const oldest = [...counted].sort((a, b) =>
    a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.id < b.id ? -1 : 1,
  )[0];
  const policies = await listPolicies(db, tenant.id);
  const governing = oldest
    ? await sql<{ policy_id: string }>`
        select ${governingPolicy()} as policy_id from invoices i
        join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id
        left join contracts ct on ct.tenant_id = i.tenant_id and ct.id = i.contract_id
        where i.tenant_id = ${tenant.id} and i.id = ${oldest.id}`.execute(db)
    : undefined;
  const policy = policies.find((candidate) => candidate.id === governing?.rows[0]?.policy_id) ?? policies[0]!;
  const recorded = await db
    .selectFrom("standings")
    .select(["standing", "reopened_on"])
    .where("tenant_id", "=", tenant.id)
    .where("subject_kind", "=", "customer")
    .where("subject_id", "=", customerId)
    .executeTakeFirst();
  const paused = await db
    .selectFrom("customer_pauses")
    .select("id")
    .where("tenant_id", "=", tenant.id)
    .where("customer_id", "=", customerId)
    .where("kind", "=", "pause")
    .where("released_at", "is", null)
    .where("until", ">=", TODAY)
    .executeTakeFirst();
  return evaluateStanding(
    {
      current: recorded?.standing ?? "ok",
      oldestUnpaidDue: oldest?.dueDate ?? null,
      overdueCents: counted.reduce((sum, invoice) => sum + invoice.balanceCents, 0),
      thresholds: policy.standing,
      paused: paused !== undefined,
      reopenedOn: recorded?.reopened_on ?? null,
    },
    TODAY,
    new BusinessCalendar(tenant.extraHolidays),
  ).standing;
}

describe("standing: the set-based decision and evaluateStanding agree", () => {
  for (const seed of [13, 1013, 2026]) {
    it(`on a random portfolio (seed ${seed}), customer by customer, and the applicator records the same`, async () => {
      const tenant = await tenantWithDefaultRegua(handle.db);
      const portfolio: PortfolioCustomer[] = await randomPortfolio(
        handle.db,
        tenant,
        seeded(seed),
        TODAY,
        18,
      );
      const decided = new Map<string, Standing>();
      for (const customer of portfolio) {
        const [own] = await decideCustomerStanding(handle.db, tenant, customer.id, TODAY);
        const expected = await specification(tenant, customer.id);
        expect({ customer: customer.id, agreement: customer.agreement, standing: own!.standing }).toEqual({
          customer: customer.id,
          agreement: customer.agreement,
          standing: expected,
        });
        decided.set(customer.id, own!.standing);
      }
      // the applicator runs the same decision for the whole tenant and records exactly that
      await applyStanding(handle.db, tenant, TODAY, { now: new Date(`${TODAY}T09:00:00Z`) });
      const recorded = await handle.db
        .selectFrom("standings")
        .select(["subject_id", "standing"])
        .where("tenant_id", "=", tenant.id)
        .where("subject_kind", "=", "customer")
        .execute();
      const recordedOf = new Map(recorded.map((row) => [row.subject_id, row.standing]));
      for (const [customerId, standing] of decided) expect(recordedOf.get(customerId) ?? "ok").toBe(standing);
      // a portfolio worth the name: several standings and agreement states occur
      expect(new Set(decided.values()).size).toBeGreaterThanOrEqual(2);
    });
  }

  it("the open-debt rule's set-based form sums what the per-customer form sums", async () => {
    const tenant = await tenantWithDefaultRegua(handle.db);
    const portfolio = await randomPortfolio(handle.db, tenant, seeded(77), TODAY, 18);
    const rows = await sql<{
      customer_id: string;
      overdue_cents: number;
      overdue_invoices: number;
      oldest_due: string;
    }>`select * from ${overdueByCustomer(tenant.id, overdueCutoffOf(tenant, TODAY))} d`.execute(handle.db);
    const setBased = new Map(rows.rows.map((row) => [row.customer_id, row]));
    for (const customer of portfolio) {
      const { totals } = await getOpenDebt(handle.db, tenant, customer.id, TODAY);
      const row = setBased.get(customer.id);
      expect({
        overdueCents: Number(row?.overdue_cents ?? 0),
        overdueInvoices: Number(row?.overdue_invoices ?? 0),
        oldestOverdueDue: row?.oldest_due ?? null,
      }).toEqual({
        overdueCents: totals.overdueBalanceCents,
        overdueInvoices: totals.overdueInvoices,
        oldestOverdueDue: totals.oldestOverdueDue,
      });
    }
  });
});
