import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bandOf } from "../../src/domain/score-bands.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { apiTenant, cpf } from "../support/api-fixtures.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";
import { apiKeyFor, type Caller } from "../support/http.ts";

/**
 * The team's work over real HTTP: tickets, the work queue's order, and groups with their rules
 * (bureau listing after a letter and a waiting period, removal deadline after payment, the
 * agency's export with the amounts of the day).
 */
// Tuesday 2026-12-01, 10:00 in São Paulo
const clock = new FixedClock("2026-12-01T13:00:00Z");
let api: ApiTest<{ id: string; slug: string }>;
let analyst: Caller & { operatorId: string };
let other: Caller & { operatorId: string };

async function customerWith(name: string, invoices: { amountCents: number; dueDate: string }[]) {
  const customer = await api.call(api.key, "POST", "/v1/customers", {
    body: {
      externalId: `${name.toLowerCase().replaceAll(" ", "-")}`,
      name,
      document: cpf(),
      contacts: [{ channel: "sms", value: "+5511987654321" }],
      address: {
        street: "Rua A",
        number: "1",
        district: "Centro",
        city: "Campinas",
        state: "SP",
        postalCode: "13010-000",
      },
    },
  });
  expect(customer.status, customer.text).toBe(201);
  const ids: string[] = [];
  for (const [index, invoice] of invoices.entries()) {
    const created = await api.call(api.key, "POST", "/v1/invoices", {
      body: {
        externalId: `${customer.body.externalId}-${index}`,
        customerId: customer.body.id,
        amountCents: invoice.amountCents,
        issueDate: "2026-09-01",
        dueDate: invoice.dueDate,
      },
    });
    expect(created.status, created.text).toBe(201);
    ids.push(created.body.id);
  }
  return { id: customer.body.id as string, invoiceIds: ids };
}

