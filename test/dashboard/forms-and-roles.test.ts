import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fieldLabel } from "../../src/i18n/pt-BR/field-labels.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import {
  addCustomer,
  addInvoice,
  type TestCustomer,
  tenantWithDefaultRegua,
} from "../scenarios/regua-support.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";
import { apiKeyFor, type Caller } from "../support/http.ts";

/**
 * What an operator reads when the API refuses their input or their role, and what the customer
 * timeline tells beyond messages and payments. Today is Monday 2026-11-23 in São Paulo.
 */
const clock = new FixedClock("2026-11-23T15:00:00Z");
let api: ApiTest<Tenant>;
let admin: Caller;
let viewer: Caller;
let customer: TestCustomer;

beforeAll(async () => {
  api = await startApiTest(clock, (handle) => tenantWithDefaultRegua(handle.db));
  admin = await api.operator("admin");
  viewer = await api.operator("viewer");
  customer = await addCustomer(api.handle.db, api.tenant);
});

afterAll(() => api?.close());

/** A refusal whose message names the field by its label, never by its internal path. */
function expectRefused(
  response: { status: number; body: { error: { field: string; message: string } } },
  field: string,
  label: string,
) {
  expect(response.status).toBe(400);
  expect(response.body.error.field).toBe(field);
  expect(response.body.error.message.startsWith(`${label}: `)).toBe(true);
  expect(response.body.error.message).not.toContain(field);
}

