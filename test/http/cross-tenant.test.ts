import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { gatewaySignature } from "../../src/modules/payments/gateway.service.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { apiTenant, cpf } from "../support/api-fixtures.ts";
import {
  apiKeyFor,
  type Caller,
  client,
  operatorSession,
  startServer,
  type TestServer,
} from "../support/http.ts";
import { openTestDatabase } from "../support/test-database.ts";

/**
 * Tenant A calls every endpoint with tenant B's ids. Each must answer 404 (or, for lists and
 * searches, nothing of B's) and never a byte of B's data.
 */
const clock = new FixedClock("2026-11-23T15:00:00Z");
let handle: DatabaseHandle;
let server: TestServer;
let call: ReturnType<typeof client>;
let a: { slug: string; id: string };
let adminA: Caller;
let keyA: Caller;
const b: Record<string, string> = {};
/** Strings that only B's data contains. */
const secretsOfB: string[] = [];

beforeAll(async () => {
  handle = await openTestDatabase();
  server = await startServer(handle, clock);
  call = client(server);
  a = await apiTenant(handle);
  const tenantB = await apiTenant(handle);
  adminA = await operatorSession(handle, a, "admin", clock);
  keyA = await apiKeyFor(handle, a.id, "write");
  const adminB = await operatorSession(handle, tenantB, "admin", clock);
  const keyB = await apiKeyFor(handle, tenantB.id, "write");

  const customer = await call(keyB, "POST", "/v1/customers", {
    body: {
      externalId: "segredo-b-cliente",
      name: "Beatriz Segredo",
      document: cpf(),
      contacts: [{ channel: "email", value: "beatriz.segredo@b.com.br" }],
      tags: ["tag-secreta-b"],
    },
  });
  b.customer = customer.body.id;
  b.contact = customer.body.contacts[0].id;
  b.contract = (
    await call(keyB, "POST", "/v1/contracts", {
      body: { externalId: "segredo-b-contrato", customerId: b.customer, plan: "Plano Secreto B" },
    })
  ).body.id;
  // a request for another plan, as the portal records it
  b.planChangeRequest = (
    await handle.db
      .insertInto("plan_change_requests")
      .values({
        tenant_id: tenantB.id,
        customer_id: b.customer!,
        contract_id: b.contract!,
        kind: "plan",
        current_value: "Plano Secreto B",
        requested_value: "Plano Secreto B Plus",
        monthly_price_cents: 7_777,
        requested_at: new Date("2026-11-20T10:00:00Z"),
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const invoice = await call(keyB, "POST", "/v1/invoices", {
    body: {
      externalId: "segredo-b-fatura",
      customerId: b.customer,
      amountCents: 77_777,
      issueDate: "2026-10-01",
      dueDate: "2026-10-20",
    },
  });
  b.invoice = invoice.body.id;
  b.invoiceExternal = "segredo-b-fatura";
  b.payment = (
    await call(keyB, "POST", "/v1/payments", {
      body: {
        externalId: "segredo-b-pagamento",
        invoiceId: b.invoice,
        amountCents: 100,
        paidAt: "2026-11-20T10:00:00Z",
      },
    })
  ).body.payment.id;
  const agreement = await call(keyB, "POST", "/v1/agreements", {
    body: { customerId: b.customer, invoiceIds: [b.invoice], installments: 0, dayOfMonth: 10 },
  });
  expect(agreement.status, agreement.text).toBe(201);
  b.agreement = agreement.body.id;
  b.apiKey = (await apiKeyFor(handle, tenantB.id, "read")).id;
  const job = await call(keyB, "POST", "/v1/imports?kind=customers&wait=true", {
    raw: `external_id,name,document\nsegredo-b-import,Bento Segredo,${cpf()}\n`,
    contentType: "text/csv",
  });
  b.importJob = job.body.id;
  // a background job of B's (its export's file is B's data)
  b.bulkJob = (
    await call(keyB, "POST", "/v1/jobs/report-exports", { body: { name: "summary", format: "csv" } })
  ).body.id;
  const endpoint = await call(keyB, "POST", "/v1/webhooks/endpoints", {
    body: { url: "http://127.0.0.1:9/segredo-b" },
  });
  b.endpoint = endpoint.body.id;
  await call(keyB, "POST", "/v1/invoices", {
    body: {
      externalId: "segredo-b-2",
      customerId: b.customer,
      amountCents: 1_000,
      issueDate: "2026-11-01",
      dueDate: "2026-12-01",
    },
  });
  const { fanOutEvents } = await import("../../src/modules/webhooks/webhook.repository.ts");
  await fanOutEvents(handle.db, clock.now());
  b.delivery = (await call(keyB, "GET", "/v1/webhooks/deliveries")).body.data[0].id;
  const policy = await call(adminB, "PUT", "/v1/policies/Politica%20Secreta%20B", {
    body: {
      name: "Politica Secreta B",
      steps: [{ name: "D+1", offsetDays: 1, channels: ["email"], templates: { email: "email.d+6" } }],
    },
  });
  expect(policy.status).toBe(200);
  b.policyName = "Politica%20Secreta%20B";
  const template = await call(adminB, "PUT", "/v1/templates/email.modelo-b", {
    body: {
      subject: "Segredo B",
      body: "Texto segredo-b\n\n{{ credor.nome }} {{ credor.cnpj }} {{ credor.endereco }}",
    },
  });
  expect(template.status).toBe(200);
  b.templateKey = "email.modelo-b";
  const gateway = await call(adminB, "POST", "/v1/payment-gateways", { body: { provider: "gateway-b" } });
  b.gatewaySecret = gateway.body.secret;
  b.standingToken = (
    await call(keyB, "POST", `/v1/customers/${b.customer}/standing-token`, { body: {} })
  ).body.token;
  b.ticket = (
    await call(keyB, "POST", "/v1/tickets", { body: { title: "Ticket segredo-b", customerId: b.customer } })
  ).body.id;
  b.group = (
    await call(keyB, "POST", "/v1/groups", { body: { name: "Grupo segredo-b", purpose: "agency" } })
  ).body.id;
  await call(keyB, "PUT", `/v1/groups/${b.group}/members/${b.customer}`);
  // the bank rails and effectiveness: B's collection account, its remittance file, a payment
  // waiting in B's reconciliation queue, and an experiment over B's régua
  b.bankAccount = (
    await call(adminB, "POST", "/v1/bank-accounts", {
      body: {
        name: "Conta segredo-b",
        bankCode: "341",
        agency: "1234",
        account: "12345",
        accountDigit: "6",
        wallet: "109",
      },
    })
  ).body.id;
  // an invoice issued by that account, so that its remittance has a boleto to register
  await call(keyB, "POST", "/v1/invoices", {
    body: {
      externalId: "segredo-b-fatura-banco",
      customerId: b.customer,
      amountCents: 77_700,
      issueDate: "2026-11-20",
      dueDate: "2026-12-20",
    },
  });
  b.bankFile = (await call(keyB, "POST", `/v1/bank-accounts/${b.bankAccount}/remittances`)).body.fileId;
  b.reconciliationItem = (
    await handle.db
      .insertInto("reconciliation_items")
      .values({
        tenant_id: tenantB.id,
        file_id: b.bankFile!,
        line: 3,
        reason: "unknown_boleto",
        our_number: "77777",
        payer_document: "",
        paid_cents: 777,
        paid_on: "2026-11-20",
        invoice_id: null,
        decided_at: null,
        decided_by: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const policyB = await call(keyB, "GET", `/v1/policies/${b.policyName}`);
  b.experiment = (
    await call(adminB, "POST", "/v1/experiments", {
      body: { name: "Experimento segredo-b", controlPolicyId: policyB.body.id, holdoutPercent: 10 },
    })
  ).body.id;
  // a campaign of B's (its offers and results are B's only)
  b.campaign = (
    await handle.db
      .insertInto("campaigns")
      .values({
        tenant_id: tenantB.id,
        name: "Campanha segredo-b",
        selection: JSON.stringify({
          daysOverdueFrom: 1,
          daysOverdueTo: null,
          amountFromCents: null,
          amountToCents: null,
          scoreBands: [],
          groupId: null,
        }),
        terms: JSON.stringify({
          installments: 0,
          principalDiscountBps: 0,
          waiveFine: false,
          waiveInterest: false,
        }),
        actor: JSON.stringify({ kind: "api_key", id: "b" }),
        channels: ["email"],
        valid_until: "2026-12-15",
        holdout_bps: 0,
        created_on: "2026-11-23",
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  secretsOfB.push(
    "Beatriz Segredo",
    "beatriz.segredo",
    "segredo-b",
    "Plano Secreto B",
    "tag-secreta-b",
    "77777",
  );
  for (const value of Object.values(b)) expect(value, JSON.stringify(b)).toBeTruthy();
});

afterAll(async () => {
  await server?.close();
  await handle?.close();
});

/** B's ids may come back only inside an error that echoes the request; B's data never. */
function expectNoDataOfB(text: string): void {
  // A itself sends B's invoice external id in one test (as an unknown reference): that is A's text
  const own = text.replaceAll("segredo-b-fatura", "");
  for (const secret of secretsOfB) expect(own).not.toContain(secret);
}

/** Path parameters filled with B's ids, per route template. A new route with parameters must be added here. */
const PATH_VALUES: Record<string, () => Record<string, string>> = {
  "/v1/api-keys/:id": () => ({ id: b.apiKey! }),
  "/v1/customers/:id": () => ({ id: b.customer! }),
  "/v1/customers/:id/contacts/:contactId/opt-out": () => ({ id: b.customer!, contactId: b.contact! }),
  "/v1/customers/:id/contacts/:contactId/consent": () => ({ id: b.customer!, contactId: b.contact! }),
  "/v1/customers/:id/lgpd-export": () => ({ id: b.customer! }),
  "/v1/customers/:id/history": () => ({ id: b.customer! }),
  "/v1/customers/:id/overview": () => ({ id: b.customer! }),
  "/v1/customers/:id/timeline": () => ({ id: b.customer! }),
  "/v1/customers/:id/plan-change-requests": () => ({ id: b.customer! }),
  "/v1/plan-change-requests/:id/confirm": () => ({ id: b.planChangeRequest! }),
  "/v1/plan-change-requests/:id/decline": () => ({ id: b.planChangeRequest! }),
  "/v1/customers/:id/calls": () => ({ id: b.customer! }),
  "/v1/customers/:id/notes": () => ({ id: b.customer! }),
  "/v1/customers/:id/pause": () => ({ id: b.customer! }),
  "/v1/customers/:id/credit-limit": () => ({ id: b.customer! }),
  "/v1/invoices/:id/history": () => ({ id: b.invoice! }),
  "/v1/customers/:id/anonymize": () => ({ id: b.customer! }),
  "/v1/customers/:id/standing": () => ({ id: b.customer! }),
  "/v1/customers/:id/standing-token": () => ({ id: b.customer! }),
  "/v1/contracts/:id": () => ({ id: b.contract! }),
  "/v1/contracts/:id/status": () => ({ id: b.contract! }),
  "/v1/invoices/:id": () => ({ id: b.invoice! }),
  "/v1/invoices/:id/cancel": () => ({ id: b.invoice! }),
  "/v1/invoices/:id/second-copy": () => ({ id: b.invoice! }),
  "/v1/invoices/:id/second-copy.pdf": () => ({ id: b.invoice! }),
  "/v1/customers/:id/portal-link": () => ({ id: b.customer! }),
  "/v1/agreements/:id": () => ({ id: b.agreement! }),
  "/v1/agreements/:id/cancel": () => ({ id: b.agreement! }),
  "/v1/agreements/:id/calendar.ics": () => ({ id: b.agreement! }),
  "/v1/agreements/:id/overview": () => ({ id: b.agreement! }),
  "/v1/imports/:id": () => ({ id: b.importJob! }),
  "/v1/tickets/:id": () => ({ id: b.ticket! }),
  "/v1/tickets/:id/comments": () => ({ id: b.ticket! }),
  "/v1/groups/:id": () => ({ id: b.group! }),
  "/v1/jobs/:id": () => ({ id: b.bulkJob! }),
  "/v1/jobs/:id/file": () => ({ id: b.bulkJob! }),
  "/v1/groups/:id/members": () => ({ id: b.group! }),
  "/v1/groups/:id/members/remove": () => ({ id: b.group! }),
  "/v1/groups/:id/members/:customerId": () => ({ id: b.group!, customerId: b.customer! }),
  "/v1/groups/:id/export": () => ({ id: b.group! }),
  "/v1/policies/:name": () => ({ name: b.policyName! }),
  "/v1/templates/:key": () => ({ key: b.templateKey! }),
  "/v1/templates/:key/test-send": () => ({ key: b.templateKey! }),
  "/v1/webhooks/endpoints/:id": () => ({ id: b.endpoint! }),
  "/v1/webhooks/deliveries/:id": () => ({ id: b.delivery! }),
  "/v1/webhooks/deliveries/:id/redeliver": () => ({ id: b.delivery! }),
  "/v1/payments/notifications/:provider": () => ({ provider: "gateway-b" }),
  "/v1/customers/:id/tags": () => ({ id: b.customer! }),
  "/v1/customers/:id/tags/:tag": () => ({ id: b.customer!, tag: "tag-secreta-b" }),
  "/v1/invoices/:id/tags": () => ({ id: b.invoice! }),
  "/v1/invoices/:id/tags/:tag": () => ({ id: b.invoice!, tag: "tag-secreta-b" }),
  "/v1/customers/:id/messages": () => ({ id: b.customer! }),
  "/v1/invoices/:id/messages": () => ({ id: b.invoice! }),
  "/v1/customers/:id/reopen": () => ({ id: b.customer! }),
  "/v1/invoices/:id/pix-charge": () => ({ id: b.invoice! }),
  "/v1/contracts/:id/pix-recurrence": () => ({ id: b.contract! }),
  "/v1/invoices/:id/score": () => ({ id: b.invoice! }),
  "/v1/invoices/:id/score/explanation": () => ({ id: b.invoice! }),
  "/v1/invoices/:id/boleto": () => ({ id: b.invoice! }),
  "/v1/experiments/:id": () => ({ id: b.experiment! }),
  "/v1/experiments/:id/stop": () => ({ id: b.experiment! }),
  "/v1/campaigns/:id": () => ({ id: b.campaign! }),
  "/v1/bank-accounts/:id/remittances": () => ({ id: b.bankAccount! }),
  "/v1/bank-files/:id/content": () => ({ id: b.bankFile! }),
  "/v1/reconciliation/:id/match": () => ({ id: b.reconciliationItem! }),
  "/v1/reconciliation/:id/split": () => ({ id: b.reconciliationItem! }),
  "/v1/reconciliation/:id/refund": () => ({ id: b.reconciliationItem! }),
};

/**
 * Public routes addressed by something other than a tenant's ids: a short link's random code, a
 * provider's own message ids in the body (the messages helper tests those). Listed, with why, so
 * that every new route with parameters needs a decision here.
 */
const NOT_TENANT_ADDRESSED: Record<string, string> = {
  "/l/:code": "short links: a random code, the same for anyone who holds it",
  "/o/:code": "an e-mail's tracking image: a random code of its message (test/messages/tracking.test.ts)",
  "/portal/faturas/:id":
    "portal pages: scoped by the debtor's session, not a key (test/portal covers others' ids)",
  "/portal/faturas/:id/segunda-via.pdf": "portal pages: scoped by the debtor's session (test/portal)",
  "/portal/acordos/:id": "portal pages: scoped by the debtor's session (test/portal)",
  "/portal/acordos/:id/agenda.ics": "portal pages: scoped by the debtor's session (test/portal)",
  "/portal/ofertas/:id": "portal pages: a campaign's offer to the session's debtor only (test/campaigns)",
  "/portal/ofertas/:id/aceitar": "portal pages: scoped by the debtor's session (test/campaigns)",
  "/v1/reports/:name":
    "report names are the same for every tenant; each report reads the caller's data only (test/reports)",
  "/v1/pix/webhook/:token/pix":
    "the PSP's notifications: a per-tenant random token in the URL, not a key (test/pix/pix-api.test.ts)",
  "/v1/pix/webhook/:token/rec":
    "the PSP's Pix Automático notifications: the tenant's random token (test/pix)",
  "/v1/pix/webhook/:token/cobr":
    "the PSP's Pix Automático notifications: the tenant's random token (test/pix)",
  "/v1/providers/:provider/callbacks":
    "delivery callbacks: the provider's message id; WhatsApp and Zenvia verified per tenant of ?tenant= (test/messages/provider-secrets.test.ts)",
};

/** Bodies that are valid in shape, so that the request reaches the lookup of B's ids. */
const VALID_BODIES: Record<string, () => unknown> = {
  "POST /v1/customers/:id/portal-link": () => ({}),
  "POST /v1/customers/:id/standing-token": () => ({}),
  "POST /v1/contracts/:id/status": () => ({ status: "suspended" }),
  "PATCH /v1/tickets/:id": () => ({ status: "done" }),
  "POST /v1/tickets/:id/comments": () => ({ body: "comentário de A" }),
  "PATCH /v1/groups/:id": () => ({ name: "Grupo renomeado por A" }),
  "POST /v1/groups/:id/members": () => ({ customerIds: [b.customer] }),
  "POST /v1/groups/:id/members/remove": () => ({ customerIds: [b.customer] }),
  "POST /v1/templates/:key/test-send": () => ({}),
  "POST /v1/agreements/:id/cancel": () => ({ reason: "teste de isolamento" }),
  "POST /v1/customers/:id/calls": () => ({
    outcome: "answered",
    promisedOn: "2026-12-01",
    promisedCents: 100,
  }),
  "POST /v1/customers/:id/notes": () => ({ body: "anotação de A" }),
  "POST /v1/customers/:id/reopen": () => ({ reason: "teste de isolamento" }),
  "POST /v1/reconciliation/:id/match": () => ({ invoiceId: b.invoice }),
  "POST /v1/reconciliation/:id/split": () => ({
    allocations: [
      { invoiceId: b.invoice, amountCents: 700 },
      { invoiceId: b.invoice, amountCents: 77 },
    ],
  }),
  "POST /v1/reconciliation/:id/refund": () => ({}),
  "POST /v1/customers/:id/pause": () => ({ until: "2026-12-31", reason: "teste de isolamento" }),
  "PUT /v1/customers/:id/credit-limit": () => ({ creditLimitCents: 1 }),
  "POST /v1/customers/:id/tags": () => ({ tags: ["tag-de-a"] }),
  "POST /v1/invoices/:id/tags": () => ({ tags: ["tag-de-a"] }),
  "PUT /v1/policies/:name": () => ({
    name: "Politica Secreta B",
    steps: [{ name: "D+1", offsetDays: 1, channels: ["email"], templates: { email: "email.d+6" } }],
  }),
};

describe("every route with ids in the path", () => {
  it("answers 404 to tenant A for each of B's ids, and B's data is untouched", async () => {
    const routes = server.app.registeredRoutes.filter(
      (route) => route.url.includes(":") && route.method !== "HEAD" && !NOT_TENANT_ADDRESSED[route.url],
    );
    const missing = routes.filter((route) => !PATH_VALUES[route.url]).map((route) => route.url);
    expect(missing, "routes with parameters not covered by this suite").toEqual([]);
    for (const route of routes) {
      const values = PATH_VALUES[route.url]!();
      let path = route.url;
      for (const [name, value] of Object.entries(values)) path = path.replace(`:${name}`, value);
      if (route.url === "/v1/payments/notifications/:provider") {
        const raw = JSON.stringify({
          id: "x1",
          invoiceExternalId: b.invoiceExternal,
          amountCents: 1,
          paidAt: "2026-11-23T10:00:00Z",
        });
        const response = await call(null, "POST", `${path}?tenant=${a.slug}`, {
          raw,
          headers: { "x-signature": gatewaySignature(b.gatewaySecret!, raw) },
        });
        expect(response.status, `${route.method} ${route.url}`).toBe(404);
        continue;
      }
      if (
        (route.url === "/v1/policies/:name" && route.method !== "GET") ||
        (route.url === "/v1/templates/:key" && route.method === "PUT")
      ) {
        // policies and templates are named per tenant: A writing one of the same name writes A's own
        continue;
      }
      const body = VALID_BODIES[`${route.method} ${route.url}`]?.();
      for (const caller of [adminA, keyA]) {
        const response = await call(caller, route.method, path, body === undefined ? {} : { body });
        const allowedElsewhere = response.status === 403; // a key may not call admin routes at all
        if (!allowedElsewhere) expect(response.status, `${route.method} ${path}: ${response.text}`).toBe(404);
        expectNoDataOfB(response.text);
      }
    }
    // A's PUT and DELETE of a policy with B's policy's name act on A's own policy only
    const put = await call(adminA, "PUT", `/v1/policies/${b.policyName}`, {
      body: VALID_BODIES["PUT /v1/policies/:name"]!(),
    });
    expect(put.status).toBe(200);
    expect(put.body.tenantId).toBe(a.id);
    expect((await call(adminA, "DELETE", `/v1/policies/${b.policyName}`)).status).toBe(204);
    expect((await call(adminA, "DELETE", `/v1/policies/${b.policyName}`)).status).toBe(404);
    const policyOfB = await handle.db
      .selectFrom("policies")
      .select("tenant_id")
      .where("name", "=", "Politica Secreta B")
      .execute();
    expect(policyOfB.map((row) => row.tenant_id)).not.toContain(a.id);
    expect(policyOfB).toHaveLength(1);
    // nothing of B changed
    const customer = await handle.db
      .selectFrom("customers")
      .selectAll()
      .where("id", "=", b.customer!)
      .executeTakeFirstOrThrow();
    expect(customer.name).toBe("Beatriz Segredo");
    const request = await handle.db
      .selectFrom("plan_change_requests")
      .select("status")
      .where("id", "=", b.planChangeRequest!)
      .executeTakeFirstOrThrow();
    expect(request.status).toBe("requested");
    const invoice = await handle.db
      .selectFrom("invoices")
      .selectAll()
      .where("id", "=", b.invoice!)
      .executeTakeFirstOrThrow();
    expect(invoice.status).toBe("open");
    const key = await handle.db
      .selectFrom("api_keys")
      .selectAll()
      .where("id", "=", b.apiKey!)
      .executeTakeFirstOrThrow();
    expect(key.revoked_at).toBeNull();
    expect(
      await handle.db
        .selectFrom("webhook_endpoints")
        .select("id")
        .where("id", "=", b.endpoint!)
        .executeTakeFirst(),
    ).toBeDefined();
  });
});

describe("ids of B in bodies and queries", () => {
  it("refuses to attach A's records to B's customer, invoice or contract", async () => {
    const contract = await call(keyA, "POST", "/v1/contracts", {
      body: { externalId: "a-ct", customerId: b.customer, plan: "x" },
    });
    expect(contract.status).toBe(404);
    const invoice = await call(keyA, "POST", "/v1/invoices", {
      body: {
        externalId: "a-fat",
        customerId: b.customer,
        amountCents: 100,
        issueDate: "2026-11-01",
        dueDate: "2026-12-01",
      },
    });
    expect(invoice.status).toBe(404);
    const payment = await call(keyA, "POST", "/v1/payments", {
      body: { externalId: "a-pg", invoiceId: b.invoice, amountCents: 100, paidAt: "2026-11-23T10:00:00Z" },
    });
    expect(payment.status).toBe(404);
    // by B's external id the payment is A's own, unmatched: it must not settle B's invoice
    const byExternal = await call(keyA, "POST", "/v1/payments", {
      body: {
        externalId: "a-pg-2",
        invoiceExternalId: b.invoiceExternal,
        amountCents: 100,
        paidAt: "2026-11-23T10:00:00Z",
      },
    });
    expect(byExternal.status).toBe(201);
    expect(byExternal.body.invoice).toBeNull();
    for (const response of [contract, invoice, payment, byExternal]) expectNoDataOfB(response.text);
    const preview = await call(keyA, "GET", `/v1/policies/preview?customerId=${b.customer}`);
    expect(preview.status).toBe(404);
  });

  it("refuses tickets, sends and group members for B's customers, and B's ticket and group are untouched", async () => {
    const ticket = await call(keyA, "POST", "/v1/tickets", { body: { title: "x", customerId: b.customer } });
    expect(ticket.status).toBe(404);
    const bulk = await call(keyA, "POST", "/v1/tickets/bulk", {
      body: { title: "x", customerIds: [b.customer] },
    });
    expect(bulk.status).toBe(404);
    const send = await call(keyA, "POST", "/v1/batch-sends", {
      body: { template: "email.d+6", filter: "open", customerIds: [b.customer], dryRun: true },
    });
    expect(send.body).toMatchObject({ customers: 0, invoices: 0 });
    const letters = await call(keyA, "POST", "/v1/letters", { body: { customerIds: [b.customer] } });
    expect(letters.headers.get("x-letter-count")).toBe("0");
    const ownGroup = (
      await call(keyA, "POST", "/v1/groups", { body: { name: "Grupo A", purpose: "general" } })
    ).body.id;
    const join = await call(keyA, "POST", `/v1/groups/${ownGroup}/members`, {
      body: { customerIds: [b.customer] },
    });
    expect(join.body).toMatchObject({ added: [], refused: [{ customerId: b.customer, name: null }] });
    for (const response of [ticket, bulk, send, join]) expectNoDataOfB(response.text);
    const ticketOfB = await handle.db
      .selectFrom("tickets")
      .select(["status", "title"])
      .where("id", "=", b.ticket!)
      .executeTakeFirstOrThrow();
    expect(ticketOfB).toEqual({ status: "open", title: "Ticket segredo-b" });
    const memberOfB = await handle.db
      .selectFrom("customer_group_members")
      .select("removed_at")
      .where("group_id", "=", b.group!)
      .executeTakeFirstOrThrow();
    expect(memberOfB.removed_at).toBeNull();
  });

  it("lists and searches show nothing of B", async () => {
    for (const path of [
      `/v1/invoices?customerId=${b.customer}`,
      "/v1/invoices?tag=tag-secreta-b",
      "/v1/invoices",
      "/v1/customers",
      "/v1/customers?tag=tag-secreta-b",
      "/v1/payments/unmatched",
      "/v1/webhooks/endpoints",
      "/v1/webhooks/deliveries",
      "/v1/policies",
      "/v1/api-keys",
      "/v1/operators",
      "/v1/audit-log",
      "/v1/tickets",
      `/v1/tickets?customerId=${b.customer}`,
      "/v1/groups",
      "/v1/groups/removals-due",
      "/v1/groups/removals-due?format=csv",
      "/v1/work-queue",
      "/v1/customer-overview",
      `/v1/customer-overview?groupId=${b.group}`,
      `/v1/audit-log?resourceId=${b.customer}`,
      "/v1/templates",
      "/v1/reports/detailed?from=2026-01-01&to=2026-12-31",
      "/v1/reports/oldest?from=2026-01-01&to=2026-12-31",
      "/v1/reports/summary?from=2026-01-01&to=2026-12-31&tag=tag-secreta-b",
      "/v1/tags",
      "/v1/settings/messaging",
    ]) {
      const response = await call(adminA, "GET", path);
      expect(response.status, path).toBe(200);
      expectNoDataOfB(response.text);
    }
  });

  it("a standing token of B shows B's standing only, and A's key cannot mint one for B", async () => {
    const minted = await call(keyA, "POST", `/v1/customers/${b.customer}/standing-token`, { body: {} });
    expect(minted.status).toBe(404);
    const own = await call(null, "GET", `/embed/standing?token=${b.standingToken}`);
    expect(own.body.customerId).toBe(b.customer);
  });
});