/** An agreement in force (proposed) over one invoice, as the agreements module records it. */
async function proposeAgreementOver(tenantId: string, customerId: string, invoiceId: string) {
  const agreement = await api.handle.db
    .insertInto("agreements")
    .values({
      tenant_id: tenantId,
      customer_id: customerId,
      created_by: "test",
      debt: JSON.stringify({}),
      terms: JSON.stringify({}),
      concession_cents: 0,
      total_cents: 1_00,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await api.handle.db
    .insertInto("agreement_invoices")
    .values({ tenant_id: tenantId, agreement_id: agreement.id, invoice_id: invoiceId })
    .execute();
}

beforeAll(async () => {
  api = await startApiTest(clock, apiTenant);
  analyst = await api.operator("analyst");
  other = await api.operator("analyst");
});

afterAll(() => api?.close());

describe("tickets", () => {
  it("opens, lists as my tickets, moves through the statuses, takes comments, and is audited", async () => {
    const customer = await customerWith("Tiago Ticket", [{ amountCents: 50_00, dueDate: "2026-11-20" }]);
    const created = await api.call(analyst, "POST", "/v1/tickets", {
      body: {
        title: "Ligar para negociar",
        description: "Cliente pediu retorno à tarde",
        customerId: customer.id,
        assigneeId: analyst.operatorId,
        dueOn: "2026-12-02",
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      status: "open",
      customerName: "Tiago Ticket",
      assigneeId: analyst.operatorId,
      dueOn: "2026-12-02",
      closedAt: null,
    });
    const id = created.body.id;
    await api.call(analyst, "POST", "/v1/tickets", { body: { title: "Sem responsável" } });

    const mine = await api.call(analyst, "GET", "/v1/tickets?assignee=me");
    expect(mine.body.data.map((ticket: { id: string }) => ticket.id)).toEqual([id]);
    // the list says the tenant's day, by which due dates are late: 22:30 in São Paulo is still
    // 2026-12-01 there though it is 2026-12-02 in UTC, so a ticket due 2026-12-02 is not late
    clock.set("2026-12-02T01:30:00Z");
    expect((await api.call(api.key, "GET", "/v1/tickets")).body.today).toBe("2026-12-01");
    clock.set("2026-12-01T13:00:00Z");
    expect((await api.call(other, "GET", "/v1/tickets?assignee=me")).body.data).toEqual([]);
    expect((await api.call(other, "GET", "/v1/tickets?assignee=none")).body.data).toHaveLength(1);
    const byKey = await api.call(api.key, "GET", "/v1/tickets?assignee=me");
    expect(byKey.status).toBe(400);
    expect(byKey.body.error.field).toBe("assignee");

    const badAssignee = await api.call(analyst, "PATCH", `/v1/tickets/${id}`, {
      body: { assigneeId: "00000000-0000-4000-8000-000000000000" },
    });
    expect(badAssignee.status).toBe(400);
    expect(badAssignee.body.error.field).toBe("assigneeId");

    const started = await api.call(analyst, "PATCH", `/v1/tickets/${id}`, {
      body: { status: "in_progress" },
    });
    expect(started.body.status).toBe("in_progress");
    const comment = await api.call(analyst, "POST", `/v1/tickets/${id}/comments`, {
      body: { body: "Liguei, caixa postal" },
    });
    expect(comment.status, comment.text).toBe(201);
    clock.set("2026-12-01T15:00:00Z");
    const done = await api.call(analyst, "PATCH", `/v1/tickets/${id}`, {
      body: { status: "done", assigneeId: other.operatorId },
    });
    expect(done.body).toMatchObject({ status: "done", assigneeId: other.operatorId });
    expect(done.body.closedAt).toBe("2026-12-01T15:00:00.000Z");
    const detail = await api.call(other, "GET", `/v1/tickets/${id}`);
    expect(detail.body.comments).toMatchObject([
      { body: "Liguei, caixa postal", author: { kind: "operator" } },
    ]);
    expect((await api.call(other, "GET", "/v1/tickets?assignee=me&status=active")).body.data).toEqual([]);
    expect((await api.call(other, "GET", "/v1/tickets?assignee=me&status=done")).body.data).toHaveLength(1);
    const reopened = await api.call(other, "PATCH", `/v1/tickets/${id}`, { body: { status: "open" } });
    expect(reopened.body.closedAt).toBeNull();

    const admin = await api.operator("admin");
    const audit = await api.call(admin, "GET", `/v1/audit-log?resourceId=${id}`);
    expect(audit.body.data.map((entry: { action: string }) => entry.action)).toEqual([
      "PATCH /v1/tickets/:id",
      "PATCH /v1/tickets/:id",
      "POST /v1/tickets/:id/comments",
      "PATCH /v1/tickets/:id",
      "POST /v1/tickets",
    ]);
    // the ticket shows in the customer's timeline, as it stands now
    const timeline = await api.call(analyst, "GET", `/v1/customers/${customer.id}/timeline`);
    expect(timeline.status, timeline.text).toBe(200);
    expect(timeline.body.data.filter((entry: { kind: string }) => entry.kind === "ticket")).toMatchObject([
      { id, data: { title: "Ligar para negociar", status: "open", dueOn: "2026-12-02" } },
    ]);
    // one ticket per customer from the customer list's selection
    const other2 = await customerWith("Olga Lote", [{ amountCents: 10_00, dueDate: "2026-11-20" }]);
    const bulk = await api.call(analyst, "POST", "/v1/tickets/bulk", {
      body: {
        title: "Conferir endereço",
        customerIds: [customer.id, other2.id],
        assigneeId: other.operatorId,
      },
    });
    expect(bulk.status, bulk.text).toBe(201);
    expect(bulk.body.created).toBe(2);
    // the reopened ticket is still the other analyst's; the two new ones join it
    const assigned = await api.call(other, "GET", "/v1/tickets?assignee=me");
    expect(assigned.body.data.map((ticket: { customerName: string }) => ticket.customerName).sort()).toEqual([
      "Olga Lote",
      "Tiago Ticket",
      "Tiago Ticket",
    ]);
    const viewer = await api.operator("viewer");
    expect((await api.call(viewer, "POST", "/v1/tickets", { body: { title: "x" } })).status).toBe(403);
    clock.set("2026-12-01T13:00:00Z");
  });
});

/** Moves the clock; operator sessions expire with time, so the analyst signs in again. */
async function at(instant: string) {
  clock.set(instant);
  analyst = await api.operator("analyst");
}

describe("groups", () => {
  it("a bureau listing is refused before a letter and before the waiting period, accepted after", async () => {
    const debtor = await customerWith("Bruno Bureau", [{ amountCents: 300_00, dueDate: "2026-11-10" }]);
    const bureau = await api.call(analyst, "POST", "/v1/groups", {
      body: { name: "Negativação Serasa", purpose: "bureau" },
    });
    expect(bureau.status, bureau.text).toBe(201);
    const group = bureau.body.id;
    const member = `/v1/groups/${group}/members/${debtor.id}`;

    const noLetter = await api.call(analyst, "PUT", member);
    expect(noLetter.status).toBe(409);
    expect(noLetter.body.error.message).toContain("nenhuma carta de notificação enviada");
    expect(noLetter.body.error.message).toContain("CDC art. 43 §2");

    const letters = await api.call(analyst, "POST", "/v1/letters", { body: { customerIds: [debtor.id] } });
    expect(letters.status, letters.text).toBe(200);
    expect(letters.headers.get("content-type")).toBe("application/pdf");
    expect(letters.headers.get("x-letter-count")).toBe("1");
    expect(letters.text.startsWith("%PDF")).toBe(true);

    await at("2026-12-08T13:00:00Z");
    const waiting = await api.call(analyst, "PUT", member);
    expect(waiting.status).toBe(409);
    expect(waiting.body.error.message).toContain(
      "carta de notificação enviada em 01/12/2026; a negativação só pode ser feita a partir de 11/12/2026",
    );
    // in bulk, the refusal comes back per customer with its reason
    const bulk = await api.call(analyst, "POST", `/v1/groups/${group}/members`, {
      body: { customerIds: [debtor.id] },
    });
    expect(bulk.body).toMatchObject({
      added: [],
      refused: [{ customerId: debtor.id, name: "Bruno Bureau" }],
    });

    await at("2026-12-11T13:00:00Z");
    const accepted = await api.call(analyst, "PUT", member);
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body.added).toEqual([debtor.id]);
    const members = await api.call(analyst, "GET", `/v1/groups/${group}/members`);
    expect(members.body.data).toMatchObject([
      { customerId: debtor.id, noticeSentOn: "2026-12-01", overdueCents: 300_00, settledOn: null },
    ]);

    // paid on Tuesday 2026-12-22: 5 business days, skipping Christmas (Friday) → Wednesday 30
    await at("2026-12-22T13:00:00Z");
    const paid = await api.call(api.key, "POST", "/v1/payments", {
      body: {
        externalId: "pg-bruno",
        invoiceId: debtor.invoiceIds[0],
        amountCents: 400_00,
        paidAt: "2026-12-22T12:00:00Z",
      },
    });
    expect(paid.status, paid.text).toBe(201);
    expect(paid.body.invoice.status).toBe("paid");
    const due = await api.call(analyst, "GET", "/v1/groups/removals-due");
    expect(due.body.data).toEqual([
      expect.objectContaining({
        groupId: group,
        customerId: debtor.id,
        settledOn: "2026-12-22",
        removalDueOn: "2026-12-30",
        businessDaysLeft: 5,
      }),
    ]);
    const csv = await api.call(analyst, "GET", "/v1/groups/removals-due?format=csv");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.text).toContain("Negativação Serasa;bruno-bureau;Bruno Bureau;");
    expect(csv.text).toContain(";22/12/2026;30/12/2026;5");
    expect((await api.call(analyst, "GET", "/v1/groups")).body.data).toMatchObject([
      { id: group, members: 1, removalsDue: 1 },
    ]);

    // the removal asked: the listing leaves the group and the list of removals due
    const removed = await api.call(analyst, "DELETE", member);
    expect(removed.body.removed).toEqual([debtor.id]);
    expect((await api.call(analyst, "GET", "/v1/groups/removals-due")).body.data).toEqual([]);
    await at("2026-12-01T13:00:00Z");
  });

  it("the waiting period is a tenant setting", async () => {
    const admin = await api.operator("admin");
    expect((await api.call(admin, "GET", "/v1/groups/settings")).body).toEqual({ bureauNoticeWaitDays: 10 });
    const bad = await api.call(admin, "PUT", "/v1/groups/settings", { body: { bureauNoticeWaitDays: -1 } });
    expect(bad.body.error.field).toBe("bureauNoticeWaitDays");
    expect(
      (await api.call(analyst, "PUT", "/v1/groups/settings", { body: { bureauNoticeWaitDays: 0 } })).status,
    ).toBe(403);
    const debtor = await customerWith("Sara Setting", [{ amountCents: 100_00, dueDate: "2026-11-10" }]);
    const group = (
      await api.call(analyst, "POST", "/v1/groups", { body: { name: "Bureau 2", purpose: "bureau" } })
    ).body.id;
    await api.call(analyst, "POST", "/v1/letters", { body: { customerIds: [debtor.id] } });
    expect((await api.call(analyst, "PUT", `/v1/groups/${group}/members/${debtor.id}`)).status).toBe(409);
    await api.call(admin, "PUT", "/v1/groups/settings", { body: { bureauNoticeWaitDays: 0 } });
    expect((await api.call(analyst, "PUT", `/v1/groups/${group}/members/${debtor.id}`)).status).toBe(200);
    await api.call(admin, "PUT", "/v1/groups/settings", { body: { bureauNoticeWaitDays: 10 } });
  });

  it("renamed, its purpose fixed; deleted only when empty, and never a bureau group with a record", async () => {
    const admin = await api.operator("admin");
    const debtor = await customerWith("Rui Renomeia", [{ amountCents: 80_00, dueDate: "2026-11-20" }]);
    const created = await api.call(analyst, "POST", "/v1/groups", {
      body: { name: "Recado", purpose: "general" },
    });
    const group = created.body.id as string;
    expect((await api.call(analyst, "PUT", `/v1/groups/${group}/members/${debtor.id}`)).status).toBe(200);

    const renamed = await api.call(analyst, "PATCH", `/v1/groups/${group}`, {
      body: { name: "Recados", description: "ligar na segunda" },
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({
      name: "Recados",
      description: "ligar na segunda",
      purpose: "general",
      members: 1,
    });
    const taken = await api.call(analyst, "PATCH", `/v1/groups/${group}`, { body: { name: "Bureau 2" } });
    expect(taken.status).toBe(409);
    expect(taken.body.error.field).toBe("name");
    expect(
      (await api.call(analyst, "PATCH", `/v1/groups/${group}`, { body: { purpose: "bureau" } })).status,
    ).toBe(400);
    expect((await api.call(analyst, "PATCH", `/v1/groups/${group}`, { body: {} })).status).toBe(400);

    expect((await api.call(analyst, "DELETE", `/v1/groups/${group}`)).status).toBe(403);
    const occupied = await api.call(admin, "DELETE", `/v1/groups/${group}`);
    expect(occupied.status).toBe(409);
    expect(occupied.body.error.message).toContain("1 cliente");
    await api.call(analyst, "DELETE", `/v1/groups/${group}/members/${debtor.id}`);
    expect((await api.call(admin, "DELETE", `/v1/groups/${group}`)).status).toBe(204);
    expect((await api.call(analyst, "GET", `/v1/groups/${group}`)).status).toBe(404);

    // the bureau group of the test above listed a debtor: emptied, it still keeps its record
    const bureau = (
      (await api.call(analyst, "GET", "/v1/groups")).body.data as { id: string; name: string }[]
    ).find((candidate) => candidate.name === "Bureau 2")!;
    const members = (await api.call(analyst, "GET", `/v1/groups/${bureau.id}/members`)).body.data as {
      customerId: string;
    }[];
    for (const member of members) {
      await api.call(analyst, "DELETE", `/v1/groups/${bureau.id}/members/${member.customerId}`);
    }
    const kept = await api.call(admin, "DELETE", `/v1/groups/${bureau.id}`);
    expect(kept.status).toBe(409);
    expect(kept.body.error.message).toContain("CDC art. 43");
  });

  it("exports the agency's debts with the amounts of the day, exact to the cent", async () => {
    // 1,000.00 due Tuesday 2026-11-03, a second invoice not yet due (not exported)
    const debtor = await customerWith("Ana Agência", [
      { amountCents: 1_000_00, dueDate: "2026-11-03" },
      { amountCents: 77_00, dueDate: "2027-01-10" },
      { amountCents: 250_00, dueDate: "2026-11-10" },
    ]);
    // the third is in an agreement in force: Ana is paying it as agreed, it is not the agency's
    await proposeAgreementOver(api.tenant.id, debtor.id, debtor.invoiceIds[2]!);
    // 500.00 paid on 2026-11-23, 20 days late: it pays the interest accrued by then first,
    // 1,000.00 × 1% × 20/30 = 6.67 (half-up), then the 2% fine, 20.00, then 473.33 of principal
    // (CC art. 354), leaving 526.67. On 2026-12-01 interest has run 8 more days on what is left:
    // 526.67 × 1% × 8/30 = 1.40445 → 1.40; the fine was charged once and is paid.
    await api.call(api.key, "POST", "/v1/payments", {
      body: {
        externalId: "pg-ana",
        invoiceId: debtor.invoiceIds[0],
        amountCents: 500_00,
        paidAt: "2026-11-23T15:00:00Z",
      },
    });
    const group = (
      await api.call(analyst, "POST", "/v1/groups", { body: { name: "Agência Cobra Já", purpose: "agency" } })
    ).body.id;
    const added = await api.call(analyst, "POST", `/v1/groups/${group}/members`, {
      body: { customerIds: [debtor.id] },
    });
    expect(added.body.added).toEqual([debtor.id]);
    const csv = await api.call(analyst, "GET", `/v1/groups/${group}/export`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toContain("grupo-agencia-cobra-ja-2026-12-01.csv");
    const lines = csv.text
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe(
      "cliente_id_externo;nome;documento;fatura_id_externo;descricao;vencimento;dias_em_atraso;principal;multa;juros;total",
    );
    expect(lines).toHaveLength(2);
    const fields = lines[1]!.split(";");
    expect(fields.slice(3)).toEqual([
      "ana-agência-0",
      "",
      "03/11/2026",
      "28",
      "526,67",
      "0,00",
      "1,40",
      "528,07",
    ]);
  });
});

describe("work queue", () => {
  it("ranks customers by amount, days overdue, promises falling due and open analyst tasks", async () => {
    await at("2026-12-01T13:00:00Z");
    const tenantB = await apiTenant(api.handle);
    const keyB = await apiKeyFor(api.handle, tenantB.id, "write");
    const mainKey = api.key;
    api.key = keyB;
    try {
      const old = await customerWith("Alta Antiga", [{ amountCents: 1_000_00, dueDate: "2026-10-02" }]);
      const big = await customerWith("Bia Grande", [{ amountCents: 20_000_00, dueDate: "2026-11-26" }]);
      const task = await customerWith("Caio Tarefa", [{ amountCents: 100_00, dueDate: "2026-11-29" }]);
      const promise = await customerWith("Davi Promessa", [{ amountCents: 500_00, dueDate: "2026-11-21" }]);
      await customerWith("Eva Futura", [{ amountCents: 900_00, dueDate: "2026-12-20" }]);
      // the régua's analyst task (a task step the dispatcher issued) and a promise made on a call
      await api.handle.db
        .insertInto("analyst_tasks")
        .values({
          tenant_id: tenantB.id,
          message_id: crypto.randomUUID(),
          customer_id: task.id,
          title: "Ligar para Caio",
          description: "",
          due_on: "2026-12-01",
        })
        .execute();
      await api.handle.db
        .insertInto("customer_interactions")
        .values({
          tenant_id: tenantB.id,
          customer_id: promise.id,
          kind: "call",
          outcome: "answered",
          promised_on: "2026-11-30",
          promised_cents: 500_00,
        })
        .execute();
      // paused collection: Fábio (debt only) leaves the queue, Caio (a task due) stays;
      // Gil's only overdue invoice is in a proposed agreement, so Gil owes nothing overdue
      const paused = await customerWith("Fábio Pausado", [{ amountCents: 3_000_00, dueDate: "2026-10-01" }]);
      const agreed = await customerWith("Gil Acordo", [{ amountCents: 4_000_00, dueDate: "2026-10-01" }]);
      for (const customerId of [paused.id, task.id]) {
        await api.handle.db
          .insertInto("customer_pauses")
          .values({
            tenant_id: tenantB.id,
            customer_id: customerId,
            kind: "pause",
            until: "2026-12-15",
            reason: "viagem",
          })
          .execute();
      }
      await proposeAgreementOver(tenantB.id, agreed.id, agreed.invoiceIds[0]!);
      const queue = await api.call(keyB, "GET", "/v1/work-queue");
      expect(queue.status, queue.text).toBe(200);
      expect(queue.body.asOf).toBe("2026-12-01");
      const rows = queue.body.data.map(
        (entry: { name: string; score: number; scoreParts: Record<string, number> }) => [
          entry.name,
          entry.score,
          entry.scoreParts,
        ],
      );
      expect(rows).toEqual([
        ["Davi Promessa", 215, { amount: 5, days: 10, promise: 200, tasks: 0 }],
        ["Bia Grande", 205, { amount: 200, days: 5, promise: 0, tasks: 0 }],
        ["Caio Tarefa", 103, { amount: 1, days: 2, promise: 0, tasks: 100 }],
        ["Alta Antiga", 70, { amount: 10, days: 60, promise: 0, tasks: 0 }],
      ]);
      expect(queue.body.data[0]).toMatchObject({
        customerId: promise.id,
        promise: { promisedOn: "2026-11-30", promisedCents: 500_00 },
        overdueCents: 500_00,
        daysOverdue: 10,
      });
      // paid in full: Davi leaves the queue even with the promise on file
      const paid = await api.call(keyB, "POST", "/v1/payments", {
        body: {
          externalId: "pg-davi",
          invoiceId: promise.invoiceIds[0],
          amountCents: 600_00,
          paidAt: "2026-12-01T12:00:00Z",
        },
      });
      expect(paid.body.invoice.status).toBe("paid");
      const after = await api.call(keyB, "GET", "/v1/work-queue");
      expect(after.body.data.map((entry: { name: string }) => entry.name)).toEqual([
        "Bia Grande",
        "Caio Tarefa",
        "Alta Antiga",
      ]);
      // the customer list filters by days overdue
      const late = await api.call(keyB, "GET", "/v1/customer-overview?minDaysOverdue=5&maxDaysOverdue=59");
      expect(late.body.data.map((row: { name: string }) => row.name)).toEqual(["Bia Grande"]);
      expect(old.id).toBeTruthy();
      expect(big.id).toBeTruthy();
    } finally {
      api.key = mainKey;
    }
  });

  it("with scores: by expected recovery (probability × amount) with the reasons, the unscored after by points", async () => {
    await at("2026-12-01T13:00:00Z");
    const tenantC = await apiTenant(api.handle);
    const keyC = await apiKeyFor(api.handle, tenantC.id, "write");
    const mainKey = api.key;
    api.key = keyC;
    try {
      const score = async (customerId: string, invoiceId: string, probability: number, reasons: string[]) =>
        api.handle.db
          .insertInto("invoice_scores")
          .values({
            tenant_id: tenantC.id,
            invoice_id: invoiceId,
            customer_id: customerId,
            scored_on: "2026-12-01",
            horizon_days: 30,
            probability,
            band: bandOf(probability),
            reasons,
          })
          .execute();
      // Hugo: R$ 1.000 at 80% → R$ 800; Íris: R$ 20.000 at 2% → R$ 400 (by points she would lead:
      // 200 + 5 against 10 + 10); Júlio: R$ 500 at 50% and R$ 1.500 at 40% → R$ 250 + R$ 600 = R$ 850
      // (42.5% of R$ 2.000), his reasons those of the R$ 1.500; Karla owes R$ 30.000 but has no score
      const hugo = await customerWith("Hugo Provável", [{ amountCents: 1_000_00, dueDate: "2026-11-21" }]);
      const iris = await customerWith("Íris Improvável", [{ amountCents: 20_000_00, dueDate: "2026-11-26" }]);
      const julio = await customerWith("Júlio Dois", [
        { amountCents: 500_00, dueDate: "2026-11-21" },
        { amountCents: 1_500_00, dueDate: "2026-11-16" },
      ]);
      await customerWith("Karla Sem Score", [{ amountCents: 30_000_00, dueDate: "2026-11-26" }]);
      await score(hugo.id, hugo.invoiceIds[0]!, 0.8, ["+late_share", "-days_overdue"]);
      await score(iris.id, iris.invoiceIds[0]!, 0.02, ["-log_amount", "-agreements_broken"]);
      await score(julio.id, julio.invoiceIds[0]!, 0.5, ["+usable_contacts"]);
      await score(julio.id, julio.invoiceIds[1]!, 0.4, ["-avg_days_late", "+prior_invoices"]);

      const queue = await api.call(keyC, "GET", "/v1/work-queue");
      expect(queue.status, queue.text).toBe(200);
      const rows = queue.body.data.map(
        (entry: { name: string; priority: { basis: string; expectedRecoveryCents: number | null } }) => [
          entry.name,
          entry.priority.basis,
          entry.priority.expectedRecoveryCents,
        ],
      );
      expect(rows).toEqual([
        ["Júlio Dois", "expected_recovery", 850_00],
        ["Hugo Provável", "expected_recovery", 800_00],
        ["Íris Improvável", "expected_recovery", 400_00],
        ["Karla Sem Score", "points", null],
      ]);
      expect(queue.body.data[0].priority.probability).toBeCloseTo(0.425, 6);
      expect(queue.body.data[0].priority.reasons).toEqual([
        { code: "-avg_days_late", text: "atrasos longos quando atrasa" },
        { code: "+prior_invoices", text: "cliente com longo histórico" },
      ]);
      expect(queue.body.data[3]).toMatchObject({
        score: 305,
        scoreParts: { amount: 300, days: 5, promise: 0, tasks: 0 },
        priority: { basis: "points", probability: null, reasons: [] },
      });
    } finally {
      api.key = mainKey;
    }
  });
});
