import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAmountDue } from "../../src/modules/invoices/invoice.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { addCustomer, type TestCustomer, tenantWithDefaultRegua } from "../scenarios/regua-support.ts";
import { cpf } from "../support/api-fixtures.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";
import type { Caller } from "../support/http.ts";
import { addAgreement, addInvoice, addPayment, addSentMessage, setInvoice } from "./fixtures.ts";

/**
 * The dashboard's API over real HTTP on a portfolio built by hand, so that every figure of the
 * panel is known in advance. Today is Monday 2026-11-23 in São Paulo.
 */
const clock = new FixedClock("2026-11-23T15:00:00Z");
let api: ApiTest<Tenant>;
let admin: Caller & { operatorId: string };
let viewer: Caller;
let ana: TestCustomer;
let bruno: TestCustomer;
let carla: TestCustomer;
type InvoiceName =
  | "a3"
  | "a22"
  | "b145"
  | "b5"
  | "bFuture"
  | "bCancelled"
  | "c34"
  | "cToday"
  | "cOnTime"
  | "cOld";
const invoices = {} as Record<InvoiceName, string>;

beforeAll(async () => {
  api = await startApiTest(clock, (handle) => tenantWithDefaultRegua(handle.db));
  admin = await api.operator("admin");
  viewer = await api.operator("viewer");
  const { db } = api.handle;
  ana = await addCustomer(db, api.tenant);
  bruno = await addCustomer(db, api.tenant);
  carla = await addCustomer(db, api.tenant);
  // Ana: 3 days late (R$ 100) and 22 days late with R$ 50 paid of R$ 200
  invoices.a3 = await addInvoice(db, api.tenant, ana, "2026-11-20", 10_000);
  invoices.a22 = await addInvoice(db, api.tenant, ana, "2026-11-01", 20_000);
  await setInvoice(db, api.tenant, invoices.a22, { paidCents: 5_000 });
  await addPayment(db, api.tenant, invoices.a22, 5_000, "2026-11-20T13:00:00Z"); // late, no message: "none"
  // Bruno: 145 days late (R$ 300), 5 days late (R$ 10), one not yet due, one cancelled
  invoices.b145 = await addInvoice(db, api.tenant, bruno, "2026-07-01", 30_000);
  invoices.b5 = await addInvoice(db, api.tenant, bruno, "2026-11-18", 1_000);
  invoices.bFuture = await addInvoice(db, api.tenant, bruno, "2026-11-30", 40_000);
  invoices.bCancelled = await addInvoice(db, api.tenant, bruno, "2026-09-01", 40_000);
  await setInvoice(db, api.tenant, invoices.bCancelled, { status: "cancelled" });
  // Carla: paid R$ 500 late on 2026-11-10 after an SMS on 11-05 (an e-mail on 10-25 is too old,
  // one on 11-11 came after); due today (not overdue); paid on time; paid late long ago
  invoices.c34 = await addInvoice(db, api.tenant, carla, "2026-10-20", 50_000);
  await setInvoice(db, api.tenant, invoices.c34, { status: "paid", paidCents: 50_000 });
  await addPayment(db, api.tenant, invoices.c34, 50_000, "2026-11-10T13:00:00Z");
  await addSentMessage(db, api.tenant, carla, invoices.c34, "email", "2026-10-25T13:00:00Z");
  await addSentMessage(db, api.tenant, carla, invoices.c34, "sms", "2026-11-05T13:00:00Z");
  await addSentMessage(db, api.tenant, carla, invoices.c34, "whatsapp", "2026-11-11T13:00:00Z");
  invoices.cToday = await addInvoice(db, api.tenant, carla, "2026-11-23", 7_000);
  invoices.cOnTime = await addInvoice(db, api.tenant, carla, "2026-11-15", 8_000);
  await setInvoice(db, api.tenant, invoices.cOnTime, { status: "paid", paidCents: 8_000 });
  await addPayment(db, api.tenant, invoices.cOnTime, 8_000, "2026-11-14T13:00:00Z");
  invoices.cOld = await addInvoice(db, api.tenant, carla, "2026-07-01", 9_000);
  await setInvoice(db, api.tenant, invoices.cOld, { status: "paid", paidCents: 9_000 });
  await addPayment(db, api.tenant, invoices.cOld, 9_000, "2026-07-20T13:00:00Z");
  for (const status of ["active", "broken", "completed", "proposed", "lapsed"] as const)
    await addAgreement(db, api.tenant, carla, status, status === "active" ? 12_345 : 1_000);

  // another tenant's overdue debt never shows
  const other = await tenantWithDefaultRegua(db);
  await addInvoice(db, other, await addCustomer(db, other), "2026-10-01", 99_900);
});

