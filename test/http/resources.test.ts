import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { parseBoleto } from "../../src/domain/boleto.ts";
import { parsePixPayload } from "../../src/domain/pix.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { apiTenant, cpf } from "../support/api-fixtures.ts";
import { apiKeyFor, client, operatorSession, startServer, type TestServer } from "../support/http.ts";
import { openTestDatabase } from "../support/test-database.ts";

// 2026-11-23 12:00 in São Paulo (a Monday)
const clock = new FixedClock("2026-11-23T15:00:00Z");
let handle: DatabaseHandle;
let server: TestServer;
let call: ReturnType<typeof client>;
let tenant: Awaited<ReturnType<typeof apiTenant>>;
let key: { key: string };
let readKey: { key: string };

beforeAll(async () => {
  handle = await openTestDatabase();
  server = await startServer(handle, clock);
  call = client(server);
  tenant = await apiTenant(handle);
  key = await apiKeyFor(handle, tenant.id, "write");
  readKey = await apiKeyFor(handle, tenant.id, "read");
});

afterAll(async () => {
  await server?.close();
  await handle?.close();
});

let customerCounter = 0;
async function newCustomer(extra: Record<string, unknown> = {}) {
  customerCounter += 1;
  const response = await call(key, "POST", "/v1/customers", {
    body: {
      externalId: `cli-${customerCounter}`,
      name: `Maria ${customerCounter} da Silva`,
      document: cpf(),
      address: { street: "Rua A", number: "1", city: "Campinas", state: "SP", postalCode: "13010000" },
      contacts: [
        { channel: "email", value: `maria${customerCounter}@exemplo.com.br` },
        { channel: "sms", value: "(19) 98765-4321" },
      ],
      tags: ["varejo"],
      ...extra,
    },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

let invoiceCounter = 0;
async function newInvoice(
  customerId: string,
  dueDate: string,
  amountCents = 10_000,
  extra: Record<string, unknown> = {},
) {
  invoiceCounter += 1;
  const response = await call(key, "POST", "/v1/invoices", {
    body: {
      externalId: `fat-${invoiceCounter}`,
      customerId,
      description: `Mensalidade ${invoiceCounter}`,
      amountCents,
      issueDate: "2026-09-01",
      dueDate,
      ...extra,
    },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

describe("customers and contacts", () => {
  it("creates a customer with normalised contacts and reads it back as a domain object", async () => {
    const customer = await newCustomer();
    expect(customer).toMatchObject({
      kind: "person",
      address: { state: "SP", postalCode: "13010-000" },
      contacts: [
        expect.objectContaining({ channel: "email", optedOutAt: null }),
        expect.objectContaining({ channel: "sms", value: "+5519987654321" }),
      ],
    });
    expect(customer).not.toHaveProperty("tenant_id");
    const read = await call(readKey, "GET", `/v1/customers/${customer.id}`);
    expect(read.body).toEqual(customer);
  });

  it("refuses an invalid document naming the field", async () => {
    const response = await call(key, "POST", "/v1/customers", {
      body: { externalId: "ruim", name: "Fulano", document: "123.456.789-00" },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.field).toBe("document");
  });

  it("refuses a second customer with the same external id with 409", async () => {
    const customer = await newCustomer();
    const again = await call(key, "POST", "/v1/customers", {
      body: { externalId: customer.externalId, name: "Outro", document: cpf() },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.field).toBe("externalId");
  });

  it("records an opt-out and a new consent on one contact", async () => {
    const customer = await newCustomer();
    const sms = customer.contacts.find((contact: { channel: string }) => contact.channel === "sms");
    const out = await call(key, "POST", `/v1/customers/${customer.id}/contacts/${sms.id}/opt-out`);
    expect(out.status).toBe(200);
    expect(out.body.optedOutAt).toBe("2026-11-23T15:00:00.000Z");
    const back = await call(key, "POST", `/v1/customers/${customer.id}/contacts/${sms.id}/consent`);
    expect(back.body).toMatchObject({ optedOutAt: null, consentAt: "2026-11-23T15:00:00.000Z" });
    const other = await newCustomer();
    const wrongOwner = await call(key, "POST", `/v1/customers/${other.id}/contacts/${sms.id}/opt-out`);
    expect(wrongOwner.status).toBe(404);
  });

  it("lists customers page by page, filtered by tag", async () => {
    await newCustomer({ tags: ["atacado"] });
    await newCustomer({ tags: ["atacado"] });
    await newCustomer({ tags: ["atacado"] });
    const first = await call(readKey, "GET", "/v1/customers?tag=atacado&limit=2");
    expect(first.body.data).toHaveLength(2);
    const second = await call(
      readKey,
      "GET",
      `/v1/customers?tag=atacado&limit=2&cursor=${first.body.next_cursor}`,
    );
    expect(second.body.data).toHaveLength(1);
    expect(second.body.next_cursor).toBeNull();
    const ids = [...first.body.data, ...second.body.data].map(
      (customer: { tags: string[] }) => customer.tags,
    );
    expect(ids.every((tags) => tags.includes("atacado"))).toBe(true);
  });

  it("audits an operator's read of a customer, not an API key's", async () => {
    const customer = await newCustomer();
    const viewer = await operatorSession(handle, tenant, "viewer", clock);
    await call(readKey, "GET", `/v1/customers/${customer.id}`);
    await call(viewer, "GET", `/v1/customers/${customer.id}`);
    const entries = await handle.db
      .selectFrom("audit_log")
      .selectAll()
      .where("tenant_id", "=", tenant.id)
      .where("resource_id", "=", customer.id)
      .where("action", "=", "GET /v1/customers/:id")
      .execute();
    expect(entries.map((entry) => [entry.actor_kind, entry.actor_id])).toEqual([
      ["operator", viewer.operatorId],
    ]);
  });
});

describe("contracts", () => {
  it("creates a contract, reads it and suspends it; an invalid move is a 409", async () => {
    const customer = await newCustomer();
    const created = await call(key, "POST", "/v1/contracts", {
      body: { externalId: `ct-${customer.id}`, customerId: customer.id, plan: "Fibra 500" },
    });
    expect(created.status).toBe(201);
    expect((await call(readKey, "GET", `/v1/contracts/${created.body.id}`)).body.plan).toBe("Fibra 500");
    const suspended = await call(key, "POST", `/v1/contracts/${created.body.id}/status`, {
      body: { status: "suspended" },
    });
    expect(suspended.body.status).toBe("suspended");
    await call(key, "POST", `/v1/contracts/${created.body.id}/status`, { body: { status: "cancelled" } });
    const revived = await call(key, "POST", `/v1/contracts/${created.body.id}/status`, {
      body: { status: "active" },
    });
    expect(revived.status).toBe(409);
  });

  it("takes an early-payment discount as a percentage and the days before the due date; half of it is a pt-BR 400 naming the missing field", async () => {
    const customer = await newCustomer();
    const body = { externalId: `ct-desc-${customer.id}`, customerId: customer.id, plan: "Fibra 500" };
    const created = await call(key, "POST", "/v1/contracts", {
      body: { ...body, earlyDiscountBps: 500, earlyDiscountDays: 5 },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ earlyDiscountBps: 500, earlyDiscountDays: 5 });
    const read = await call(readKey, "GET", `/v1/contracts/${created.body.id}`);
    expect(read.body).toMatchObject({ earlyDiscountBps: 500, earlyDiscountDays: 5 });

    const onlyPercent = await call(key, "POST", "/v1/contracts", {
      body: { ...body, externalId: `${body.externalId}-2`, earlyDiscountBps: 500 },
    });
    expect(onlyPercent.status).toBe(400);
    expect(onlyPercent.body.error.field).toBe("earlyDiscountDays");
    expect(onlyPercent.text).toContain("dias antes do vencimento");

    const whole = await call(key, "POST", "/v1/contracts", {
      body: { ...body, externalId: `${body.externalId}-3`, earlyDiscountBps: 10_000, earlyDiscountDays: 0 },
    });
    expect(whole.status).toBe(400);
    expect(whole.body.error.field).toBe("earlyDiscountBps");
    expect(whole.text).toContain("menor que 100%");
  });
});

describe("invoices", () => {
  it("creates an invoice with a boleto and a Pix code from the tenant's settings", async () => {
    const customer = await newCustomer();
    const invoice = await newInvoice(customer.id, "2026-12-10", 15_990);
    const boleto = parseBoleto(invoice.typeableLine, "2026-11-23");
    expect(boleto).toMatchObject({ amountCents: 15_990, dueDate: "2026-12-10", bankCode: "237" });
    expect(parsePixPayload(invoice.pixPayload).amount).toBe("159.90");
    expect((await call(readKey, "GET", `/v1/invoices/${invoice.id}`)).body).toEqual(invoice);
  });

  it("lists with filters: status, days overdue, due range, tag and customer", async () => {
    const customer = await newCustomer({ tags: ["filtro-x"] });
    const overdue30 = await newInvoice(customer.id, "2026-10-24"); // 30 days overdue
    const overdue10 = await newInvoice(customer.id, "2026-11-13"); // 10 days overdue
    const future = await newInvoice(customer.id, "2026-12-20");
    const cancelled = await newInvoice(customer.id, "2026-11-01");
    await call(key, "POST", `/v1/invoices/${cancelled.id}/cancel`);
    const ids = async (query: string) =>
      (await call(readKey, "GET", `/v1/invoices?customerId=${customer.id}&${query}`)).body.data.map(
        (invoice: { id: string }) => invoice.id,
      );
    expect(await ids("")).toEqual([overdue30.id, cancelled.id, overdue10.id, future.id]);
    expect(await ids("status=open")).toEqual([overdue30.id, overdue10.id, future.id]);
    expect(await ids("status=cancelled,paid")).toEqual([cancelled.id]);
    expect(await ids("daysOverdueMin=5")).toEqual([overdue30.id, overdue10.id]);
    expect(await ids("daysOverdueMin=5&daysOverdueMax=15")).toEqual([overdue10.id]);
    expect(await ids("dueFrom=2026-11-01&dueTo=2026-11-30")).toEqual([cancelled.id, overdue10.id]);
    const byTag = await call(readKey, "GET", "/v1/invoices?tag=filtro-x");
    expect(byTag.body.data.map((invoice: { id: string }) => invoice.id)).toEqual([
      overdue30.id,
      cancelled.id,
      overdue10.id,
      future.id,
    ]);
    const bad = await call(readKey, "GET", "/v1/invoices?status=aberta");
    expect(bad.body.error.field).toBe("status.0");
  });

  it("pages through invoices with the cursor, without repeats or gaps", async () => {
    const customer = await newCustomer();
    const created = [];
    for (const due of ["2026-12-01", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-03"]) {
      created.push((await newInvoice(customer.id, due)).id);
    }
    const seen: string[] = [];
    let cursor = "";
    for (let page = 0; page < 10; page++) {
      const response = await call(readKey, "GET", `/v1/invoices?customerId=${customer.id}&limit=2${cursor}`);
      seen.push(...response.body.data.map((invoice: { id: string }) => invoice.id));
      if (!response.body.next_cursor) break;
      cursor = `&cursor=${response.body.next_cursor}`;
    }
    expect(seen.sort()).toEqual(created.sort());
  });

  it("issues a second copy with the updated amount, an updated boleto and Pix, and the QR as SVG and PNG", async () => {
    const customer = await newCustomer();
    const invoice = await newInvoice(customer.id, "2026-10-26", 10_000); // Monday, 28 days before
    const copy = await call(readKey, "GET", `/v1/invoices/${invoice.id}/second-copy?date=2026-11-25`);
    expect(copy.status).toBe(200);
    // consumer: 2% fine, 1%/month pro rata for 30 days (CDC art. 52 §1)
    expect(copy.body.amount).toMatchObject({ fineCents: 200, interestCents: 100, totalDueCents: 10_300 });
    const boleto = parseBoleto(copy.body.typeableLine, "2026-11-23");
    expect(boleto).toMatchObject({ amountCents: 10_300, dueDate: "2026-11-25" });
    expect(parsePixPayload(copy.body.pixPayload).amount).toBe("103.00");
    const svg = await call(readKey, "GET", copy.body.qrCode.svg);
    expect(svg.headers.get("content-type")).toContain("image/svg+xml");
    expect(svg.text).toContain("<svg");
    const png = await fetch(`${server.url}${copy.body.qrCode.png}`, {
      headers: { authorization: `Bearer ${readKey.key}` },
    });
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(
      Buffer.from(await png.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe("PNG");
    const past = await call(readKey, "GET", `/v1/invoices/${invoice.id}/second-copy?date=2026-11-01`);
    expect(past.body.error.field).toBe("date");
  });
});

describe("payments and standing", () => {
  it("warns after 5 days and blocks after 20 with the default policy, and a payment restores standing", async () => {
    const late = await newCustomer();
    await newInvoice(late.id, "2026-11-13", 5_000); // 10 days
    const warning = await call(readKey, "GET", `/v1/customers/${late.id}/standing`);
    expect(warning.body).toMatchObject({ status: "warning", blocked: false, daysOverdue: 10 });
    expect(warning.body.thresholds).toEqual({ warningDays: 5, suspendedDays: 20 });
    expect(warning.body.message).toContain("10 dia(s)");
    expect(warning.body.message).toContain("evitar o bloqueio");

    const blockedCustomer = await newCustomer();
    const invoice = await newInvoice(blockedCustomer.id, "2026-10-30", 8_000); // 24 days
    const blocked = await call(readKey, "GET", `/v1/customers/${blockedCustomer.id}/standing`);
    expect(blocked.body).toMatchObject({ status: "suspended", blocked: true, daysOverdue: 24 });
    expect(blocked.body.message).toContain("Acesso bloqueado");
    expect(blocked.body.pending[0]).toMatchObject({
      id: invoice.id,
      typeableLine: expect.stringMatching(/^\d{47}$/),
    });
    expect(blocked.body.pending[0].links.secondCopy).toBe(`/v1/invoices/${invoice.id}/second-copy`);

    // the engine's run records the suspension, then the payment lifts it at once
    const admin = await operatorSession(handle, tenant, "admin", clock);
    const run = await call(admin, "POST", "/v1/runs", { body: { date: "2026-11-23" } });
    expect(run.status).toBe(200);
    const recorded = await handle.db
      .selectFrom("standings")
      .select("standing")
      .where("tenant_id", "=", tenant.id)
      .where("subject_id", "=", blockedCustomer.id)
      .executeTakeFirst();
    expect(recorded?.standing).toBe("suspended");

    const due = (await call(readKey, "GET", `/v1/invoices/${invoice.id}/second-copy`)).body.amount
      .totalDueCents;
    const paid = await call(key, "POST", "/v1/payments", {
      body: {
        externalId: "pg-1",
        invoiceId: invoice.id,
        amountCents: due,
        method: "pix",
        paidAt: "2026-11-23T11:00:00-03:00",
      },
    });
    expect(paid.status).toBe(201);
    expect(paid.body.invoice.status).toBe("paid");
    const restored = await call(readKey, "GET", `/v1/customers/${blockedCustomer.id}/standing`);
    expect(restored.body).toMatchObject({ status: "ok", blocked: false, pending: [] });
    const after = await handle.db
      .selectFrom("standings")
      .select("standing")
      .where("tenant_id", "=", tenant.id)
      .where("subject_id", "=", blockedCustomer.id)
      .executeTakeFirst();
    expect(after?.standing ?? "ok").toBe("ok");

    const replay = await call(key, "POST", "/v1/payments", {
      body: {
        externalId: "pg-1",
        invoiceId: invoice.id,
        amountCents: due,
        method: "pix",
        paidAt: "2026-11-23T11:00:00-03:00",
      },
    });
    expect(replay.status).toBe(200);
    expect(replay.body.created).toBe(false);
    const events = await handle.db
      .selectFrom("domain_events")
      .select("type")
      .where("tenant_id", "=", tenant.id)
      .where("customer_id", "=", blockedCustomer.id)
      .execute();
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining(["invoice.created", "invoice.paid", "customer.standing_changed"]),
    );
  });

  it("takes the thresholds from the policy that governs the customer", async () => {
    const customer = await newCustomer({ tags: ["estrito"] });
    await newInvoice(customer.id, "2026-11-13"); // 10 days
    const admin = await operatorSession(handle, tenant, "admin", clock);
    const policy = {
      name: "Estrita",
      priority: 1,
      segment: { tags: ["estrito"] },
      standing: { warningDays: 3, suspendedDays: 8, cancelledDays: 90 },
      steps: [{ name: "D+1", offsetDays: 1, channels: ["email"], templates: { email: "email.d+6" } }],
    };
    const saved = await call(admin, "PUT", "/v1/policies/Estrita", { body: policy });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const standing = await call(readKey, "GET", `/v1/customers/${customer.id}/standing`);
    expect(standing.body).toMatchObject({
      status: "suspended",
      thresholds: { warningDays: 3, suspendedDays: 8 },
    });
    expect((await call(readKey, "GET", "/v1/policies/Estrita")).body.standing.suspendedDays).toBe(8);
    expect(
      (await call(readKey, "GET", "/v1/policies")).body.data.map((p: { name: string }) => p.name),
    ).toContain("Estrita");
    const preview = await call(
      readKey,
      "GET",
      `/v1/policies/preview?customerId=${customer.id}&from=2026-11-20&days=5`,
    );
    expect(preview.status).toBe(200);
    expect(Array.isArray(preview.body.data)).toBe(true);
    expect(
      (await call(key, "PUT", "/v1/policies/Estrita", { body: { ...policy, name: "Outra" } })).status,
    ).toBe(400);
    expect((await call(admin, "DELETE", "/v1/policies/Estrita")).status).toBe(204);
    expect((await call(readKey, "GET", "/v1/policies/Estrita")).status).toBe(404);
  });

  it("shows the régua's history of an invoice and of its customer", async () => {
    const customer = await newCustomer();
    const invoice = await newInvoice(customer.id, "2026-11-17"); // D+6 today
    const admin = await operatorSession(handle, tenant, "admin", clock);
    expect((await call(admin, "POST", "/v1/runs", { body: { date: "2026-11-23" } })).status).toBe(200);
    const history = await call(readKey, "GET", `/v1/invoices/${invoice.id}/history`);
    expect(history.status).toBe(200);
    const steps = history.body.actions.map(
      (action: { stepName: string; channel: string }) => `${action.stepName} ${action.channel}`,
    );
    expect(steps).toEqual(expect.arrayContaining(["D+6 email", "D+6 sms"]));
    const ofCustomer = await call(readKey, "GET", `/v1/customers/${customer.id}/history`);
    expect(ofCustomer.body.actions.length).toBe(history.body.actions.length);
    expect(Array.isArray(ofCustomer.body.messages)).toBe(true);
  });

  it("keeps a payment for an unknown invoice for reconciliation", async () => {
    const response = await call(key, "POST", "/v1/payments", {
      body: {
        externalId: "pg-orfao",
        invoiceExternalId: "nao-existe",
        amountCents: 1_000,
        paidAt: "2026-11-22T10:00:00Z",
      },
    });
    expect(response.status).toBe(201);
    expect(response.body.invoice).toBeNull();
    const unmatched = await call(readKey, "GET", "/v1/payments/unmatched");
    expect(unmatched.body.data.map((payment: { externalId: string }) => payment.externalId)).toContain(
      "pg-orfao",
    );
  });

  it("refuses runs to anyone but an admin operator", async () => {
    expect((await call(key, "POST", "/v1/runs", { body: { date: "2026-11-23" } })).status).toBe(403);
    const analyst = await operatorSession(handle, tenant, "analyst", clock);
    expect((await call(analyst, "POST", "/v1/runs", { body: { date: "2026-11-23" } })).status).toBe(403);
  });
});

describe("embedded standing banner", () => {
  it("serves the script and the standing it reads with a short-lived token, QR included", async () => {
    const customer = await newCustomer();
    const invoice = await newInvoice(customer.id, "2026-10-20");
    const minted = await call(readKey, "POST", `/v1/customers/${customer.id}/standing-token`, {
      body: { ttlMinutes: 5 },
    });
    expect(minted.status).toBe(201);
    const script = await call(null, "GET", "/embed/standing.js");
    expect(script.headers.get("content-type")).toContain("application/javascript");
    expect(script.text).toContain("/embed/standing?token=");
    const standing = await call(null, "GET", `/embed/standing?token=${minted.body.token}`);
    expect(standing.headers.get("access-control-allow-origin")).toBe("*");
    expect(standing.body).toMatchObject({ status: "suspended", blocked: true });
    expect(standing.body.pending[0].id).toBe(invoice.id);
    const qr = await call(null, "GET", standing.body.pending[0].links.pixQrSvg);
    expect(qr.text).toContain("<svg");
    clock.set("2026-11-23T15:06:00Z");
    try {
      expect((await call(null, "GET", `/embed/standing?token=${minted.body.token}`)).status).toBe(401);
    } finally {
      clock.set("2026-11-23T15:00:00Z");
    }
  });
});

describe("imports", () => {
  it("imports a CSV in the background with progress and the per-row report", async () => {
    const csv = [
      "external_id;name;document;email;tags",
      `imp-1;Ana Souza;${cpf()};ana@exemplo.com.br;importado`,
      "imp-2;Bruno Lima;111.111.111-11;bruno@exemplo.com.br;importado",
      `imp-3;Carla Dias;${cpf()};carla@exemplo.com.br;importado`,
    ].join("\n");
    const started = await call(key, "POST", "/v1/imports?kind=customers", {
      raw: csv,
      contentType: "text/csv",
    });
    expect(started.status).toBe(202);
    expect(started.headers.get("location")).toBe(`/v1/imports/${started.body.id}`);
    let job = started.body;
    for (let i = 0; i < 100 && job.status === "running"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = (await call(readKey, "GET", `/v1/imports/${started.body.id}`)).body;
    }
    expect(job.status).toBe("succeeded");
    expect(job.report).toMatchObject({ kind: "customers", total: 3, inserted: 2, failed: 1 });
    expect(job.report.errors).toEqual([expect.objectContaining({ row: 2, column: "document" })]);
    const listed = await call(readKey, "GET", "/v1/customers?tag=importado");
    expect(listed.body.data.map((customer: { externalId: string }) => customer.externalId)).toEqual([
      "imp-1",
      "imp-3",
    ]);
  });

  it("answers with the report at once with wait=true, and refuses an empty body", async () => {
    const csv = `external_id,name,document\nimp-dry,Dora,${cpf()}\n`;
    const done = await call(key, "POST", "/v1/imports?kind=customers&wait=true&dryRun=true", {
      raw: csv,
      contentType: "text/csv",
    });
    expect(done.status).toBe(200);
    expect(done.body.report).toMatchObject({ inserted: 1, dryRun: true });
    expect((await call(readKey, "GET", "/v1/customers?tag=nada")).body.data).toEqual([]);
    const empty = await call(key, "POST", "/v1/imports?kind=customers", { raw: "", contentType: "text/csv" });
    expect(empty.status).toBe(400);
    const missing = await call(key, "POST", "/v1/imports?kind=invoices&wait=true", {
      raw: "external_id\nx\n",
      contentType: "text/csv",
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain("customer_external_id");
  });
});

describe("LGPD", () => {
  it("exports everything held on a customer and audits the export", async () => {
    const customer = await newCustomer();
    const invoice = await newInvoice(customer.id, "2026-11-01");
    const admin = await operatorSession(handle, tenant, "admin", clock);
    const exported = await call(admin, "GET", `/v1/customers/${customer.id}/lgpd-export`);
    expect(exported.status).toBe(200);
    expect(exported.body.customer.name).toBe(customer.name);
    expect(exported.body.invoices.map((row: { id: string }) => row.id)).toEqual([invoice.id]);
    const analyst = await operatorSession(handle, tenant, "analyst", clock);
    expect((await call(analyst, "GET", `/v1/customers/${customer.id}/lgpd-export`)).status).toBe(403);
    const audit = await call(admin, "GET", `/v1/audit-log?resourceId=${customer.id}`);
    expect(audit.body.data.map((entry: { action: string }) => entry.action)).toContain(
      "GET /v1/customers/:id/lgpd-export",
    );
  });

  it("anonymises personal data and keeps invoices and payments", async () => {
    const customer = await newCustomer();
    const invoice = await newInvoice(customer.id, "2026-11-01", 4_000);
    await call(key, "POST", "/v1/payments", {
      body: {
        externalId: `pg-anon-${customer.id}`,
        invoiceId: invoice.id,
        amountCents: 1_000,
        paidAt: "2026-11-20T10:00:00Z",
      },
    });
    const result = await call(key, "POST", `/v1/customers/${customer.id}/anonymize`);
    expect(result.status).toBe(200);
    const after = await call(readKey, "GET", `/v1/customers/${customer.id}`);
    expect(after.body.name).toBe("Titular anonimizado");
    expect(after.body.document).not.toBe(customer.document);
    expect(after.body.contacts).toEqual([]);
    expect(after.body.address.street).toBeNull();
    expect(JSON.stringify(result.body)).not.toContain(customer.name);
    expect(JSON.stringify(result.body)).not.toContain(customer.contacts[0].value);
    expect(result.body.invoices.map((row: { id: string }) => row.id)).toEqual([invoice.id]);
    expect(result.body.payments).toHaveLength(1);
    expect(result.body.anonymizedAt).toBe("2026-11-23T15:00:00.000Z");
  });
});
