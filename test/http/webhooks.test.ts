import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { gatewaySignature } from "../../src/modules/payments/gateway.service.ts";
import { deliverDueWebhooks, retryDelaySeconds } from "../../src/modules/webhooks/webhook.service.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { apiTenant, cpf } from "../support/api-fixtures.ts";
import { apiKeyFor, client, operatorSession, startServer, type TestServer } from "../support/http.ts";
import { openTestDatabase } from "../support/test-database.ts";

type Verify = (
  header: string,
  rawBody: string,
  secret: string,
  toleranceSeconds?: number,
  nowMs?: number,
) => boolean;

/** The creditor's side: a real HTTP server on the loopback that records what it receives. */
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}
let receiver: Server;
let receiverUrl: string;
let received: Received[] = [];
let answerWith = 200;

const clock = new FixedClock("2026-11-23T15:00:00Z");
let handle: DatabaseHandle;
let server: TestServer;
let call: ReturnType<typeof client>;
let tenant: Awaited<ReturnType<typeof apiTenant>>;
let key: { key: string };
let verifyReguaSignature: Verify;
let snippetDir: string;

/** The verification snippet exactly as docs/webhooks.md shows it: the first ```js block. */
async function loadDocumentedSnippet(): Promise<Verify> {
  const doc = readFileSync("docs/webhooks.md", "utf8");
  const block = /```js\n([\s\S]*?)```/.exec(doc);
  if (!block) throw new Error("docs/webhooks.md has no ```js block");
  snippetDir = mkdtempSync(join(tmpdir(), "regua-snippet-"));
  const file = join(snippetDir, "verify.mjs");
  writeFileSync(file, block[1]!);
  const module = (await import(pathToFileURL(file).href)) as { verifyReguaSignature: Verify };
  return module.verifyReguaSignature;
}

beforeAll(async () => {
  verifyReguaSignature = await loadDocumentedSnippet();
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.statusCode = answerWith;
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  handle = await openTestDatabase();
  server = await startServer(handle, clock);
  call = client(server);
  tenant = await apiTenant(handle);
  key = await apiKeyFor(handle, tenant.id, "write");
});

afterAll(async () => {
  await server?.close();
  await handle?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  if (snippetDir) rmSync(snippetDir, { recursive: true, force: true });
});

beforeEach(async () => {
  received = [];
  answerWith = 200;
  // each test starts with no endpoints and nothing pending
  await handle.db.deleteFrom("webhook_endpoints").where("tenant_id", "=", tenant.id).execute();
});

let counter = 0;
async function customerWithInvoice(dueDate = "2026-12-10") {
  counter += 1;
  const customer = await call(key, "POST", "/v1/customers", {
    body: { externalId: `wh-${counter}`, name: `Cliente ${counter}`, document: cpf() },
  });
  const invoice = await call(key, "POST", "/v1/invoices", {
    body: {
      externalId: `wh-fat-${counter}`,
      customerId: customer.body.id,
      amountCents: 12_345,
      issueDate: "2026-10-01",
      dueDate,
    },
  });
  expect(invoice.status).toBe(201);
  return { customer: customer.body, invoice: invoice.body };
}

