import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../../src/shared/clock.ts";
import { apiTenant, cpf } from "../../support/api-fixtures.ts";
import { type ApiTest, startApiTest } from "../../support/api-test.ts";
import type { Caller } from "../../support/http.ts";

/**
 * The dashboard's agreement form asks the server what the terms make before creating
 * (POST /v1/agreements/preview): what it shows must be exactly what POST /v1/agreements creates,
 * refused the same way, and the agreement page (GET /v1/agreements/{id}/overview) tells its number,
 * history, installments with today's amounts and the payments received.
 */
const clock = new FixedClock("2026-11-23T15:00:00Z");
let api: ApiTest<{ id: string; slug: string }>;
let analyst: Caller;
let viewer: Caller;

async function debtor(externalId: string): Promise<{ customerId: string; invoiceIds: string[] }> {
  const customer = await api.call(api.key, "POST", "/v1/customers", {
    body: { externalId, name: `Devedor ${externalId}`, document: cpf() },
  });
  const invoiceIds: string[] = [];
  for (const [suffix, amountCents, dueDate] of [
    ["a", 10_000, "2026-10-05"],
    ["b", 20_000, "2026-11-19"],
  ] as const) {
    const invoice = await api.call(api.key, "POST", "/v1/invoices", {
      body: {
        externalId: `${externalId}-${suffix}`,
        customerId: customer.body.id,
        amountCents,
        issueDate: "2026-09-01",
        dueDate,
      },
    });
    invoiceIds.push(invoice.body.id);
  }
  return { customerId: customer.body.id, invoiceIds };
}