afterAll(() => api?.close());

describe("GET /v1/dashboard/panel", () => {
  it("shows the overdue debt, small delays apart, by aging phase", async () => {
    const response = await api.call(admin, "GET", "/v1/dashboard/panel");
    expect(response.status).toBe(200);
    const panel = response.body;
    expect(panel.asOf).toBe("2026-11-23");
    // Ana's R$ 100,00 due Friday 2026-11-20 (Dia da Consciência Negra, a national holiday) may be
    // paid today, Monday, without charges (Lei 7.089/1983): not overdue yet, as for standing
    expect(panel.overdue).toEqual({ cents: 46_000, invoices: 3, customers: 2 });
    expect(panel.smallDelays).toEqual({ cents: 1_000, invoices: 1, customers: 1 });
    expect(panel.delinquent).toEqual({ cents: 45_000, invoices: 2, customers: 2 });
    expect(
      panel.aging.map((phase: { phase: string; cents: number; invoices: number }) => [
        phase.phase,
        phase.cents,
        phase.invoices,
      ]),
    ).toEqual([
      ["1-5", 1_000, 1],
      ["6-15", 0, 0],
      ["16-30", 15_000, 1],
      ["31-60", 0, 0],
      ["61-90", 0, 0],
      ["90+", 30_000, 1],
    ]);
  });

  it("credits each late payment to the last message sent in the week before it", async () => {
    const { recovery } = (await api.call(api.key, "GET", "/v1/dashboard/panel")).body;
    expect(recovery.attributionDays).toBe(7);
    expect(recovery.weeks).toHaveLength(12);
    expect(recovery.weeks[0].weekStart).toBe("2026-09-07");
    expect(recovery.weeks[11]).toMatchObject({
      weekStart: "2026-11-23",
      weekEnd: "2026-11-29",
      totalCents: 0,
    });
    const nonEmpty = recovery.weeks.filter((week: { totalCents: number }) => week.totalCents > 0);
    expect(nonEmpty).toEqual([
      {
        weekStart: "2026-11-09",
        weekEnd: "2026-11-15",
        totalCents: 50_000,
        payments: 1,
        byChannel: { email: 0, sms: 50_000, whatsapp: 0, letter: 0, task: 0, none: 0 },
      },
      {
        weekStart: "2026-11-16",
        weekEnd: "2026-11-22",
        totalCents: 5_000,
        payments: 1,
        byChannel: { email: 0, sms: 0, whatsapp: 0, letter: 0, task: 0, none: 5_000 },
      },
    ]);
  });

  it("shows a payment recorded later into a week already shown (a closed week is kept, not frozen)", async () => {
    const before = (await api.call(admin, "GET", "/v1/dashboard/panel")).body.recovery.weeks;
    expect(before.find((week: { weekStart: string }) => week.weekStart === "2026-10-12").totalCents).toBe(0);
    await addPayment(api.handle.db, api.tenant, invoices.cOld, 1_234, "2026-10-14T13:00:00Z");
    const after = (await api.call(admin, "GET", "/v1/dashboard/panel")).body.recovery.weeks;
    expect(after.find((week: { weekStart: string }) => week.weekStart === "2026-10-12")).toMatchObject({
      totalCents: 1_234,
      payments: 1,
      byChannel: { none: 1_234 },
    });
    // the other weeks are as they were
    expect(after.filter((week: { weekStart: string }) => week.weekStart !== "2026-10-12")).toEqual(
      before.filter((week: { weekStart: string }) => week.weekStart !== "2026-10-12"),
    );
  });

  it("counts agreements and the broken rate over active, completed and broken ones", async () => {
    const { agreements } = (await api.call(viewer, "GET", "/v1/dashboard/panel")).body;
    expect(agreements).toEqual({
      proposed: 1,
      active: 1,
      activeCents: 12_345,
      completed: 1,
      broken: 1,
      brokenRate: 1 / 3,
    });
  });

  it("needs a session or a key", async () => {
    expect((await api.call(null, "GET", "/v1/dashboard/panel")).status).toBe(401);
  });
});

