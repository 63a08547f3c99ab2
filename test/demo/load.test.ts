import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { parseBoleto } from "../../src/domain/boleto.ts";
import { isValidCnpj } from "../../src/domain/documents.ts";
import { parseBrazilianAmount } from "../../src/domain/money.ts";
import { parsePixPayload } from "../../src/domain/pix.ts";
import { type CsvRow, generateDemoPortfolio } from "../../src/modules/demo/demo.generator.ts";
import { type DemoLoadResult, loadDemo, summarizePortfolio } from "../../src/modules/demo/demo.service.ts";
import { overdueCutoffOf } from "../../src/modules/open-debt/open-debt.service.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { openTestDatabase } from "../support/test-database.ts";

const TODAY = "2026-11-23";
const OPTIONS = { customers: 200, seed: 11, today: TODAY, chunkSize: 64 };

let handle: DatabaseHandle;
let first: DemoLoadResult;
const progress: [number, number][] = [];
const generated = { customers: [] as CsvRow[], invoices: [] as CsvRow[], payments: [] as CsvRow[] };

beforeAll(async () => {
  handle = await openTestDatabase();
  for (const chunk of generateDemoPortfolio(OPTIONS)) {
    generated.customers.push(...chunk.customers);
    generated.invoices.push(...chunk.invoices);
    generated.payments.push(...chunk.payments);
  }
});

afterAll(async () => {
  await handle?.close();
});

