import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Dispatcher } from "../../src/modules/messages/dispatcher.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { apiTenant, cpf } from "../support/api-fixtures.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";
import { apiKeyFor } from "../support/http.ts";
import { insertPlannedActions } from "../support/message-fixtures.ts";
import { type HttpPeer, startHttpPeer } from "../support/message-peers.ts";

const morning = new Date("2026-11-23T13:00:00Z");
const clock = new FixedClock(morning);
let api: ApiTest<{ id: string; slug: string }>;

let provider: HttpPeer;

beforeAll(async () => {
  provider = await startHttpPeer();
  api = await startApiTest(clock, apiTenant);
});
afterAll(async () => {
  await api?.close();
  await provider?.close();
});

let counter = 0;
async function customerWithInvoice(tags: string[] = []) {
  counter += 1;
  const customer = await api.call(api.key, "POST", "/v1/customers", {
    body: {
      externalId: `tg-${counter}`,
      name: `Cliente ${counter}`,
      document: cpf(),
      tags,
      contacts: [{ channel: "sms", value: `+551199990${String(counter).padStart(4, "0")}` }],
    },
  });
  expect(customer.status, customer.text).toBe(201);
  const invoice = await api.call(api.key, "POST", "/v1/invoices", {
    body: {
      externalId: `tg-fat-${counter}`,
      customerId: customer.body.id,
      amountCents: 99_00,
      issueDate: "2026-10-01",
      dueDate: "2026-11-17",
    },
  });
  expect(invoice.status, invoice.text).toBe(201);
  return { customer: customer.body as { id: string }, invoice: invoice.body as { id: string } };
}

describe("tags", () => {
  it("added to and removed from customers and invoices, counted per tag, and filtering invoices", async () => {
    const first = await customerWithInvoice(["vip"]);
    const second = await customerWithInvoice();

    const added = await api.call(api.key, "POST", `/v1/customers/${second.customer.id}/tags`, {
      body: { tags: ["vip", "renegociar", "vip"] },
    });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ tags: ["renegociar", "vip"] });
    const onInvoice = await api.call(api.key, "POST", `/v1/invoices/${first.invoice.id}/tags`, {
      body: { tags: ["contestada"] },
    });
    expect(onInvoice.body).toEqual({ tags: ["contestada"] });
    expect((await api.call(api.key, "GET", `/v1/invoices/${first.invoice.id}`)).body.tags).toEqual([
      "contestada",
    ]);

    expect((await api.call(api.key, "GET", "/v1/tags")).body).toEqual({
      data: [
        { tag: "contestada", customers: 0, invoices: 1 },
        { tag: "renegociar", customers: 1, invoices: 0 },
        { tag: "vip", customers: 2, invoices: 0 },
      ],
    });
    // an invoice's own tag and its customer's both filter the list
    const disputed = await api.call(api.key, "GET", "/v1/invoices?tag=contestada");
    expect(disputed.body.data.map((invoice: { id: string }) => invoice.id)).toEqual([first.invoice.id]);
    const renegotiate = await api.call(api.key, "GET", "/v1/invoices?tag=renegociar");
    expect(renegotiate.body.data.map((invoice: { id: string }) => invoice.id)).toEqual([second.invoice.id]);

    const removed = await api.call(api.key, "DELETE", `/v1/customers/${second.customer.id}/tags/vip`);
    expect(removed.body).toEqual({ tags: ["renegociar"] });
    expect(
      (
        await api.call(
          api.key,
          "DELETE",
          `/v1/invoices/${first.invoice.id}/tags/${encodeURIComponent("contestada")}`,
        )
      ).body,
    ).toEqual({ tags: [] });
    expect((await api.call(api.key, "GET", "/v1/tags")).body.data).toEqual([
      { tag: "renegociar", customers: 1, invoices: 0 },
      { tag: "vip", customers: 1, invoices: 0 },
    ]);
    // and the list follows the removals: the invoice's tag and the customer's
    const listed = async (tag: string) =>
      (await api.call(api.key, "GET", `/v1/invoices?tag=${tag}`)).body.data.map(
        (invoice: { id: string }) => invoice.id,
      );
    expect(await listed("contestada")).toEqual([]);
    expect(await listed("vip")).toEqual([first.invoice.id]);
    expect(await listed("renegociar")).toEqual([second.invoice.id]);
  });

  it("refuses an empty list naming the field, and a read-only key", async () => {
    const { customer } = await customerWithInvoice();
    const empty = await api.call(api.key, "POST", `/v1/customers/${customer.id}/tags`, {
      body: { tags: [] },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.field).toBe("tags");
    const reader = await apiKeyFor(api.handle, api.tenant.id, "read");
    expect(
      (await api.call(reader, "POST", `/v1/customers/${customer.id}/tags`, { body: { tags: ["x"] } })).status,
    ).toBe(403);
  });
});

