import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { addDays } from "../../src/domain/dates.ts";
import { runDay } from "../../src/modules/daily-run/daily-run.service.ts";
import { Dispatcher } from "../../src/modules/messages/dispatcher.ts";
import { listPolicies, policyDocument, savePolicy } from "../../src/modules/policies/policy.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { createEndpoint, deliverDueWebhooks } from "../../src/modules/webhooks/webhook.service.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { addCustomer, addInvoice, payInvoice, tenantWithDefaultRegua } from "../scenarios/regua-support.ts";
import { openTestDatabase } from "../support/test-database.ts";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  event: { id: string; type: string; createdAt: string; data: Record<string, unknown> };
}

let handle: DatabaseHandle;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: request.headers, body, event: JSON.parse(body) });
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/regua`;
  handle = await openTestDatabase();
});
afterAll(async () => {
  await handle?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** What the creditor's receiver checks: `t=…,v1=HMAC-SHA256("<t>.<raw body>")` under its secret. */
function signedBy(secret: string, delivery: Received): boolean {
  const parts = Object.fromEntries(
    String(delivery.headers["regua-signature"])
      .split(",")
      .map((part) => part.split("=", 2)),
  );
  const expected = createHmac("sha256", secret).update(`${parts.t}.${delivery.body}`).digest("hex");
  return parts.v1 === expected;
}

/** Days of the régua as the worker runs them: the daily run at 06:00, dispatch and delivery at noon. */
async function liveDays(tenant: Tenant, from: string, to: string): Promise<void> {
  for (let day = from; day <= to; day = addDays(day, 1)) {
    await runDay(handle.db, tenant, day);
    // the worker may run the same day twice (a restart): nothing is announced twice
    await runDay(handle.db, tenant, day);
    const noon = new Date(`${day}T15:00:00Z`);
    const dispatcher = new Dispatcher(handle.db, { clock: new FixedClock(noon), tenantId: tenant.id });
    await dispatcher.drain();
    await dispatcher.close();
    await deliverDueWebhooks(handle.db, noon);
  }
}

describe("events of the daily run, delivered signed to the creditor's endpoint", () => {
  it("invoice.overdue once per invoice, the day after it can no longer be paid without charges; the webhook step as collection.step_due", async () => {
    const tenant = await tenantWithDefaultRegua(handle.db);
    const [policy] = await listPolicies(handle.db, tenant.id);
    const document = policyDocument(policy!);
    await savePolicy(handle.db, tenant.id, {
      ...document,
      steps: [
        ...document.steps,
        {
          ...document.steps[0]!,
          name: "D+3 ERP",
          offsetDays: 3,
          channels: ["webhook"],
          templates: { webhook: "webhook.dunning-step" },
          attachLetter: false,
        },
      ],
    });
    const { secret } = await createEndpoint(handle.db, tenant.id, { url: receiverUrl, events: [] });

    const ana = await addCustomer(handle.db, tenant);
    const tuesday = await addInvoice(handle.db, tenant, ana, "2026-11-17", 120_00);
    const bruno = await addCustomer(handle.db, tenant);
    // due on a Saturday: payable without charges on Monday the 23rd, overdue from the 24th
    const saturday = await addInvoice(handle.db, tenant, bruno, "2026-11-21", 80_00);
    const carla = await addCustomer(handle.db, tenant);
    const paidEarly = await addInvoice(handle.db, tenant, carla, "2026-11-17", 50_00);
    await payInvoice(handle.db, tenant, paidEarly, "2026-11-16");

    await liveDays(tenant, "2026-11-16", "2026-11-25");

    for (const delivery of received) expect(signedBy(secret, delivery)).toBe(true);
    const overdue = received.filter((delivery) => delivery.event.type === "invoice.overdue");
    expect(
      overdue.map((delivery) => ({
        invoice: (delivery.event.data.invoice as { id: string }).id,
        asOf: delivery.event.data.asOf,
      })),
    ).toEqual([
      { invoice: tuesday, asOf: "2026-11-18" },
      { invoice: saturday, asOf: "2026-11-24" },
    ]);
    expect(overdue[0]!.event.data).toMatchObject({
      invoice: {
        id: tuesday,
        customerId: ana.id,
        amountCents: 120_00,
        dueDate: "2026-11-17",
        status: "open",
      },
    });
    // the start of the 18th in São Paulo
    expect(new Date(overdue[0]!.event.createdAt).toISOString()).toBe("2026-11-18T03:00:00.000Z");

    const steps = received.filter((delivery) => delivery.event.type === "collection.step_due");
    expect(steps.map((delivery) => (delivery.event.data.invoice as { id: string }).id)).toEqual([
      tuesday,
      saturday,
    ]);
    expect(steps[0]!.event.data).toMatchObject({
      step: { name: "D+3 ERP", offsetDays: 3, template: "webhook.dunning-step" },
      invoice: { id: tuesday, externalId: expect.any(String), amountCents: 120_00, dueDate: "2026-11-17" },
      customer: { id: ana.id, name: ana.name },
    });
    expect(steps[0]!.headers["regua-event-type"]).toBe("collection.step_due");
    const actions = await handle.db
      .selectFrom("dunning_actions")
      .select(["invoice_id", "status"])
      .where("tenant_id", "=", tenant.id)
      .where("channel", "=", "webhook")
      .orderBy("send_on")
      .execute();
    expect(actions).toEqual([
      { invoice_id: tuesday, status: "sent" },
      { invoice_id: saturday, status: "sent" },
    ]);
    // each delivery is in the log, delivered on its first attempt
    const log = await handle.db
      .selectFrom("webhook_deliveries")
      .select(["event_type", "status", "attempts"])
      .where("tenant_id", "=", tenant.id)
      .where("event_type", "in", ["invoice.overdue", "collection.step_due"])
      .execute();
    expect(log).toHaveLength(4);
    for (const row of log) expect(row).toMatchObject({ status: "delivered", attempts: 1 });
  });

  it("a webhook step whose invoice was paid before its time is skipped, not announced", async () => {
    const tenant = await tenantWithDefaultRegua(handle.db);
    const [policy] = await listPolicies(handle.db, tenant.id);
    const document = policyDocument(policy!);
    await savePolicy(handle.db, tenant.id, {
      ...document,
      steps: [
        {
          ...document.steps[0]!,
          name: "D0 ERP",
          offsetDays: 0,
          channels: ["webhook"],
          templates: { webhook: "webhook.dunning-step" },
        },
      ],
    });
    await createEndpoint(handle.db, tenant.id, { url: receiverUrl, events: ["collection.step_due"] });
    const before = received.length;
    const customer = await addCustomer(handle.db, tenant);
    const invoice = await addInvoice(handle.db, tenant, customer, "2026-12-01", 90_00);
    await runDay(handle.db, tenant, "2026-12-01");
    // paid in the morning, before the dispatcher's turn
    await handle.db
      .updateTable("invoices")
      .set({ status: "paid", paid_cents: 90_00, paid_at: new Date("2026-12-01T11:00:00Z") })
      .where("tenant_id", "=", tenant.id)
      .where("id", "=", invoice)
      .execute();
    const noon = new Date("2026-12-01T15:00:00Z");
    const dispatcher = new Dispatcher(handle.db, { clock: new FixedClock(noon), tenantId: tenant.id });
    await dispatcher.drain();
    await dispatcher.close();
    await deliverDueWebhooks(handle.db, noon);
    expect(received.length).toBe(before);
    const action = await handle.db
      .selectFrom("dunning_actions")
      .select(["status", "skip_reason"])
      .where("tenant_id", "=", tenant.id)
      .where("invoice_id", "=", invoice)
      .executeTakeFirstOrThrow();
    expect(action).toEqual({ status: "skipped", skip_reason: "fatura paga ou encerrada antes do envio" });
  });
});
