import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBoleto } from "../../src/domain/boleto.ts";
import { addDays } from "../../src/domain/dates.ts";
import { proposeAgreement } from "../../src/modules/agreements/agreement.service.ts";
import { recordPayment } from "../../src/modules/payments/payment.service.ts";
import { applyStanding } from "../../src/modules/standing/standing.service.ts";
import { tenantFromRow } from "../../src/modules/tenants/tenant.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { mintLinkPath, Visitor } from "../portal/portal-support.ts";
import { addCustomer, addInvoice, tenantWithDefaultRegua } from "../scenarios/regua-support.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";

/**
 * The régua where debt, agreements and standing meet. Today is Monday 2026-11-23 in São Paulo; the
 * creditor charges 2% fine and 1% a month, issues boleto (Bradesco) and Pix; the default régua warns
 * after 5 days, suspends after 20 and cancels after 60.
 */
const TODAY = "2026-11-23";
const clock = new FixedClock(`${TODAY}T15:00:00Z`);
let test: ApiTest<Tenant>;
const analyst = {
  kind: "operator" as const,
  id: "00000000-0000-4000-8000-00000000a001",
  role: "analyst" as const,
};

beforeAll(async () => {
  test = await startApiTest(clock, async (handle) => {
    const base = await tenantWithDefaultRegua(handle.db);
    const row = await handle.db
      .updateTable("tenants")
      .set({
        boleto_bank_code: "237",
        boleto_agency: "1234",
        boleto_account: "1234567",
        pix_key: "financeiro@credora.com.br",
        pix_merchant_city: "SAO PAULO",
      })
      .where("id", "=", base.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return tenantFromRow(row);
  });
});
afterAll(async () => {
  await test?.close();
});

async function debtorOwing(due: string, cents: number) {
  const customer = await addCustomer(test.handle.db, test.tenant);
  const invoiceId = await addInvoice(test.handle.db, test.tenant, customer, due, cents);
  await test.handle.db
    .updateTable("invoices")
    .set({ our_number: 9000 + cents })
    .where("id", "=", invoiceId)
    .execute();
  return { customerId: customer.id, invoiceId };
}

async function agreementFor(customerId: string, invoiceId: string) {
  return proposeAgreement(
    test.handle.db,
    test.tenant,
    { customerId, terms: { invoiceIds: [invoiceId], installments: 2 }, actor: analyst },
    clock,
  );
}

describe("after an agreement", () => {
  it("the customer page shows only the installments owed; the original is marked 'Em acordo'", async () => {
    // R$ 1.990,00 due 2026-10-05, 49 days late: + 39,80 fine + 32,50 interest (1% a month × 49/30)
    const { customerId, invoiceId } = await debtorOwing("2026-10-05", 1_990_00);
    const before = await test.call(test.key, "GET", `/v1/customers/${customerId}/overview`);
    expect(before.body.badges.totalDueTodayCents).toBe(2_062_30);
    const agreement = await agreementFor(customerId, invoiceId);
    const installments = agreement.installments.reduce(
      (sum, installment) => sum + installment.amountCents,
      0,
    );

    const after = await test.call(test.key, "GET", `/v1/customers/${customerId}/overview`);
    expect(after.body.badges.totalDueTodayCents).toBe(installments);
    const original = after.body.invoices.find((invoice: { id: string }) => invoice.id === invoiceId);
    expect(original).toMatchObject({
      status: "open",
      owed: false,
      agreement: { id: agreement.id, status: "proposed" },
    });
    const owedRows = after.body.invoices.filter((invoice: { owed: boolean }) => invoice.owed);
    expect(owedRows.map((invoice: { id: string }) => invoice.id).sort()).toEqual(
      agreement.installments.map((installment) => installment.invoiceId).sort(),
    );
  });
});

describe("the login banner", () => {
  it("of a customer under an active agreement says ok and the portal's amount", async () => {
    // 30 days late: suspended by the régua…
    const { customerId, invoiceId } = await debtorOwing("2026-10-24", 500_00);
    await applyStanding(test.handle.db, test.tenant, TODAY);
    const suspended = await test.call(test.key, "GET", `/v1/customers/${customerId}/standing`);
    expect(suspended.body).toMatchObject({ status: "suspended", blocked: true });
    // …until an agreement whose first installment is paid today
    const agreement = await agreementFor(customerId, invoiceId);
    const [first] = agreement.installments;
    await recordPayment(
      test.handle.db,
      test.tenant,
      {
        externalId: "pag-entrada-banner",
        invoiceId: first!.invoiceId,
        amountCents: first!.amountCents,
        paidAt: clock.now(),
      },
      clock.now(),
    );
    const banner = await test.call(test.key, "GET", `/v1/customers/${customerId}/standing`);
    expect(banner.body).toMatchObject({ status: "ok", blocked: false });
    const second = agreement.installments[1]!;
    expect(banner.body.amountDueCents).toBe(second.amountCents);

    const visitor = new Visitor(test.server);
    await visitor.enter(await mintLinkPath(test.call, test.key, customerId), "39053");
    const home = await visitor.get("/portal");
    expect(home.text).toContain(`R$ ${(second.amountCents / 100).toFixed(2).replace(".", ",")}`);
    expect(home.text).not.toContain('class="alert"');
  });

  it("of a blocked customer shows the amount of the day with a boleto for it and a printable second copy", async () => {
    // R$ 300,00 due 2026-10-14, 40 days late: 300 + 6,00 fine + 4,00 interest = R$ 310,00
    const { customerId } = await debtorOwing("2026-10-14", 300_00);
    const { body: minted } = await test.call(test.key, "POST", `/v1/customers/${customerId}/standing-token`, {
      body: {},
    });
    const banner = await test.call(null, "GET", `/embed/standing?token=${encodeURIComponent(minted.token)}`);
    expect(banner.body).toMatchObject({ status: "suspended", blocked: true, amountDueCents: 310_00 });
    const [pending] = banner.body.pending;
    expect(pending.totalDueCents).toBe(310_00);
    expect(parseBoleto(pending.typeableLine, TODAY)).toMatchObject({ amountCents: 310_00, dueDate: TODAY });
    expect(pending.pixPayload).toContain("5406310.00");
    const pdf = await fetch(`${test.server.url}${pending.links.secondCopyPdf}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toContain("application/pdf");
    // not yet due invoices are no arrears: a customer owing only next month's is ok
    const { customerId: upToDate } = await debtorOwing(addDays(TODAY, 10), 100_00);
    const fine = await test.call(test.key, "GET", `/v1/customers/${upToDate}/standing`);
    expect(fine.body).toMatchObject({
      status: "ok",
      daysOverdue: 0,
      amountDueCents: 100_00,
      overdueCents: 0,
    });
  });
});

describe("reopening a cancelled customer", () => {
  it("POST /v1/customers/{id}/reopen: ok at once, audited, an event; thresholds then count from the reopening", async () => {
    // 70 days late: cancelled
    const { customerId } = await debtorOwing("2026-09-14", 200_00);
    await applyStanding(test.handle.db, test.tenant, TODAY);
    expect((await test.call(test.key, "GET", `/v1/customers/${customerId}/standing`)).body.status).toBe(
      "cancelled",
    );

    const missing = await test.call(test.key, "POST", `/v1/customers/${customerId}/reopen`, {
      body: { reason: " " },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe("reason");

    const reopened = await test.call(test.key, "POST", `/v1/customers/${customerId}/reopen`, {
      body: { reason: "acordo verbal com o gerente" },
    });
    expect(reopened.status, reopened.text).toBe(200);
    expect(reopened.body).toMatchObject({ standing: "ok", reopenedOn: TODAY });
    const again = await test.call(test.key, "POST", `/v1/customers/${customerId}/reopen`, {
      body: { reason: "de novo" },
    });
    expect(again.status).toBe(409);

    const events = await test.handle.db
      .selectFrom("domain_events")
      .select(["type", "payload"])
      .where("tenant_id", "=", test.tenant.id)
      .where("customer_id", "=", customerId)
      .where("type", "=", "customer.standing_changed")
      .execute();
    expect(events.map((event) => event.payload)).toContainEqual(
      expect.objectContaining({
        from: "cancelled",
        to: "ok",
        reason: "reaberto pelo operador: acordo verbal com o gerente",
      }),
    );
    const audit = await test.handle.db
      .selectFrom("audit_log")
      .select(["action", "resource_id"])
      .where("tenant_id", "=", test.tenant.id)
      .where("resource_id", "=", customerId)
      .execute();
    expect(audit.map((entry) => entry.action)).toContain("POST /v1/customers/:id/reopen");

    // the daily run the same day keeps it ok (the debt is still 70 days old)
    await applyStanding(test.handle.db, test.tenant, TODAY);
    expect((await test.call(test.key, "GET", `/v1/customers/${customerId}/standing`)).body.status).toBe("ok");
    // 4 days after the reopening: still ok; 5 days: warning; 20 days: suspended
    for (const [days, expected] of [
      [4, "ok"],
      [5, "warning"],
      [20, "suspended"],
    ] as const) {
      const day = addDays(TODAY, days);
      await applyStanding(test.handle.db, test.tenant, day);
      const recorded = await test.handle.db
        .selectFrom("standings")
        .select("standing")
        .where("tenant_id", "=", test.tenant.id)
        .where("subject_kind", "=", "customer")
        .where("subject_id", "=", customerId)
        .executeTakeFirstOrThrow();
      expect({ day, standing: recorded.standing }).toEqual({ day, standing: expected });
    }
  });
});