describe("messages of a customer and of an invoice", () => {
  it("show state, attempts, provider, cost and what was said, newest first in cursor pages", async () => {
    await api.handle.db
      .insertInto("messaging_settings")
      .values({
        tenant_id: api.tenant.id,
        sms_provider: "zenvia",
        sms_base_url: provider.url,
        sms_token: "t",
        sms_from: "credora",
        sms_price_cents: 9,
      })
      .onConflict((conflict) => conflict.column("tenant_id").doNothing())
      .execute();
    const { customer, invoice } = await customerWithInvoice();
    const other = await customerWithInvoice();
    const debtor = { customerId: customer.id, invoiceIds: [invoice.id] };
    for (const [index, sendOn] of ["2026-11-21", "2026-11-22", "2026-11-23"].entries()) {
      await insertPlannedActions(
        api.handle.db,
        api.tenant.id,
        debtor,
        { name: `D+${4 + index}`, offsetDays: 4 + index, channel: "sms", template: "sms.d+6" },
        { sendOn, scheduledFor: morning, sendUntil: new Date("2026-11-23T23:00:00Z") },
      );
      const dispatcher = new Dispatcher(api.handle.db, {
        clock: new FixedClock(new Date(morning.getTime() + index * 60_000)),
        tenantId: api.tenant.id,
        smtpUrl: null,
      });
      await dispatcher.drain();
      await dispatcher.close();
    }
    await insertPlannedActions(
      api.handle.db,
      api.tenant.id,
      { customerId: other.customer.id, invoiceIds: [other.invoice.id] },
      { name: "D+6", offsetDays: 6, channel: "sms", template: "sms.d+6" },
      { sendOn: "2026-11-23", scheduledFor: morning, sendUntil: new Date("2026-11-23T23:00:00Z") },
    );
    const dispatcher = new Dispatcher(api.handle.db, { clock, tenantId: api.tenant.id, smtpUrl: null });
    await dispatcher.drain();
    await dispatcher.close();

    const firstPage = await api.call(api.key, "GET", `/v1/customers/${customer.id}/messages?limit=2`);
    expect(firstPage.status).toBe(200);
    expect(firstPage.body.data).toHaveLength(2);
    expect(firstPage.body.next_cursor).toEqual(expect.any(String));
    const secondPage = await api.call(
      api.key,
      "GET",
      `/v1/customers/${customer.id}/messages?limit=2&cursor=${firstPage.body.next_cursor}`,
    );
    expect(secondPage.body.data).toHaveLength(1);
    expect(secondPage.body.next_cursor).toBeNull();
    const all = [...firstPage.body.data, ...secondPage.body.data];
    expect(new Set(all.map((message: { id: string }) => message.id)).size).toBe(3);
    const createdAt = all.map((message: { createdAt: string }) => message.createdAt);
    expect([...createdAt].sort().reverse()).toEqual(createdAt);
    expect(all[0]).toMatchObject({
      customerId: customer.id,
      channel: "sms",
      template: "sms.d+6",
      state: "sent",
      attempts: 1,
      provider: "zenvia",
      providerMessageId: expect.stringMatching(/^zenvia-/),
      // two GSM-7 segments at 9 cents each
      costCents: 18,
      segments: 2,
      subject: null,
      body: expect.stringContaining("sua fatura venceu em 17/11/2026"),
      sentAt: expect.any(String),
    });

    const ofInvoice = await api.call(api.key, "GET", `/v1/invoices/${invoice.id}/messages`);
    expect(ofInvoice.body.data.map((message: { id: string }) => message.id)).toEqual(
      all.map((message: { id: string }) => message.id),
    );
    const ofOther = await api.call(api.key, "GET", `/v1/invoices/${other.invoice.id}/messages`);
    expect(ofOther.body.data).toHaveLength(1);
    expect(ofOther.body.data[0].customerId).toBe(other.customer.id);
  });

  it("an operator's read of a customer's messages is audited (LGPD)", async () => {
    const { customer } = await customerWithInvoice();
    const analyst = await api.operator("analyst");
    expect((await api.call(analyst, "GET", `/v1/customers/${customer.id}/messages`)).status).toBe(200);
    const audit = await api.handle.db
      .selectFrom("audit_log")
      .select(["action", "resource_id"])
      .where("tenant_id", "=", api.tenant.id)
      .where("action", "=", "GET /v1/customers/:id/messages")
      .execute();
    expect(audit).toEqual([{ action: "GET /v1/customers/:id/messages", resource_id: customer.id }]);
  });
});
