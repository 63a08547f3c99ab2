import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { runDay } from "../../src/modules/daily-run/daily-run.service.ts";
import { importCsvFile } from "../../src/modules/imports/import.service.ts";
import { Dispatcher } from "../../src/modules/messages/dispatcher.ts";
import { configureGateway, recordGatewayPayment } from "../../src/modules/payments/gateway.service.ts";
import { recordPayment } from "../../src/modules/payments/payment.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { openTestDatabase } from "../support/test-database.ts";
import {
  actionsOf,
  addCustomer,
  addInvoice,
  standingOf,
  type TestCustomer,
  tenantWithDefaultRegua,
} from "./regua-support.ts";

let handle: DatabaseHandle;
let tenant: Tenant;

// Monday 2026-11-02, 10:00 in São Paulo: the morning the payments arrive
const paymentMorning = new Date("2026-11-02T13:00:00Z");

beforeAll(async () => {
  handle = await openTestDatabase();
  tenant = await tenantWithDefaultRegua(handle.db);
});
afterAll(async () => {
  await handle?.close();
});

async function externalIdOf(invoiceId: string): Promise<string> {
  const row = await handle.db
    .selectFrom("invoices")
    .select("external_id")
    .where("tenant_id", "=", tenant.id)
    .where("id", "=", invoiceId)
    .executeTakeFirstOrThrow();
  return row.external_id;
}

/** The outbox as a webhook endpoint would hear it about this customer: "<type> <detail>". */
async function eventsOf(customer: TestCustomer): Promise<string[]> {
  const rows = await handle.db
    .selectFrom("domain_events")
    .select(["type", "payload", "occurred_at"])
    .where("tenant_id", "=", tenant.id)
    .where("customer_id", "=", customer.id)
    .where("occurred_at", ">=", paymentMorning)
    .orderBy("seq")
    .execute();
  return rows.map((row) => {
    const payload = (typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload) as {
      from?: string;
      to?: string;
      invoice?: { status: string };
    };
    return row.type === "customer.standing_changed"
      ? `${row.type} ${payload.from} → ${payload.to}`
      : `${row.type} ${payload.invoice?.status ?? ""}`.trim();
  });
}

describe("every path in, the same effects: a suspended customer pays", () => {
  it("through the API, a CSV file or a gateway: standing ok at once, events in the outbox, the régua stops", async () => {
    const byApi = await addCustomer(handle.db, tenant);
    const byCsv = await addCustomer(handle.db, tenant);
    const byGateway = await addCustomer(handle.db, tenant);
    const invoices = new Map<TestCustomer, string>();
    for (const customer of [byApi, byCsv, byGateway]) {
      invoices.set(customer, await addInvoice(handle.db, tenant, customer, "2026-10-01", 15_000));
    }
    // D+30: suspended (20 days), the negotiation task planned for the next business day
    await runDay(handle.db, tenant, "2026-10-31");
    for (const customer of [byApi, byCsv, byGateway]) {
      expect(await standingOf(handle.db, tenant, customer.id)).toBe("suspended");
      expect((await actionsOf(handle.db, tenant, invoices.get(customer)!)).map((a) => a.status)).toContain(
        "planned",
      );
    }

    // R$ 150,00 + 2% fine + 1% a month for 32 days: what the debtor pays to settle
    const amount = 15_000 + 300 + 160;
    await recordPayment(
      handle.db,
      tenant,
      {
        externalId: "api-1",
        invoiceId: invoices.get(byApi)!,
        amountCents: amount,
        method: "pix",
        paidAt: paymentMorning,
      },
      paymentMorning,
    );
    const folder = mkdtempSync(join(tmpdir(), "regua-payments-"));
    const file = join(folder, "pagamentos.csv");
    writeFileSync(
      file,
      `external_id;invoice_external_id;amount;paid_at;method\ncsv-1;${await externalIdOf(invoices.get(byCsv)!)};154,60;02/11/2026;pix\n`,
    );
    const report = await importCsvFile(handle.db, tenant, "payments", file, {
      today: "2026-11-02",
      now: paymentMorning,
    });
    expect(report).toMatchObject({ inserted: 1, failed: 0 });
    await configureGateway(handle.db, tenant.id, "pagbank");
    await recordGatewayPayment(
      handle.db,
      tenant,
      "pagbank",
      {
        id: "PAG-1",
        invoiceExternalId: await externalIdOf(invoices.get(byGateway)!),
        amountCents: amount,
        paidAt: paymentMorning.toISOString(),
        method: "pix",
      },
      new FixedClock(paymentMorning),
    );

    for (const customer of [byApi, byCsv, byGateway]) {
      const invoiceId = invoices.get(customer)!;
      expect(await standingOf(handle.db, tenant, customer.id)).toBe("ok");
      expect(await eventsOf(customer)).toEqual([
        "customer.standing_changed suspended → ok",
        "invoice.paid paid",
      ]);
      const actions = await actionsOf(handle.db, tenant, invoiceId);
      expect(actions.filter((action) => action.status === "planned")).toEqual([]);
      expect(actions.find((action) => action.step === "D+30")).toMatchObject({
        status: "skipped",
        reason: "paid",
      });
    }
    const sources = await handle.db
      .selectFrom("payments")
      .select(["external_id", "source"])
      .where("tenant_id", "=", tenant.id)
      .orderBy("external_id")
      .execute();
    expect(sources).toEqual([
      { external_id: "api-1", source: "api" },
      { external_id: "csv-1", source: "csv" },
      { external_id: "pagbank:PAG-1", source: "gateway" },
    ]);

    // the next business day nothing goes out to any of them
    const dispatcher = new Dispatcher(handle.db, {
      clock: new FixedClock(new Date("2026-11-03T15:00:00Z")),
      tenantId: tenant.id,
    });
    const sent = await dispatcher.drain();
    await dispatcher.close();
    expect(sent).toMatchObject({ queued: 0, sent: 0 });
  });
});
