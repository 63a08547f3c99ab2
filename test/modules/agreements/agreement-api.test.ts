import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAgreement } from "../../../src/modules/agreements/agreement.service.ts";
import { installmentCalendarLinks } from "../../../src/modules/agreements/calendar.ts";
import { FixedClock } from "../../../src/shared/clock.ts";
import { apiTenant, cpf } from "../../support/api-fixtures.ts";
import { type ApiTest, startApiTest } from "../../support/api-test.ts";
import { apiKeyFor, type Caller } from "../../support/http.ts";

/** The agreements API over real HTTP, as the dashboard and the creditor's systems use it. */
const clock = new FixedClock("2026-11-23T15:00:00Z");
let api: ApiTest<{ id: string; slug: string }>;
let admin: Caller;
let analyst: Caller;
let viewer: Caller;
let customerId: string;
const invoices: string[] = [];

beforeAll(async () => {
  api = await startApiTest(clock, apiTenant);
  admin = await api.operator("admin");
  analyst = await api.operator("analyst");
  viewer = await api.operator("viewer");
  const customer = await api.call(api.key, "POST", "/v1/customers", {
    body: {
      externalId: "devedor-acordo",
      name: "Joana Devedora",
      document: cpf(),
      contacts: [{ channel: "sms", value: "+5511987654321" }],
    },
  });
  customerId = customer.body.id;
  for (const [externalId, amountCents, dueDate] of [
    ["f-ago", 10_000, "2026-10-05"],
    ["f-nov", 20_000, "2026-11-19"],
  ] as const) {
    const invoice = await api.call(api.key, "POST", "/v1/invoices", {
      body: { externalId, customerId, amountCents, issueDate: "2026-09-01", dueDate },
    });
    invoices.push(invoice.body.id);
  }
});

afterAll(() => api?.close());

describe("POST /v1/agreements/simulate", () => {
  it("answers the debt and the options; a viewer may not", async () => {
    const response = await api.call(analyst, "POST", "/v1/agreements/simulate", { body: { customerId } });
    expect(response.status, response.text).toBe(200);
    expect(response.body.debt.totalCents).toBe(30_790);
    expect(response.body.options[0].terms.installments).toBe(0);
    expect(response.body.limits).toMatchObject({ maxPrincipalDiscountBps: 1000, maxInstallments: 24 });
    expect((await api.call(viewer, "POST", "/v1/agreements/simulate", { body: { customerId } })).status).toBe(
      403,
    );
  });
});

