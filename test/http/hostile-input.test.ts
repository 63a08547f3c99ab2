import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/shared/clock.ts";
import { apiTenant, cpf } from "../support/api-fixtures.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";

/**
 * Input that used to reach a 500: each now gets a 4xx whose message, in pt-BR, names the field,
 * and nothing is written.
 */

// 23:30 in São Paulo on 2026-11-22 is already the 23rd in UTC: "today" is the tenant's day
const clock = new FixedClock("2026-11-23T02:30:00Z");
let api: ApiTest<Awaited<ReturnType<typeof apiTenant>>>;
let customerId: string;
let invoiceExternalId: string;

beforeAll(async () => {
  api = await startApiTest(clock, apiTenant);
  const customer = await api.call(api.key, "POST", "/v1/customers", {
    body: { externalId: "hostil-1", name: "Cliente Hostil", document: cpf() },
  });
  customerId = customer.body.id;
  invoiceExternalId = "hostil-fat-1";
  const invoice = await api.call(api.key, "POST", "/v1/invoices", {
    body: {
      externalId: invoiceExternalId,
      customerId,
      amountCents: 5_000,
      issueDate: "2026-10-01",
      dueDate: "2026-11-10",
    },
  });
  expect(invoice.status).toBe(201);
});
afterAll(async () => api?.close());

function expectFieldError(
  response: { status: number; body: { error: { field: string; message: string } } },
  status: number,
  field: string,
) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.error.field).toBe(field);
  expect(response.body.error.message).not.toMatch(/\b(expected|Invalid|Too big|received)\b/);
  expect(response.body.error.message).not.toMatch(/src\/|node_modules|\.ts:\d/);
}

describe("4xx, not 500", () => {
  it("POST /v1/contracts with an external id already used: 409 beside externalId", async () => {
    const body = { externalId: "ct-1", customerId, plan: "Fibra 300" };
    expect((await api.call(api.key, "POST", "/v1/contracts", { body })).status).toBe(201);
    const again = await api.call(api.key, "POST", "/v1/contracts", { body: { ...body, plan: "Outro" } });
    expectFieldError(again, 409, "externalId");
    expect(again.body.error.message).toMatch(/já existe/);
  });

  it("year 0000 in issueDate, startedOn and promisedOn: 400 beside each", async () => {
    const invoice = await api.call(api.key, "POST", "/v1/invoices", {
      body: {
        externalId: "y0",
        customerId,
        amountCents: 100,
        issueDate: "0000-01-01",
        dueDate: "2026-12-10",
      },
    });
    expectFieldError(invoice, 400, "issueDate");
    expect(invoice.body.error.message).toMatch(/ano/);
    const contract = await api.call(api.key, "POST", "/v1/contracts", {
      body: { externalId: "ct-y0", customerId, plan: "Fibra", startedOn: "0000-02-29" },
    });
    expectFieldError(contract, 400, "startedOn");
    const analyst = await api.operator("analyst");
    const call = await api.call(analyst, "POST", `/v1/customers/${customerId}/calls`, {
      body: { outcome: "answered", promisedOn: "0000-03-01", promisedCents: 100 },
    });
    expectFieldError(call, 400, "promisedOn");
  });

  it("a lone UTF-16 surrogate in a description or an external id: 400 beside it", async () => {
    const description = await api.call(api.key, "POST", "/v1/invoices", {
      raw: `{"externalId":"sur-1","customerId":"${customerId}","amountCents":100,"issueDate":"2026-10-01","dueDate":"2026-12-10","description":"Mensalidade \\ud800"}`,
    });
    expectFieldError(description, 400, "description");
    expect(description.body.error.message).toMatch(/caractere inválido/);
    const externalId = await api.call(api.key, "POST", "/v1/customers", {
      raw: `{"externalId":"ab\\udc00","name":"Ana","document":"${cpf()}"}`,
    });
    expectFieldError(externalId, 400, "externalId");
  });

  it("a 300-character e-mail local part in POST /v1/operators: 400 beside email", async () => {
    const admin = await api.operator("admin");
    const response = await api.call(admin, "POST", "/v1/operators", {
      body: { email: `${"a".repeat(300)}@credora.com.br`, role: "viewer", password: "senha-forte-123" },
    });
    expectFieldError(response, 400, "email");
  });

  it("GET /l/%00: a 404 page, not a 500", async () => {
    const response = await fetch(`${api.server.url}/l/%00`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Link não encontrado");
    // bytes that are not UTF-8 in the path: the router's own 400, in the API's format
    const surrogate = await fetch(`${api.server.url}/l/%ED%A0%80`);
    expect(surrogate.status).toBe(400);
    // biome-ignore lint/suspicious/noExplicitAny: a response body
    const refused: any = await surrogate.json();
    expect(refused.error.message).toBe("Pedido malformado");
  });

  it("a payment dated after today in the tenant's zone: 400 beside paidAt (API)", async () => {
    // 23:59 on the 22nd in São Paulo is today there; 00:00 on the 23rd is tomorrow
    const tomorrow = await api.call(api.key, "POST", "/v1/payments", {
      body: {
        externalId: "pg-fut",
        invoiceExternalId,
        amountCents: 100,
        paidAt: "2026-11-23T00:00:00-03:00",
      },
    });
    expectFieldError(tomorrow, 400, "paidAt");
    expect(tomorrow.body.error.message).toMatch(/futuro/);
    const far = await api.call(api.key, "POST", "/v1/payments", {
      body: { externalId: "pg-2099", invoiceExternalId, amountCents: 100, paidAt: "2099-01-01T12:00:00Z" },
    });
    expectFieldError(far, 400, "paidAt");
    const today = await api.call(api.key, "POST", "/v1/payments", {
      body: {
        externalId: "pg-hoje",
        invoiceExternalId,
        amountCents: 100,
        paidAt: "2026-11-22T23:59:00-03:00",
      },
    });
    expect(today.status, JSON.stringify(today.body)).toBe(201);
  });

  it("a payment dated after today in a CSV: the row is refused with its line", async () => {
    const csv = `external_id;invoice_external_id;amount;paid_at\npg-csv-1;${invoiceExternalId};1,00;01/01/2030\n`;
    const done = await api.call(api.key, "POST", "/v1/imports?kind=payments&wait=true", {
      raw: csv,
      contentType: "text/csv",
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.report).toMatchObject({ inserted: 0, failed: 1 });
    expect(done.body.report.errors).toEqual([
      expect.objectContaining({ line: 2, column: "paid_at", message: expect.stringMatching(/futuro/) }),
    ]);
  });

  it("an over-long name: a pt-BR message beside name, through the API and the CSV", async () => {
    const response = await api.call(api.key, "POST", "/v1/customers", {
      body: { externalId: "longo", name: "A".repeat(5_000), document: cpf() },
    });
    expectFieldError(response, 400, "name");
    const csv = `external_id;name;document\nlongo-csv;${"B".repeat(5_000)};${cpf()}\n`;
    const done = await api.call(api.key, "POST", "/v1/imports?kind=customers&wait=true", {
      raw: csv,
      contentType: "text/csv",
    });
    expect(done.body.report.errors).toEqual([expect.objectContaining({ line: 2, column: "name" })]);
    expect(done.body.report.errors[0].message).toMatch(/no máximo \d+ caracteres/);
  });
});