async function countOf(table: "customers" | "invoices" | "payments" | "contacts", tenantId: string) {
  const row = await handle.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("tenant_id", "=", tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

describe("loadDemo", () => {
  it("refuses to write into a real (non-demo) tenant that holds the 'demo' slug", async () => {
    const impostor = await insertTestTenant(handle.db, { slug: "demo", legalName: "Credor Real Ltda" });
    await expect(loadDemo(handle.db, OPTIONS)).rejects.toMatchObject({ code: "conflict" });
    expect(await countOf("customers", impostor.id)).toBe(0);
    await handle.db.deleteFrom("tenants").where("id", "=", impostor.id).execute();
  });

  it("creates the demo tenant and imports every generated row without a single failure", async () => {
    first = await loadDemo(handle.db, {
      ...OPTIONS,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(first.errors).toEqual([]);
    expect(first.tenantCreated).toBe(true);
    expect(first.tenant).toMatchObject({
      slug: "demo",
      isDemo: true,
      legalName: "Empresa Demonstração Régua Ltda",
    });
    expect(isValidCnpj(first.tenant.document)).toBe(true);
    expect(first.tenant.address).toContain("São Paulo/SP");
    expect(first.customers).toMatchObject({ total: 200, inserted: 200, failed: 0 });
    expect(first.invoices).toMatchObject({
      total: generated.invoices.length,
      inserted: generated.invoices.length,
      failed: 0,
    });
    expect(first.payments).toMatchObject({
      total: generated.payments.length,
      inserted: generated.payments.length,
      failed: 0,
    });
    expect(progress).toEqual([
      [64, 200],
      [128, 200],
      [192, 200],
      [200, 200],
    ]);
  });

  it("stores exactly what the generator produced: customers, contacts, invoices, payments", async () => {
    const tenantId = first.tenant.id;
    expect(await countOf("customers", tenantId)).toBe(generated.customers.length);
    expect(await countOf("invoices", tenantId)).toBe(generated.invoices.length);
    expect(await countOf("payments", tenantId)).toBe(generated.payments.length);
    const contacts = await handle.db
      .selectFrom("contacts")
      .select(["channel", (eb) => eb.fn.countAll<number>().as("count")])
      .where("tenant_id", "=", tenantId)
      .groupBy("channel")
      .execute();
    const byChannel = Object.fromEntries(contacts.map((row) => [row.channel, Number(row.count)]));
    expect(byChannel.email).toBe(generated.customers.filter((row) => row.email).length);
    expect(byChannel.sms).toBe(generated.customers.filter((row) => row.mobile).length);
    expect(byChannel.whatsapp).toBe(generated.customers.filter((row) => row.whatsapp === "sim").length);

    const sample = await handle.db
      .selectFrom("customers")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("external_id", "=", generated.customers[0]!.external_id!)
      .executeTakeFirstOrThrow();
    const source = generated.customers[0]!;
    expect(sample).toMatchObject({
      name: source.name,
      address_city: source.city,
      address_state: source.state,
      address_postal_code: source.postal_code,
    });
    expect([...sample.tags].sort()).toEqual(source.tags!.split("|").sort());
  });

  it("marks paid exactly the invoices whose payment covers principal, fine and interest", async () => {
    const paidInFull = new Set(
      generated.payments
        .filter((payment) => {
          const invoice = generated.invoices.find((row) => row.external_id === payment.invoice_external_id)!;
          return parseBrazilianAmount(payment.amount!) >= parseBrazilianAmount(invoice.amount!);
        })
        .map((payment) => payment.invoice_external_id),
    );
    const rows = await handle.db
      .selectFrom("invoices")
      .select(["external_id", "status", "paid_cents"])
      .where("tenant_id", "=", first.tenant.id)
      .execute();
    const paid = rows.filter((row) => row.status === "paid").map((row) => row.external_id);
    expect(new Set(paid)).toEqual(paidInFull);
    expect(rows.filter((row) => row.status === "open").length).toBe(
      generated.invoices.length - paidInFull.size,
    );

    const summary = await summarizePortfolio(handle.db, first.tenant, TODAY);
    // overdue as the panel counts it: past the payable day (Friday 20/11 is a holiday, so Thursday
    // 19/11 is the last due date overdue on Monday 23/11), at the balance not yet paid
    const cutoff = overdueCutoffOf(first.tenant, TODAY);
    expect(cutoff).toBe("2026-11-19");
    const paidOf = (externalId: string | undefined) =>
      generated.payments
        .filter((payment) => payment.invoice_external_id === externalId)
        .reduce((sum, payment) => sum + parseBrazilianAmount(payment.amount!), 0);
    const overdue = generated.invoices.filter(
      (row) => row.due_date! <= cutoff && !paidInFull.has(row.external_id),
    );
    expect(summary).toMatchObject({
      customers: 200,
      invoices: generated.invoices.length,
      paidInvoices: paidInFull.size,
      overdueInvoices: overdue.length,
      overdueCents: overdue.reduce(
        (sum, row) => sum + parseBrazilianAmount(row.amount!) - paidOf(row.external_id),
        0,
      ),
      payments: generated.payments.length,
      paymentsCents: generated.payments.reduce((sum, row) => sum + parseBrazilianAmount(row.amount!), 0),
    });
    expect(summary.overdueCustomers).toBeGreaterThan(10);
  });

  it("gives every invoice a valid boleto line and Pix payload for its amount, from the demo tenant's settings", async () => {
    const rows = await handle.db
      .selectFrom("invoices")
      .select(["amount_cents", "due_date", "typeable_line", "pix_payload"])
      .where("tenant_id", "=", first.tenant.id)
      .execute();
    for (const row of rows) {
      const boleto = parseBoleto(row.typeable_line!, TODAY);
      expect(boleto).toMatchObject({
        kind: "bank",
        bankCode: "237",
        amountCents: row.amount_cents,
        dueDate: row.due_date,
      });
      const pix = parsePixPayload(row.pix_payload!);
      expect(pix.key).toBe(first.tenant.pixKey);
      expect(pix.amount).toBe((row.amount_cents / 100).toFixed(2));
    }
  });

  it("loads a second time without duplicating anything", async () => {
    const second = await loadDemo(handle.db, OPTIONS);
    expect(second.errors).toEqual([]);
    expect(second.tenantCreated).toBe(false);
    expect(second.tenant.id).toBe(first.tenant.id);
    for (const kind of ["customers", "invoices", "payments"] as const) {
      expect(second[kind]).toMatchObject({
        inserted: 0,
        updated: 0,
        failed: 0,
        unchanged: first[kind].total,
      });
    }
    expect(await countOf("customers", first.tenant.id)).toBe(200);
    expect(await countOf("invoices", first.tenant.id)).toBe(generated.invoices.length);
    expect(await countOf("payments", first.tenant.id)).toBe(generated.payments.length);
    const tenants = await handle.db.selectFrom("tenants").select("id").where("slug", "=", "demo").execute();
    expect(tenants).toHaveLength(1);
  });
});