async function endpoint(events: string[] = []) {
  const response = await call(key, "POST", "/v1/webhooks/endpoints", { body: { url: receiverUrl, events } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  expect(response.body.secret).toMatch(/^whsec_/);
  return response.body as { id: string; secret: string };
}

describe("signed deliveries", () => {
  it("delivers invoice.created signed so that the documented snippet verifies it", async () => {
    const { secret } = await endpoint(["invoice.created"]);
    const { invoice } = await customerWithInvoice();
    const now = new Date();
    const report = await deliverDueWebhooks(handle.db, now);
    expect(report).toMatchObject({ attempted: 1, delivered: 1 });
    expect(received).toHaveLength(1);
    const delivery = received[0]!;
    const event = JSON.parse(delivery.body);
    expect(event).toMatchObject({
      type: "invoice.created",
      data: { invoice: { id: invoice.id, amountCents: 12_345 } },
    });
    expect(delivery.headers["regua-event-type"]).toBe("invoice.created");
    expect(delivery.headers["regua-event-id"]).toBe(event.id);
    const header = String(delivery.headers["regua-signature"]);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

    expect(verifyReguaSignature(header, delivery.body, secret)).toBe(true);
    expect(verifyReguaSignature(header, delivery.body.replace("12345", "12346"), secret)).toBe(false);
    expect(verifyReguaSignature(header, delivery.body, `${secret}x`)).toBe(false);
    // outside the replay window
    expect(verifyReguaSignature(header, delivery.body, secret, 300, now.getTime() + 301_000)).toBe(false);
  });

  it("sends only the events an endpoint asked for", async () => {
    await endpoint(["invoice.paid"]);
    const { invoice } = await customerWithInvoice();
    await deliverDueWebhooks(handle.db, new Date());
    expect(received).toHaveLength(0);
    await call(key, "POST", "/v1/payments", {
      body: {
        externalId: `pay-${invoice.id}`,
        invoiceId: invoice.id,
        amountCents: 12_345,
        paidAt: "2026-11-23T10:00:00Z",
      },
    });
    await deliverDueWebhooks(handle.db, new Date());
    expect(received.map((delivery) => JSON.parse(delivery.body).type)).toEqual(["invoice.paid"]);
  });

  it("carries customer.standing_changed from the engine's outbox", async () => {
    await endpoint(["customer.standing_changed"]);
    const { customer } = await customerWithInvoice("2026-10-20");
    const admin = await operatorSession(handle, tenant, "admin", clock);
    expect((await call(admin, "POST", "/v1/runs", { body: { date: "2026-11-23" } })).status).toBe(200);
    await deliverDueWebhooks(handle.db, new Date());
    const events = received.map((delivery) => JSON.parse(delivery.body));
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "customer.standing_changed",
        data: expect.objectContaining({ customerId: customer.id, from: "ok", to: "suspended" }),
      }),
    );
  });
});

describe("retries, ordering and the delivery log", () => {
  it("retries with exponential backoff, keeps a customer's events in order, and gives up after 3 days", async () => {
    const { id: endpointId, secret } = await endpoint(["invoice.created", "invoice.paid"]);
    const { invoice } = await customerWithInvoice();
    await call(key, "POST", "/v1/payments", {
      body: {
        externalId: `pay-o-${invoice.id}`,
        invoiceId: invoice.id,
        amountCents: 12_345,
        paidAt: "2026-11-23T10:00:00Z",
      },
    });
    answerWith = 500;
    const start = new Date("2026-11-23T15:00:00Z");
    const first = await deliverDueWebhooks(handle.db, start);
    // invoice.paid waits for invoice.created of the same customer
    expect(first).toMatchObject({ attempted: 1, delivered: 0 });
    expect(received.map((delivery) => JSON.parse(delivery.body).type)).toEqual(["invoice.created"]);

    // not due again before the backoff
    expect((await deliverDueWebhooks(handle.db, new Date(start.getTime() + 29_000))).attempted).toBe(0);
    expect((await deliverDueWebhooks(handle.db, new Date(start.getTime() + 30_000))).attempted).toBe(1);

    const log = await call(key, "GET", `/v1/webhooks/deliveries?endpointId=${endpointId}&status=pending`);
    const created = log.body.data.find(
      (delivery: { eventType: string }) => delivery.eventType === "invoice.created",
    );
    expect(created).toMatchObject({ attempts: 2, lastStatusCode: 500, lastError: "HTTP 500" });
    expect(created.nextAttemptAt).toBe(new Date(start.getTime() + 30_000 + 60_000).toISOString());

    answerWith = 200;
    received = [];
    await deliverDueWebhooks(handle.db, new Date(start.getTime() + 90_000));
    expect(received.map((delivery) => JSON.parse(delivery.body).type)).toEqual([
      "invoice.created",
      "invoice.paid",
    ]);
    const detail = await call(key, "GET", `/v1/webhooks/deliveries/${created.id}`);
    expect(detail.body.status).toBe("delivered");
    expect(detail.body.attemptLog.map((attempt: { statusCode: number }) => attempt.statusCode)).toEqual([
      500, 500, 200,
    ]);

    // a delivery that never succeeds is failed once the next try would pass 3 days
    const { invoice: other } = await customerWithInvoice();
    answerWith = 503;
    let at = start.getTime();
    let attempts = 0;
    for (let guard = 0; guard < 40; guard++) {
      const report = await deliverDueWebhooks(handle.db, new Date(at));
      attempts += report.attempted;
      if (report.failed > 0) break;
      at += retryDelaySeconds(attempts) * 1000;
    }
    const failed = await call(key, "GET", `/v1/webhooks/deliveries?status=failed`);
    const gaveUp = failed.body.data.find(
      (delivery: { payload: { data: { invoice: { id: string } } } }) =>
        delivery.payload.data.invoice.id === other.id,
    );
    expect(gaveUp.status).toBe("failed");
    expect(at - start.getTime()).toBeLessThanOrEqual(3 * 24 * 3600_000);
    expect(at - start.getTime()).toBeGreaterThan(2 * 24 * 3600_000);

    // manual redelivery: one more attempt, made now by the request itself (no worker tick), signed
    // and recorded like the worker's
    answerWith = 200;
    received = [];
    const again = await call(key, "POST", `/v1/webhooks/deliveries/${gaveUp.id}/redeliver`);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ id: gaveUp.id, status: "delivered", lastStatusCode: 200 });
    expect(received).toHaveLength(1);
    expect(received[0]!.headers["regua-delivery-id"]).toBe(gaveUp.id);
    expect(
      verifyReguaSignature(
        String(received[0]!.headers["regua-signature"]),
        received[0]!.body,
        secret,
        300,
        clock.now().getTime(),
      ),
    ).toBe(true);
    const redelivered = await call(key, "GET", `/v1/webhooks/deliveries/${gaveUp.id}`);
    expect(redelivered.body.status).toBe("delivered");
    expect(redelivered.body.attemptLog.at(-1)).toMatchObject({ attempt: attempts + 1, statusCode: 200 });
    // the worker finds nothing left to send
    expect((await deliverDueWebhooks(handle.db, clock.now())).attempted).toBe(0);
    expect(received).toHaveLength(1);
  });

  it("lists endpoints without secrets and removes one", async () => {
    const created = await endpoint();
    const listed = await call(key, "GET", "/v1/webhooks/endpoints");
    expect(listed.body.data.map((row: { id: string }) => row.id)).toEqual([created.id]);
    expect(JSON.stringify(listed.body)).not.toContain(created.secret);
    expect((await call(key, "DELETE", `/v1/webhooks/endpoints/${created.id}`)).status).toBe(204);
    expect((await call(key, "GET", "/v1/webhooks/endpoints")).body.data).toEqual([]);
    const bad = await call(key, "POST", "/v1/webhooks/endpoints", { body: { url: "ftp://x", events: [] } });
    expect(bad.body.error.field).toBe("url");
  });
});

