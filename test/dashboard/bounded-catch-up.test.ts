import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catchUpInBatches } from "../../src/db/batches.ts";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { addDays } from "../../src/domain/dates.ts";
import {
  refreshAllAttribution,
  refreshAttribution,
} from "../../src/modules/attribution/attribution.service.ts";
import { getPanel } from "../../src/modules/dashboard/panel.service.ts";
import { foldAllPanelRollups, foldPanelRollup } from "../../src/modules/dashboard/panel-rollup.service.ts";
import { overdueCutoffOf } from "../../src/modules/open-debt/open-debt.service.ts";
import { settlePayment } from "../../src/modules/payments/payment.service.ts";
import { tenantFromRow } from "../../src/modules/tenants/tenant.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { directOverdueCustomers } from "../support/panel-oracle.ts";
import { openTestDatabase } from "../support/test-database.ts";

/**
 * A rollup's catch-up on screen is bounded (src/db/batches.ts): after an upgrade every customer is
 * stale at once, and a panel or recovery report whose budget runs out reads what the rollup has,
 * says how many customers are pending, and leaves the rest to the worker's tick — which brings the
 * figures to what a direct reading of the invoices gives.
 */
const TODAY = "2026-11-16";
const CUSTOMERS = 7;

let handle: DatabaseHandle;
let tenant: Tenant;
const invoiceIds: string[] = [];

beforeAll(async () => {
  handle = await openTestDatabase();
  tenant = tenantFromRow(await insertTestTenant(handle.db));
  for (let index = 0; index < CUSTOMERS; index += 1) {
    const customer = await sql<{ id: string }>`
      insert into customers (tenant_id, external_id, name, document, kind)
      values (${tenant.id}::uuid, ${`c${index}`}, ${`Cliente ${index}`}, '52998224725', 'person')
      returning id`.execute(handle.db);
    // two invoices 20 days overdue each: a payment of one leaves the customer overdue
    const invoices = await sql<{ id: string }>`
      insert into invoices (tenant_id, external_id, customer_id, amount_cents, issue_date, due_date)
      select ${tenant.id}::uuid, ${`f${index}-`} || n, ${customer.rows[0]!.id}::uuid, 10000,
        ${addDays(TODAY, -50)}::date, ${addDays(TODAY, -20)}::date
      from generate_series(1, 2) n
      returning id`.execute(handle.db);
    invoiceIds.push(invoices.rows[0]!.id);
  }
});

afterAll(async () => {
  await handle?.close();
});

describe("catchUpInBatches", () => {
  it("runs one batch when the budget is spent, and every batch up to a short one without a budget", async () => {
    const items = (sizes: number[]) => {
      const left = [...sizes];
      return {
        any: () => Promise.resolve(left.length > 0),
        takeBatch: () => Promise.resolve(left.shift() ?? 0),
        count: () => Promise.resolve(left.reduce((sum, size) => sum + size, 0)),
      };
    };
    expect(await catchUpInBatches(items([3, 3, 1]), 3, 0)).toEqual({ taken: 3, pending: 4 });
    expect(await catchUpInBatches(items([3, 3, 1]), 3)).toEqual({ taken: 7, pending: 0 });
    // a last batch exactly full needs one more (empty) batch to know nothing is left
    expect(await catchUpInBatches(items([3, 3]), 3)).toEqual({ taken: 6, pending: 0 });
    expect(await catchUpInBatches(items([]), 3, 0)).toEqual({ taken: 0, pending: 0 });
  });
});

describe("the panel's fold on a budget", () => {
  it("folds one batch, counts the customers left, and the worker's fold completes the figures", async () => {
    const cutoff = overdueCutoffOf(tenant, TODAY);
    const partial = await foldPanelRollup(handle.db, tenant.id, 0, 3);
    expect(partial).toEqual({ folded: 3, pending: CUSTOMERS - 3 });

    // the sums hold the folded customers only, which is what the notice warns of
    const shown = await sql<{ customers: number }>`
      select coalesce(sum(customers), 0)::int as customers from panel_due_days
      where tenant_id = ${tenant.id}::uuid`.execute(handle.db);
    expect(shown.rows[0]!.customers).toBe(3);

    expect(await foldAllPanelRollups(handle.db)).toEqual({ tenants: 1, customers: CUSTOMERS - 3 });
    const panel = await getPanel(handle.db, tenant, TODAY, handle.db, 0);
    expect(panel.pendingCustomers).toBe(0);
    expect(panel.overdue.customers).toBe(
      (await directOverdueCustomers(handle.db, tenant.id, TODAY, cutoff)).customers,
    );
    expect(panel.overdue).toEqual({
      cents: CUSTOMERS * 2 * 10000,
      invoices: CUSTOMERS * 2,
      customers: CUSTOMERS,
    });
  });
});

describe("the recovery report's refresh on a budget", () => {
  it("refreshes one batch, counts the customers left, and the worker's tick refreshes the rest", async () => {
    await refreshAllAttribution(handle.db); // the invoices' own marks, if any: the payments mark anew
    let serial = 0;
    for (const invoiceId of invoiceIds) {
      serial += 1;
      await settlePayment(
        handle.db,
        tenant,
        {
          source: "bank_file",
          idempotencyKey: `pay-${serial}`,
          invoiceId,
          amountCents: 10000,
          method: "boleto",
          paidAt: new Date(`${TODAY}T12:00:00Z`),
        },
        new Date(`${TODAY}T15:00:00Z`),
      );
    }
    expect(await refreshAttribution(handle.db, tenant.id, 0, 2)).toEqual({
      refreshed: 2,
      pending: CUSTOMERS - 2,
    });
    expect(await refreshAllAttribution(handle.db)).toEqual({ tenants: 1, customers: CUSTOMERS - 2 });
    expect(await refreshAttribution(handle.db, tenant.id, 0, 2)).toEqual({ refreshed: 0, pending: 0 });
  });
});