describe("proposing, reading, listing, cancelling", () => {
  let agreementId: string;

  it("refuses terms over the actor's limits with 400 naming the field", async () => {
    const base = { customerId, invoiceIds: invoices, installments: 2, dayOfMonth: 10 };
    const tooMany = await api.call(analyst, "POST", "/v1/agreements", {
      body: { ...base, installments: 30 },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.field).toBe("installments");
    const discount = await api.call(analyst, "POST", "/v1/agreements", {
      body: { ...base, principalDiscountBps: 2000 },
    });
    expect(discount.status).toBe(400);
    expect(discount.body.error).toMatchObject({ code: "validation_failed", field: "principalDiscountBps" });
    expect(discount.body.error.message).toContain("10%");
    const badDay = await api.call(analyst, "POST", "/v1/agreements", { body: { ...base, dayOfMonth: 31 } });
    expect(badDay.body.error.field).toBe("dayOfMonth");
  });

  it("an admin may give 20% off: 201 with the installments, each with its boleto and Pix", async () => {
    const response = await api.call(admin, "POST", "/v1/agreements", {
      body: {
        customerId,
        invoiceIds: invoices,
        downPaymentCents: 5_000,
        installments: 2,
        dayOfMonth: 10,
        waiveFine: true,
        waiveInterest: true,
        principalDiscountBps: 2000,
        monthlyInterestBps: 0,
      },
    });
    expect(response.status, response.text).toBe(201);
    // 300,00 − 20% = 240,00: 50,00 down and two of 95,00
    expect(response.body).toMatchObject({
      status: "proposed",
      customerId,
      totalCents: 24_000,
      concessionCents: 6_790,
    });
    expect(response.body.installments.map((entry: { amountCents: number }) => entry.amountCents)).toEqual([
      5_000, 9_500, 9_500,
    ]);
    expect(response.body.installments[1].typeableLine).toMatch(/^\d{47}$/);
    expect(response.body.installments[1].pixPayload).toMatch(/^000201/);
    agreementId = response.body.id;
    const event = await api.handle.db
      .selectFrom("domain_events")
      .select(["type", "customer_id"])
      .where("tenant_id", "=", api.tenant.id)
      .where("type", "like", "agreement.%")
      .execute();
    expect(event).toEqual([{ type: "agreement.proposed", customer_id: customerId }]);
  });

  it("reads one and lists by customer and status", async () => {
    const one = await api.call(api.key, "GET", `/v1/agreements/${agreementId}`);
    expect(one.status).toBe(200);
    expect(one.body.terms).toMatchObject({
      installments: 2,
      principalDiscountBps: 2000,
      firstDueDate: "2026-11-24",
    });
    const list = await api.call(viewer, "GET", `/v1/agreements?customerId=${customerId}&status=proposed`);
    expect(list.body.data.map((entry: { id: string }) => entry.id)).toEqual([agreementId]);
    expect((await api.call(viewer, "GET", "/v1/agreements?status=active")).body.data).toEqual([]);
    expect((await api.call(viewer, "GET", "/v1/agreements?status=whatever")).body.error.field).toBe("status");
  });

  it("serves the calendar: ical.js reads one all-day event per installment with amount, link, Pix and two alarms", async () => {
    const response = await api.call(api.key, "GET", `/v1/agreements/${agreementId}/calendar.ics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/calendar");
    // the file is named by the agreement's number, as people call it ("Acordo nº 1")
    expect(response.headers.get("content-disposition")).toMatch(/filename="acordo-\d+\.ics"/);
    const lines = response.text.split("\r\n");
    expect(lines.every((line) => Buffer.byteLength(line, "utf8") <= 75)).toBe(true);
    expect(response.text.replaceAll("\r\n", "")).not.toContain("\n");
    const calendar = new ICAL.Component(ICAL.parse(response.text));
    expect(calendar.getFirstPropertyValue("version")).toBe("2.0");
    expect(calendar.getFirstPropertyValue("prodid")).toBeTruthy();
    const events = calendar.getAllSubcomponents("vevent").map((vevent) => new ICAL.Event(vevent));
    const agreement = (await getAgreement(api.handle.db, api.tenant.id, agreementId))!;
    expect(events.map((event) => event.startDate.toString())).toEqual([
      "2026-11-24",
      "2026-12-10",
      "2027-01-10",
    ]);
    expect(events.every((event) => event.startDate.isDate)).toBe(true);
    expect(new Set(events.map((event) => event.uid)).size).toBe(3);
    const second = events[1]!;
    expect(second.summary).toBe("Parcela 1/2 do acordo com Provedor Fibra Rápida Ltda: R$ 95,00");
    expect(second.description).toContain("R$ 95,00");
    expect(second.description).toContain("/portal");
    expect(second.description).toContain(`Pix copia e cola: ${agreement.installments[1]!.pixPayload}`);
    expect(second.description).toContain("CPF/CNPJ 11.222.333/0001-81");
    const alarms = second.component.getAllSubcomponents("valarm");
    expect(alarms.map((alarm) => alarm.getFirstPropertyValue("trigger")!.toString())).toEqual([
      "-PT15H",
      "PT9H",
    ]);
  });

  it("cancels with a reason; a second cancel is a conflict", async () => {
    const missing = await api.call(analyst, "POST", `/v1/agreements/${agreementId}/cancel`, { body: {} });
    expect(missing.body.error.field).toBe("reason");
    const cancelled = await api.call(analyst, "POST", `/v1/agreements/${agreementId}/cancel`, {
      body: { reason: "cliente pediu outra proposta" },
    });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    expect(cancelled.body.installments.map((entry: { status: string }) => entry.status)).toEqual([
      "cancelled",
      "cancelled",
      "cancelled",
    ]);
    const again = await api.call(analyst, "POST", `/v1/agreements/${agreementId}/cancel`, {
      body: { reason: "outra vez" },
    });
    expect(again.status).toBe(409);
    const types = await api.handle.db
      .selectFrom("domain_events")
      .select("type")
      .where("tenant_id", "=", api.tenant.id)
      .where("type", "like", "agreement.%")
      .orderBy("seq")
      .execute();
    expect(types.map((row) => row.type)).toEqual(["agreement.proposed", "agreement.cancelled"]);
  });
});

describe("settings over HTTP", () => {
  it("reads the defaults; an admin changes them; a bad value is 400 naming the field", async () => {
    const current = await api.call(viewer, "GET", "/v1/agreement-settings");
    expect(current.body).toMatchObject({ breakToleranceBusinessDays: 5, standingRecoversWhileActive: true });
    const bad = await api.call(admin, "PATCH", "/v1/agreement-settings", {
      body: { limits: { portal: { maxInstallments: 99 } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("limits.portal.maxInstallments");
    expect(
      (await api.call(analyst, "PATCH", "/v1/agreement-settings", { body: { settlementDiscountBps: 0 } }))
        .status,
    ).toBe(403);
    const saved = await api.call(admin, "PATCH", "/v1/agreement-settings", {
      body: { breakToleranceBusinessDays: 3 },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.breakToleranceBusinessDays).toBe(3);
    expect(saved.body.policyId).toMatch(/^[0-9a-f-]{36}$/); // the agreement régua, made on the first agreement
  });
});

describe("add-to-calendar links", () => {
  it("Google and Outlook links carry the all-day date, the title and the details", async () => {
    const [agreement] = (await api.call(api.key, "GET", `/v1/agreements?customerId=${customerId}`)).body.data;
    const full = (await getAgreement(api.handle.db, api.tenant.id, agreement.id))!;
    const links = installmentCalendarLinks(
      full,
      full.installments[1]!,
      { name: "Provedor Fibra Rápida Ltda", document: "11222333000181" },
      "https://regua.example/portal",
    );
    const google = new URL(links.google);
    expect(google.origin + google.pathname).toBe("https://calendar.google.com/calendar/render");
    expect(google.searchParams.get("action")).toBe("TEMPLATE");
    expect(google.searchParams.get("dates")).toBe("20261210/20261211");
    expect(google.searchParams.get("details")).toContain("https://regua.example/portal");
    const outlook = new URL(links.outlook);
    expect(outlook.origin + outlook.pathname).toBe("https://outlook.live.com/calendar/0/deeplink/compose");
    expect(outlook.searchParams.get("startdt")).toBe("2026-12-10");
    expect(outlook.searchParams.get("allday")).toBe("true");
    expect(outlook.searchParams.get("subject")).toContain("R$ 95,00");
  });
});

describe("another tenant", () => {
  it("gets 404 for this tenant's agreement, customer and invoices, and sees none in its list", async () => {
    const other = await apiTenant(api.handle);
    const otherKey = await apiKeyFor(api.handle, other.id, "write");
    const [agreement] = (await api.call(api.key, "GET", `/v1/agreements?customerId=${customerId}`)).body.data;
    expect((await api.call(otherKey, "GET", `/v1/agreements/${agreement.id}`)).status).toBe(404);
    expect((await api.call(otherKey, "GET", `/v1/agreements/${agreement.id}/calendar.ics`)).status).toBe(404);
    const cancel = await api.call(otherKey, "POST", `/v1/agreements/${agreement.id}/cancel`, {
      body: { reason: "alheio" },
    });
    expect(cancel.status).toBe(404);
    expect(
      (await api.call(otherKey, "POST", "/v1/agreements/simulate", { body: { customerId } })).status,
    ).toBe(404);
    const propose = await api.call(otherKey, "POST", "/v1/agreements", {
      body: { customerId, invoiceIds: invoices, installments: 0, dayOfMonth: 10 },
    });
    expect(propose.status).toBe(404);
    expect((await api.call(otherKey, "GET", "/v1/agreements")).body.data).toEqual([]);
  });
});