async function agreementCount(): Promise<number> {
  const row = await api.handle.db
    .selectFrom("agreements")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("tenant_id", "=", api.tenant.id)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

beforeAll(async () => {
  api = await startApiTest(clock, apiTenant);
  analyst = await api.operator("analyst");
  viewer = await api.operator("viewer");
});

afterAll(() => api?.close());

describe("POST /v1/agreements/preview", () => {
  it("shows exactly what POST /v1/agreements then creates, and creates nothing itself", async () => {
    const { customerId, invoiceIds } = await debtor("previa-igual");
    const terms = {
      customerId,
      invoiceIds,
      downPaymentCents: 4_000,
      installments: 3,
      dayOfMonth: 15,
      firstDueDate: "2026-11-27",
      waiveFine: true,
      waiveInterest: false,
      principalDiscountBps: 500,
      monthlyInterestBps: 0,
    };
    const before = await agreementCount();
    const preview = await api.call(analyst, "POST", "/v1/agreements/preview", { body: terms });
    expect(preview.status, preview.text).toBe(200);
    expect(await agreementCount()).toBe(before);
    // debt of the day: 300,00 + fine 6,00 + interest 1,60 (A 49 days, B 4 days at 1% a month)
    expect(preview.body.debt.totalCents).toBe(30_790);
    expect(preview.body.concessions).toEqual({ fineCents: 600, interestCents: 0, discountCents: 1_500 });
    expect(preview.body.schedule).toEqual([
      { number: 0, dueDate: "2026-11-27", amountCents: 4_000 },
      // 307,90 − 6,00 fine − 15,00 (5% of 300,00) − 40,00 down = 246,90 in three
      { number: 1, dueDate: "2026-12-15", amountCents: 8_230 },
      { number: 2, dueDate: "2027-01-15", amountCents: 8_230 },
      { number: 3, dueDate: "2027-02-15", amountCents: 8_230 },
    ]);

    const created = await api.call(analyst, "POST", "/v1/agreements", { body: terms });
    expect(created.status, created.text).toBe(201);
    expect(created.body.totalCents).toBe(preview.body.totalCents);
    expect(created.body.concessionCents).toBe(preview.body.concessionCents);
    expect(created.body.terms).toEqual(preview.body.terms);
    expect(
      created.body.installments.map((entry: { number: number; dueDate: string; amountCents: number }) => ({
        number: entry.number,
        dueDate: entry.dueDate,
        amountCents: entry.amountCents,
      })),
    ).toEqual(preview.body.schedule);
  });

  it("refuses terms over the limits exactly as the creation does, naming the field, in words", async () => {
    const { customerId, invoiceIds } = await debtor("previa-limite");
    const base = { customerId, invoiceIds, installments: 3, dayOfMonth: 10 };
    for (const [over, field, words] of [
      [{ principalDiscountBps: 2_000 }, "principalDiscountBps", "desconto de no máximo 10%"],
      [{ installments: 30 }, "installments", "no máximo 24 parcelas"],
      [{ downPaymentCents: 1_000 }, "downPaymentCents", "a entrada mínima é de R$ 30,00"],
      [{ firstDueDate: "2027-03-01" }, "firstDueDate", "entre hoje (23/11/2026) e 22/01/2027"],
    ] as const) {
      const preview = await api.call(analyst, "POST", "/v1/agreements/preview", {
        body: { ...base, ...over },
      });
      const create = await api.call(analyst, "POST", "/v1/agreements", { body: { ...base, ...over } });
      expect(preview.status, field).toBe(400);
      expect(preview.body.error, field).toEqual(create.body.error);
      expect(preview.body.error.field).toBe(field);
      expect(preview.body.error.message).toContain(words);
    }
    expect((await api.call(viewer, "POST", "/v1/agreements/preview", { body: base })).status).toBe(403);
  });
});

describe("GET /v1/agreements/{id}/overview", () => {
  it("numbers agreements per tenant and tells the history, today's amounts and the payments", async () => {
    const { customerId, invoiceIds } = await debtor("pagina-acordo");
    const created = await api.call(analyst, "POST", "/v1/agreements", {
      body: { customerId, invoiceIds, installments: 2, dayOfMonth: 10, firstDueDate: "2026-11-23" },
    });
    expect(created.status, created.text).toBe(201);
    const id: string = created.body.id;
    const others = await api.call(viewer, "GET", "/v1/agreements");
    const numbers = others.body.data.map((entry: { number: number }) => entry.number).sort();
    expect(numbers).toEqual(numbers.map((_: number, index: number) => index + 1));

    const first = created.body.installments[0];
    const paid = await api.call(api.key, "POST", "/v1/payments", {
      body: {
        externalId: "pagamento-parcela-1",
        invoiceId: first.invoiceId,
        amountCents: first.amountCents,
        method: "pix",
        paidAt: "2026-11-23T14:00:00Z",
      },
    });
    expect(paid.status, paid.text).toBe(201);

    const overview = await api.call(viewer, "GET", `/v1/agreements/${id}/overview`);
    expect(overview.status, overview.text).toBe(200);
    expect(overview.body.agreement.number).toBe(created.body.number);
    expect(overview.body.customer).toEqual({ id: customerId, name: "Devedor pagina-acordo" });
    expect(overview.body.createdBy).toEqual({ kind: "operator", name: expect.any(String) });
    expect(overview.body.history.map((entry: { status: string }) => entry.status)).toEqual([
      "proposed",
      "active",
    ]);
    expect(
      overview.body.installments.map(
        (entry: { status: string; paidCents: number; todayCents: number | null }) => [
          entry.status,
          entry.paidCents,
          entry.todayCents,
        ],
      ),
    ).toEqual([
      ["paid", first.amountCents, null],
      ["open", 0, created.body.installments[1].amountCents],
    ]);
    expect(overview.body.payments).toEqual([
      {
        paymentId: expect.any(String),
        paidAt: "2026-11-23T14:00:00.000Z",
        amountCents: first.amountCents,
        method: "pix",
        installmentNumber: 1,
        originalInvoiceExternalId: null,
      },
    ]);

    const cancelled = await api.call(analyst, "POST", `/v1/agreements/${id}/cancel`, {
      body: { reason: "cliente vai pagar à vista" },
    });
    expect(cancelled.status, cancelled.text).toBe(200);
    const after = await api.call(viewer, "GET", `/v1/agreements/${id}/overview`);
    expect(after.body.history.map((entry: { status: string }) => entry.status)).toEqual([
      "proposed",
      "active",
      "cancelled",
    ]);
    expect(after.body.history[2].reason).toContain("cliente vai pagar à vista");
    const audit = await api.handle.db
      .selectFrom("audit_log")
      .select(["resource_type", "resource_id"])
      .where("tenant_id", "=", api.tenant.id)
      .where("action", "like", "%/cancel")
      .execute();
    expect(audit).toEqual([{ resource_type: "agreement", resource_id: id }]);
  });
});