describe("gateway notifications", () => {
  it("records a signed notification once, keeps an unknown invoice's payment, and refuses a bad signature", async () => {
    const admin = await operatorSession(handle, tenant, "admin", clock);
    const configured = await call(admin, "POST", "/v1/payment-gateways", { body: { provider: "pagbank" } });
    expect(configured.status).toBe(201);
    const secret = configured.body.secret as string;
    const { invoice } = await customerWithInvoice();
    const body = JSON.stringify({
      id: "PAG-123",
      invoiceExternalId: invoice.externalId,
      amountCents: 12_345,
      paidAt: "2026-11-23T09:30:00-03:00",
      method: "pix",
    });
    const url = `${server.url}/v1/payments/notifications/pagbank?tenant=${tenant.slug}`;
    const post = (raw: string, signature: string) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-signature": signature },
        body: raw,
      });

    const first = await post(body, gatewaySignature(secret, body));
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ matched: true, created: true });
    const again = await post(body, gatewaySignature(secret, body));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ created: false });
    expect((await call(key, "GET", `/v1/invoices/${invoice.id}`)).body.status).toBe("paid");

    const forged = await post(body.replace("12345", "1"), gatewaySignature(secret, body));
    expect(forged.status).toBe(401);
    const unknownTenant = await fetch(`${server.url}/v1/payments/notifications/pagbank?tenant=ninguem`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-signature": gatewaySignature(secret, body) },
      body,
    });
    expect(unknownTenant.status).toBe(404);

    const orphan = JSON.stringify({
      id: "PAG-999",
      invoiceExternalId: "ainda-nao-existe",
      amountCents: 500,
      paidAt: "2026-11-23T10:00:00Z",
    });
    const kept = await post(orphan, gatewaySignature(secret, orphan));
    expect(kept.status).toBe(201);
    expect(await kept.json()).toMatchObject({ matched: false });
    const unmatched = await call(key, "GET", "/v1/payments/unmatched");
    expect(unmatched.body.data.map((payment: { externalId: string }) => payment.externalId)).toContain(
      "pagbank:PAG-999",
    );
  });
});
