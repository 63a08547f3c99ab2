import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { behaviourOf, simulate } from "../../src/modules/simulation/day-by-day.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { openTestDatabase } from "../support/test-database.ts";
import { addCustomer, addInvoice, tenantWithDefaultRegua } from "./regua-support.ts";

/**
 * `regua simulate --replay`: the régua run day by day, seeded debtors paying after its messages.
 * A debtor who pays after a post-due notice pays what the open-debt read model says is owed that
 * day — fine and interest included — so the invoice is settled, not left open for the charges.
 */
const SEED = 7;
let handle: DatabaseHandle;
let tenant: Tenant;
const invoices: string[] = [];

beforeAll(async () => {
  handle = await openTestDatabase();
  tenant = await tenantWithDefaultRegua(handle.db);
  for (let index = 0; index < 12; index += 1) {
    const customer = await addCustomer(handle.db, tenant);
    // due Friday 2026-11-06: the D+6 e-mail and SMS go out in the simulated week
    invoices.push(await addInvoice(handle.db, tenant, customer, "2026-11-06", 200_00 + index * 1_00));
  }
}, 120_000);
afterAll(async () => {
  await handle?.close();
});

describe("regua simulate --replay", () => {
  it("a debtor who pays after a post-due notice pays the amount of the day and the invoice is settled", async () => {
    const days = await simulate(handle.db, tenant, "2026-11-10", "2026-11-16", SEED);
    const payers = invoices.filter((id) => behaviourOf(SEED, id) === "pays_when_overdue");
    expect(payers.length).toBeGreaterThan(0);
    const rows = await handle.db
      .selectFrom("invoices")
      .select(["id", "status", "amount_cents", "paid_cents"])
      .where("tenant_id", "=", tenant.id)
      .where("id", "in", payers)
      .execute();
    // each paid once, more than the face (2% fine and interest since 06/11), and nothing left open
    expect(rows.map((row) => ({ id: row.id, status: row.status }))).toEqual(
      rows.map((row) => ({ id: row.id, status: "paid" })),
    );
    for (const row of rows) expect(row.paid_cents).toBeGreaterThan(row.amount_cents);
    const paid = days.reduce((sum, day) => sum + day.paidCents, 0);
    expect(paid).toBe(rows.reduce((sum, row) => sum + row.paid_cents, 0));
    // the last day's overdue figure is the panel's: the balances of the invoices still open
    const open = await handle.db
      .selectFrom("invoices")
      .select(["amount_cents", "paid_cents"])
      .where("tenant_id", "=", tenant.id)
      .where("status", "=", "open")
      .execute();
    expect(open.length).toBe(invoices.length - payers.length);
    expect(days.at(-1)!.overdueCents).toBe(
      open.reduce((sum, row) => sum + row.amount_cents - row.paid_cents, 0),
    );
  }, 300_000);
});