describe("input refused with the field's human label", () => {
  it("a promise to pay before the day of the call, or beyond 180 days", async () => {
    const path = `/v1/customers/${customer.id}/calls`;
    const before = await api.call(admin, "POST", path, {
      body: { outcome: "answered", promisedOn: "2026-11-22", promisedCents: 10_000 },
    });
    expectRefused(before, "promisedOn", "Data prometida");
    expect(before.body.error.message).toBe("Data prometida: deve ser hoje (23/11/2026) ou depois");
    const far = await api.call(admin, "POST", path, {
      body: { outcome: "answered", promisedOn: "2027-06-01", promisedCents: 10_000 },
    });
    expectRefused(far, "promisedOn", "Data prometida");
    const today = await api.call(admin, "POST", path, {
      body: { outcome: "answered", promisedOn: "2026-11-23", promisedCents: 10_000 },
    });
    expect(today.status).toBe(201);
  });

  it("a ticket due in the past, opened or changed", async () => {
    const past = await api.call(admin, "POST", "/v1/tickets", {
      body: { title: "Ligar de novo", dueOn: "2026-11-20" },
    });
    expectRefused(past, "dueOn", "Prazo");
    const opened = await api.call(admin, "POST", "/v1/tickets", {
      body: { title: "Ligar de novo", dueOn: "2026-11-23" },
    });
    expect(opened.status).toBe(201);
    const moved = await api.call(admin, "PATCH", `/v1/tickets/${opened.body.id}`, {
      body: { dueOn: "2026-11-01" },
    });
    expectRefused(moved, "dueOn", "Prazo");
    // closing a ticket that is already late is not a change of its due date
    const closed = await api.call(admin, "PATCH", `/v1/tickets/${opened.body.id}`, {
      body: { status: "done" },
    });
    expect(closed.status).toBe(200);
  });

  it("a report whose De comes after its Até, even with Até left to its default", async () => {
    const reversed = await api.call(admin, "GET", "/v1/reports/summary?from=2026-11-30&to=2026-11-01");
    expectRefused(reversed, "from", "De");
    expect(reversed.body.error.message).toContain("30/11/2026 é depois de 01/11/2026");
    const alone = await api.call(admin, "GET", "/v1/reports/summary?from=2030-01-01");
    expectRefused(alone, "from", "De");
  });

  it("nested paths and paths repeated in the message become one label", async () => {
    const link = await api.call(admin, "POST", `/v1/customers/${customer.id}/portal-link`, {
      body: { ttlDays: 99 },
    });
    expect(link.body.error.message).toBe("Validade do link (dias): de 1 a 30 dias");
    const policies = (await api.call(admin, "GET", "/v1/policies")).body.data;
    const policy = policies[0];
    const steps = structuredClone(policy.steps);
    steps[1].window = { start: "25:00", end: "08:00" };
    const bad = await api.call(admin, "PUT", `/v1/policies/${encodeURIComponent(policy.name)}`, {
      body: { ...policy, steps },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toMatch(/^steps\.1\.window/);
    expect(bad.body.error.message).toMatch(/^Passo 2 — (Início da janela de envio|Janela de envio)/);
    expect(bad.body.error.message).not.toMatch(/steps\.\d/);
  });
});

interface Operation {
  requestBody?: { content?: Record<string, { schema?: Record<string, unknown> }> };
  parameters?: { in: string; name: string }[];
}

describe("every input field has a label", () => {
  it("in every body and query of the API, but the PSPs' and providers' own payloads", async () => {
    const doc = (await api.call(null, "GET", "/openapi.json")).body;
    const unlabelled = new Set<string>();
    const walk = (schema: Record<string, unknown> | undefined, path: string[]) => {
      if (!schema || typeof schema !== "object") return;
      const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      for (const [name, inner] of Object.entries(properties)) {
        const field = [...path, name].join(".");
        if (fieldLabel(field) === null) unlabelled.add(field);
        walk(inner, [...path, name]);
      }
      if (schema.items) walk(schema.items as Record<string, unknown>, [...path, "0"]);
      for (const key of ["anyOf", "oneOf", "allOf"])
        for (const inner of (schema[key] ?? []) as Record<string, unknown>[]) walk(inner, path);
    };
    const foreign = /^\/(embed|v1\/pix\/webhook|v1\/providers|v1\/payments\/notifications)\b/;
    for (const [url, methods] of Object.entries<Record<string, Operation>>(doc.paths)) {
      if (foreign.test(url)) continue;
      for (const operation of Object.values(methods)) {
        walk(operation.requestBody?.content?.["application/json"]?.schema, []);
        for (const parameter of operation.parameters ?? [])
          if (parameter.in === "query" && fieldLabel(parameter.name) === null) unlabelled.add(parameter.name);
      }
    }
    expect([...unlabelled]).toEqual([]);
  });
});

describe("refused by role", () => {
  it("tells an operator about their role and a program about its key", async () => {
    const asViewer = await api.call(viewer, "POST", `/v1/customers/${customer.id}/notes`, {
      body: { body: "x" },
    });
    expect(asViewer.status).toBe(403);
    expect(asViewer.body.error.message).toBe(
      "Seu papel de operador (leitura) não permite esta ação; peça a um administrador do credor.",
    );
    const readKey = await apiKeyFor(api.handle, api.tenant.id, "read");
    const asKey = await api.call(readKey, "POST", `/v1/customers/${customer.id}/notes`, {
      body: { body: "x" },
    });
    expect(asKey.status).toBe(403);
    expect(asKey.body.error.message).toContain("chave de API");
  });
});

describe("the timeline", () => {
  it("tells scheduled and skipped sends with the reason, groups joined and left, opt-outs and portal contacts", async () => {
    const { db } = api.handle;
    const invoiceId = await addInvoice(db, api.tenant, customer, "2026-11-10", 20_000);
    const step = await db
      .selectFrom("policy_steps")
      .select(["id", "policy_id"])
      .where("tenant_id", "=", api.tenant.id)
      .executeTakeFirstOrThrow();
    const action = (status: "planned" | "skipped", channel: "email" | "sms", skipReason: string | null) => ({
      tenant_id: api.tenant.id,
      invoice_id: invoiceId,
      customer_id: customer.id,
      policy_id: step.policy_id,
      step_id: step.id,
      step_name: status === "planned" ? "envio avulso" : "D+12",
      offset_days: 12,
      channel,
      template: status === "planned" ? "email.d+12" : "sms.d+6",
      group_key: `${customer.id}:${channel}:${status}`,
      status,
      skip_reason: skipReason,
      planned_on: "2026-11-22",
      send_on: "2026-11-24",
      scheduled_for: new Date("2026-11-24T12:00:00Z"),
      send_until: new Date("2026-11-24T23:00:00Z"),
      amount_cents: 20_000,
      created_at: new Date("2026-11-22T12:00:00Z"),
      updated_at: new Date("2026-11-22T12:00:00Z"),
    });
    await db
      .insertInto("dunning_actions")
      .values([action("planned", "email", null), action("skipped", "sms", "opted_out")])
      .execute();

    const group = await api.call(admin, "POST", "/v1/groups", {
      body: { name: "Protesto novembro", purpose: "protest" },
    });
    await api.call(admin, "POST", `/v1/groups/${group.body.id}/members`, {
      body: { customerIds: [customer.id] },
    });
    const left = await api.call(admin, "DELETE", `/v1/groups/${group.body.id}/members/${customer.id}`);
    expect(left.status).toBeLessThan(300);

    const sms = await db
      .selectFrom("contacts")
      .select("id")
      .where("tenant_id", "=", api.tenant.id)
      .where("customer_id", "=", customer.id)
      .where("channel", "=", "sms")
      .executeTakeFirstOrThrow();
    const optOut = await api.call(admin, "POST", `/v1/customers/${customer.id}/contacts/${sms.id}/opt-out`);
    expect(optOut.status).toBeLessThan(300);
    await db
      .insertInto("portal_contact_codes")
      .values({
        tenant_id: api.tenant.id,
        customer_id: customer.id,
        channel: "email",
        value: "novo@exemplo.com.br",
        code_hash: "x",
        created_at: new Date("2026-11-21T12:00:00Z"),
        expires_at: new Date("2026-11-21T12:10:00Z"),
        used_at: new Date("2026-11-21T12:05:00Z"),
      })
      .execute();

    const timeline = await api.call(admin, "GET", `/v1/customers/${customer.id}/timeline?limit=100`);
    expect(timeline.status).toBe(200);
    const entries: { kind: string; data: Record<string, unknown> }[] = timeline.body.data;
    const of = (kind: string) => entries.filter((entry) => entry.kind === kind).map((entry) => entry.data);
    expect(of("action")).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ status: "planned", stepName: "envio avulso", template: "email.d+12" }),
        expect.objectContaining({ status: "skipped", skipReason: "opted_out", channel: "sms" }),
      ]),
    );
    expect(of("group").map((data) => [data.change, data.groupName, data.purpose])).toEqual(
      expect.arrayContaining([
        ["added", "Protesto novembro", "protest"],
        ["removed", "Protesto novembro", "protest"],
      ]),
    );
    expect(of("contact")).toEqual(
      expect.arrayContaining([
        // the operator's opt-out, with who made it and where
        expect.objectContaining({
          change: "edited",
          detail: "opted_out",
          channel: "sms",
          source: "dashboard",
        }),
        expect.objectContaining({ change: "confirmed", channel: "email", value: "novo@exemplo.com.br" }),
      ]),
    );
    // an action that became a message is told once, by the message
    await db
      .insertInto("messages")
      .values({
        tenant_id: api.tenant.id,
        action_id: (
          await db
            .selectFrom("dunning_actions")
            .select("id")
            .where("tenant_id", "=", api.tenant.id)
            .where("status", "=", "planned")
            .where("customer_id", "=", customer.id)
            .executeTakeFirstOrThrow()
        ).id,
        group_key: "sent-once",
        customer_id: customer.id,
        channel: "email",
        template: "email.d+12",
        state: "queued",
        next_attempt_at: new Date("2026-11-24T12:00:00Z"),
      })
      .execute();
    const again = await api.call(admin, "GET", `/v1/customers/${customer.id}/timeline?limit=100`);
    const kinds = again.body.data.map((entry: { kind: string; data: { status?: string } }) =>
      entry.kind === "action" ? `action:${entry.data.status}` : entry.kind,
    );
    expect(kinds).not.toContain("action:planned");
    expect(kinds).toContain("action:skipped");
    expect(kinds).toContain("message");
  });
});