describe("the customer view", () => {
  it("shows invoices with today's amounts and the badges, and flags a credit limit exceeded", async () => {
    const limit = await api.call(admin, "PUT", `/v1/customers/${ana.id}/credit-limit`, {
      body: { creditLimitCents: 20_000 },
    });
    expect(limit.status).toBe(200);
    const response = await api.call(admin, "GET", `/v1/customers/${ana.id}/overview`);
    expect(response.status).toBe(200);
    const overview = response.body;
    expect(overview.customer).toMatchObject({ name: ana.name, creditLimitCents: 20_000 });
    expect(overview.customer.contacts.map((contact: { channel: string }) => contact.channel).sort()).toEqual([
      "email",
      "sms",
    ]);
    expect(overview.badges).toMatchObject({
      // the invoice due on the 11-20 holiday is payable today without charges: not overdue yet
      overdueInvoices: 1,
      openCents: 25_000,
      creditLimitExceeded: true,
    });
    const late = overview.invoices.find((invoice: { id: string }) => invoice.id === invoices.a22);
    const expected = await getAmountDue(api.handle.db, api.tenant, invoices.a22, "2026-11-23");
    expect(late).toMatchObject({ daysOverdue: 22, status: "open" });
    expect(late.today).toEqual({
      outstandingPrincipalCents: expected.outstandingPrincipalCents,
      fineCents: expected.fineCents,
      interestCents: expected.interestCents,
      totalDueCents: expected.totalDueCents,
    });
    // interest keeps running on what the partial payment left
    expect(late.today.totalDueCents).toBeGreaterThan(late.today.outstandingPrincipalCents);

    await api.call(admin, "PUT", `/v1/customers/${ana.id}/credit-limit`, {
      body: { creditLimitCents: null },
    });
    const cleared = (await api.call(admin, "GET", `/v1/customers/${ana.id}/overview`)).body;
    expect(cleared.badges.creditLimitExceeded).toBe(false);
  });

  it("logs a call with a promise to pay, and refuses a promise without its amount or from an unanswered call", async () => {
    const created = await api.call(admin, "POST", `/v1/customers/${bruno.id}/calls`, {
      body: {
        outcome: "answered",
        body: "Vai pagar na sexta",
        promisedOn: "2026-11-27",
        promisedCents: 31_000,
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: "call",
      outcome: "answered",
      promisedOn: "2026-11-27",
      promisedCents: 31_000,
      operatorId: admin.operatorId,
    });
    const noAmount = await api.call(admin, "POST", `/v1/customers/${bruno.id}/calls`, {
      body: { outcome: "answered", promisedOn: "2026-11-27" },
    });
    expect(noAmount.status).toBe(400);
    expect(noAmount.body.error.field).toBe("promisedCents");
    const unanswered = await api.call(admin, "POST", `/v1/customers/${bruno.id}/calls`, {
      body: { outcome: "no_answer", promisedOn: "2026-11-27", promisedCents: 100 },
    });
    expect(unanswered.status).toBe(400);
    expect(unanswered.body.error.field).toBe("outcome");
    expect(
      (await api.call(viewer, "POST", `/v1/customers/${bruno.id}/calls`, { body: { outcome: "no_answer" } }))
        .status,
    ).toBe(403);
    const byKey = await api.call(api.key, "POST", `/v1/customers/${bruno.id}/calls`, {
      body: { outcome: "voicemail" },
    });
    expect(byKey.body.operatorId).toBeNull();
  });

  it("pauses collection until a day: planned sends are dropped and a past day is refused", async () => {
    const planned = await api.handle.db
      .insertInto("dunning_actions")
      .values({
        tenant_id: api.tenant.id,
        invoice_id: invoices.b5,
        customer_id: bruno.id,
        policy_id: crypto.randomUUID(),
        step_id: crypto.randomUUID(),
        step_name: "D+6",
        offset_days: 6,
        channel: "email",
        template: "email.d+6",
        group_key: `${bruno.id}/planned`,
        status: "planned",
        planned_on: "2026-11-23",
        send_on: "2026-11-23",
        scheduled_for: new Date("2026-11-23T18:00:00Z"),
        send_until: new Date("2026-11-23T23:00:00Z"),
        amount_cents: 1_000,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const past = await api.call(admin, "POST", `/v1/customers/${bruno.id}/pause`, {
      body: { until: "2026-11-22", reason: "negociação" },
    });
    expect(past.status).toBe(400);
    expect(past.body.error.field).toBe("until");
    const pause = await api.call(admin, "POST", `/v1/customers/${bruno.id}/pause`, {
      body: { until: "2026-12-15", reason: "Negociando acordo por telefone" },
    });
    expect(pause.status).toBe(201);
    expect(pause.body).toMatchObject({ until: "2026-12-15", skippedActions: 1 });
    const action = await api.handle.db
      .selectFrom("dunning_actions")
      .select(["status", "skip_reason"])
      .where("tenant_id", "=", api.tenant.id)
      .where("id", "=", planned.id)
      .executeTakeFirstOrThrow();
    expect(action).toEqual({ status: "skipped", skip_reason: "paused" });
    const overview = (await api.call(admin, "GET", `/v1/customers/${bruno.id}/overview`)).body;
    expect(overview.pause).toMatchObject({ until: "2026-12-15", reason: "Negociando acordo por telefone" });
  });

  it("a pause is shortened by pausing again, refused beyond a year, and lifted before its day", async () => {
    const far = await api.call(admin, "POST", `/v1/customers/${bruno.id}/pause`, {
      body: { until: "2030-01-01", reason: "viagem" },
    });
    expect(far.status).toBe(400);
    expect(far.body.error.field).toBe("until");
    expect(far.body.error.message).toContain("no máximo 365 dias");
    const shorter = await api.call(admin, "POST", `/v1/customers/${bruno.id}/pause`, {
      body: { until: "2026-11-30", reason: "Retomar antes do fim do mês" },
    });
    expect(shorter.status).toBe(201);
    // the shorter pause replaced the one in force: only it is open
    const open = await api.handle.db
      .selectFrom("customer_pauses")
      .select("until")
      .where("tenant_id", "=", api.tenant.id)
      .where("customer_id", "=", bruno.id)
      .where("kind", "=", "pause")
      .where("released_at", "is", null)
      .execute();
    expect(open).toEqual([{ until: "2026-11-30" }]);
    let overview = (await api.call(admin, "GET", `/v1/customers/${bruno.id}/overview`)).body;
    expect(overview.pause).toMatchObject({ until: "2026-11-30" });

    const lifted = await api.call(admin, "DELETE", `/v1/customers/${bruno.id}/pause`);
    expect(lifted.status, lifted.text).toBe(200);
    expect(lifted.body).toEqual({ customerId: bruno.id, lifted: 1 });
    overview = (await api.call(admin, "GET", `/v1/customers/${bruno.id}/overview`)).body;
    expect(overview.pause).toBeNull();
    const again = await api.call(admin, "DELETE", `/v1/customers/${bruno.id}/pause`);
    expect(again.status).toBe(400);
    expect(again.body.error.message).toBe("Este cliente não tem pausa em vigor");
  });

  it("tells one timeline, newest first, and pages through it without losing or repeating an entry", async () => {
    await addSentMessage(api.handle.db, api.tenant, ana, invoices.a22, "email", "2026-11-21T12:00:00Z", {
      subject: "Fatura em atraso",
      body: "Olá Ana, sua fatura de R$ 200,00 venceu em 01/11.",
    });
    await api.call(admin, "POST", `/v1/customers/${ana.id}/notes`, {
      body: { body: "Cliente pediu boleto novo" },
    });
    await api.call(admin, "POST", `/v1/customers/${ana.id}/calls`, { body: { outcome: "no_answer" } });
    const first = await api.call(admin, "GET", `/v1/customers/${ana.id}/timeline`);
    expect(first.status).toBe(200);
    const kinds = first.body.data.map((entry: { kind: string }) => entry.kind);
    // the call and the note share the fixed clock's instant: both come first, in either order
    expect(kinds.slice(0, 2).sort()).toEqual(["call", "note"]);
    expect(kinds.slice(2)).toEqual(["message", "payment"]);
    const message = first.body.data[2];
    expect(message.data).toMatchObject({
      channel: "email",
      subject: "Fatura em atraso",
      body: "Olá Ana, sua fatura de R$ 200,00 venceu em 01/11.",
    });
    expect(first.body.data[3].data).toMatchObject({ amountCents: 5_000, method: "pix" });
    const note = first.body.data.find((entry: { kind: string }) => entry.kind === "note");
    expect(note.data.body).toBe("Cliente pediu boleto novo");

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string }[]; next_cursor: string | null } } = await api.call(
        admin,
        "GET",
        `/v1/customers/${ana.id}/timeline?limit=1${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...page.body.data.map((entry) => entry.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(first.body.data.map((entry: { id: string }) => entry.id));
  });

  it("tells a contact added by the API, replaced by a CSV import and opted out in the dashboard, by whom, in the clock's order", async () => {
    const { db } = api.handle;
    const keyName = (
      await db.selectFrom("api_keys").select("name").where("id", "=", api.key.id).executeTakeFirstOrThrow()
    ).name;
    const document = cpf();
    try {
      clock.set("2026-11-22T10:00:00Z");
      const created = await api.call(api.key, "POST", "/v1/customers", {
        body: {
          externalId: "contatos-dora",
          name: "Dora Lima",
          document,
          contacts: [{ channel: "email", value: "dora@exemplo.com.br" }],
        },
      });
      expect(created.status).toBe(201);
      const dora = created.body.id as string;

      clock.set("2026-11-22T11:00:00Z");
      const imported = await api.call(admin, "POST", "/v1/imports?kind=customers&wait=true", {
        raw: `external_id;name;document;email\ncontatos-dora;Dora Lima;${document};dora.lima@exemplo.com.br\n`,
        contentType: "text/csv",
      });
      expect(imported.status, JSON.stringify(imported.body)).toBeLessThan(300);

      clock.set("2026-11-22T12:00:00Z");
      const fresh = await db
        .selectFrom("contacts")
        .select(["id", "created_at"])
        .where("tenant_id", "=", api.tenant.id)
        .where("customer_id", "=", dora)
        .where("value", "=", "dora.lima@exemplo.com.br")
        .executeTakeFirstOrThrow();
      // the pinned clock's instant, not the database's
      expect(fresh.created_at.toISOString()).toBe("2026-11-22T11:00:00.000Z");
      const optOut = await api.call(admin, "POST", `/v1/customers/${dora}/contacts/${fresh.id}/opt-out`);
      expect(optOut.status).toBeLessThan(300);

      const timeline = await api.call(admin, "GET", `/v1/customers/${dora}/timeline?limit=100`);
      const told = timeline.body.data
        .filter((entry: { kind: string }) => entry.kind === "contact")
        .map((entry: { at: string; data: Record<string, unknown> }) => [
          entry.at,
          entry.data.change,
          entry.data.detail,
          entry.data.value,
          entry.data.source,
          entry.data.operatorName ?? entry.data.apiKeyName ?? null,
        ]);
      const operator = await db
        .selectFrom("operators")
        .select(["name", "email"])
        .where("id", "=", admin.operatorId)
        .executeTakeFirstOrThrow();
      const operatorName = operator.name || operator.email;
      expect(told.slice(0, 1)).toEqual([
        [
          "2026-11-22T12:00:00.000Z",
          "edited",
          "opted_out",
          "dora.lima@exemplo.com.br",
          "dashboard",
          operatorName,
        ],
      ]);
      // the import's two changes share its instant: in either order
      expect(told.slice(1, 3).sort()).toEqual(
        [
          ["2026-11-22T11:00:00.000Z", "added", null, "dora.lima@exemplo.com.br", "csv", null],
          ["2026-11-22T11:00:00.000Z", "removed", null, "dora@exemplo.com.br", "csv", null],
        ].sort(),
      );
      expect(told.slice(3)).toEqual([
        ["2026-11-22T10:00:00.000Z", "added", null, "dora@exemplo.com.br", "api", keyName],
      ]);
    } finally {
      clock.set("2026-11-23T15:00:00Z");
    }
  });

  it("answers 404 for an unknown customer on every customer route", async () => {
    const unknown = crypto.randomUUID();
    for (const [method, path, body] of [
      ["GET", "overview", undefined],
      ["GET", "timeline", undefined],
      ["POST", "calls", { outcome: "no_answer" }],
      ["POST", "notes", { body: "x" }],
      ["POST", "pause", { until: "2026-12-01", reason: "x" }],
      ["PUT", "credit-limit", { creditLimitCents: 1 }],
    ] as const) {
      const response = await api.call(
        admin,
        method,
        `/v1/customers/${unknown}/${path}`,
        body ? { body } : {},
      );
      expect(response.status, `${method} ${path}`).toBe(404);
    }
  });
});
