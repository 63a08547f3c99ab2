import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { Dispatcher, dispatchDue } from "../../src/modules/messages/dispatcher.ts";
import { queueDueActions } from "../../src/modules/messages/message.repository.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { smtpConnections } from "../../src/shared/config.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { insertDebtor, insertEmailBacklog, insertPlannedActions } from "../support/message-fixtures.ts";
import { type HttpPeer, type SmtpPeer, startHttpPeer, startSmtpPeer } from "../support/message-peers.ts";
import { openTestDatabase } from "../support/test-database.ts";

let handle: DatabaseHandle;
let smtp: SmtpPeer;
let provider: HttpPeer;

// 2026-11-23 (Monday) 10:00 in São Paulo
const morning = new Date("2026-11-23T13:00:00Z");
const window = { sendOn: "2026-11-23", scheduledFor: morning, sendUntil: new Date("2026-11-23T23:00:00Z") };
const D6 = { name: "D+6", offsetDays: 6, channel: "email" as const, template: "email.d+6" };

beforeAll(async () => {
  handle = await openTestDatabase();
  smtp = await startSmtpPeer();
  provider = await startHttpPeer();
});
afterAll(async () => {
  await smtp?.close();
  await provider?.close();
  await handle?.close();
});
beforeEach(() => {
  smtp.received.length = 0;
  provider.requests.length = 0;
});

async function newTenant() {
  const tenant = await insertTestTenant(handle.db);
  return tenant.id;
}

function dispatcher(tenantId: string, clock: FixedClock, smtpUrl: string | null = smtp.url) {
  return new Dispatcher(handle.db, {
    clock,
    tenantId,
    smtpUrl,
    emailFrom: "Credora <cobranca@credora.com.br>",
    baseBackoffMs: 60_000,
    random: () => 0.5,
  });
}

/** The tenant's SMS go to the local provider peer, speaking Zenvia's API. */
async function useZenvia(tenantId: string, settings: { sms_price_cents?: number; sms_per_second?: number }) {
  await handle.db
    .insertInto("messaging_settings")
    .values({
      tenant_id: tenantId,
      sms_provider: "zenvia",
      sms_base_url: provider.url,
      sms_token: "zen",
      sms_from: "credora",
      ...settings,
    })
    .execute();
}

/** A debtor with one invoice due 2026-11-17 and the D+6 SMS planned for this morning. */
async function smsDebtorAtD6(tenantId: string, name: string, phone: string) {
  const debtor = await insertDebtor(handle.db, tenantId, {
    name,
    phone,
    invoices: [{ description: "Plano", amountCents: 50_00, dueDate: "2026-11-17" }],
  });
  await insertPlannedActions(
    handle.db,
    tenantId,
    debtor,
    { ...D6, channel: "sms", template: "sms.d+6" },
    window,
  );
  return debtor;
}

async function messagesOf(tenantId: string) {
  return handle.db
    .selectFrom("messages")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .orderBy("created_at")
    .execute();
}

describe("dispatching planned e-mails", () => {
  it("sends one e-mail per group with updated amounts, records it and marks the actions sent", async () => {
    const tenantId = await newTenant();
    const maria = await insertDebtor(handle.db, tenantId, {
      name: "MARIA DA SILVA",
      email: "maria@example.com",
      invoices: [
        {
          description: "Mensalidade outubro",
          amountCents: 100_00,
          dueDate: "2026-10-17",
          typeableLine: "23790.12301 60000.000004 00000.001000 1 12345000010000",
        },
        { description: "Mensalidade novembro", amountCents: 100_00, dueDate: "2026-11-17" },
      ],
    });
    const nobody = await insertDebtor(handle.db, tenantId, {
      name: "João Sem Email",
      invoices: [{ description: "Mensalidade", amountCents: 50_00, dueDate: "2026-11-17" }],
    });
    await insertPlannedActions(handle.db, tenantId, maria, D6, window);
    await insertPlannedActions(handle.db, tenantId, nobody, D6, window);

    const clock = new FixedClock(morning);
    const worker = dispatcher(tenantId, clock);
    const report = await worker.drain();
    await worker.close();
    expect(report).toMatchObject({ sent: 1, skipped: 1, failed: 0 });

    const mails = await smtp.parsed();
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.to).toMatchObject({ text: "maria@example.com" });
    expect(mail.subject).toBe("Opa, atrasou! Sua fatura venceu em 17/10/2026");
    expect(mail.text).toContain("Olá, Maria.");
    // October: R$ 100,00 + 2% fine + 1% a month pro rata for 37 days = R$ 103,23
    expect(mail.text).toContain(
      "Mensalidade outubro: vencimento 17/10/2026, R$ 103,23 (37 dias de atraso, original R$ 100,00)",
    );
    expect(mail.text).toContain("Mensalidade novembro: vencimento 17/11/2026, R$ 102,20");
    // the stored boleto is for R$ 100,00: a message stating R$ 103,23 never prints it, and this
    // creditor has no bank data to re-issue it for the day (the portal link is the way to pay)
    expect(mail.text).not.toContain("23790.12301 60000.000004 00000.001000 1 12345000010000");
    expect(mail.text).toContain("Credora Exemplo Ltda — CNPJ 11.222.333/0001-81");
    expect(mail.text).toContain("Av. Paulista, 1000, Bela Vista, São Paulo/SP, 01310-100");
    expect(mail.html).toContain("Credora Exemplo Ltda — CNPJ 11.222.333/0001-81");
    const unsubscribe = mail.headerLines.find((line) => line.key === "list-unsubscribe")?.line ?? "";
    expect(unsubscribe).toMatch(/^List-Unsubscribe: <http:\/\/localhost:3000\/l\/[a-z0-9]+\.[\w-]{8}>$/);

    const messages = await messagesOf(tenantId);
    const sent = messages.find((message) => message.state === "sent")!;
    expect(sent).toMatchObject({
      channel: "email",
      recipient: "maria@example.com",
      provider: "smtp",
      attempts: 1,
    });
    expect(mail.messageId).toBe(`<${sent.action_id}@credora.com.br>`);
    expect(messages.find((message) => message.state === "skipped")?.reason).toBe("sem e-mail utilizável");
    const actions = await handle.db
      .selectFrom("dunning_actions")
      .select(["customer_id", "status", "skip_reason"])
      .where("tenant_id", "=", tenantId)
      .execute();
    expect(
      actions.filter((action) => action.customer_id === maria.customerId).map((action) => action.status),
    ).toEqual(["sent", "sent"]);
    expect(actions.find((action) => action.customer_id === nobody.customerId)).toMatchObject({
      status: "skipped",
      skip_reason: "no_contact",
    });

    // a second run sends nothing again
    const again = dispatcher(tenantId, clock);
    expect(await again.drain()).toMatchObject({ sent: 0, claimed: 0 });
    await again.close();
    expect(smtp.received).toHaveLength(1);
  });

  it("does not send actions before their time, nor for invoices paid meanwhile", async () => {
    const tenantId = await newTenant();
    const later = await insertDebtor(handle.db, tenantId, {
      name: "Ana",
      email: "ana@example.com",
      invoices: [{ description: "Plano", amountCents: 80_00, dueDate: "2026-11-17" }],
    });
    const paid = await insertDebtor(handle.db, tenantId, {
      name: "Bia",
      email: "bia@example.com",
      invoices: [{ description: "Plano", amountCents: 80_00, dueDate: "2026-11-17" }],
    });
    await insertPlannedActions(handle.db, tenantId, later, D6, {
      ...window,
      scheduledFor: new Date("2026-11-23T15:00:00Z"),
    });
    await insertPlannedActions(handle.db, tenantId, paid, D6, window);
    await handle.db
      .updateTable("invoices")
      .set({ status: "paid" })
      .where("id", "=", paid.invoiceIds[0]!)
      .execute();

    const clock = new FixedClock(morning);
    const worker = dispatcher(tenantId, clock);
    expect(await worker.drain()).toMatchObject({ sent: 0, skipped: 1 });
    clock.set("2026-11-23T15:00:00Z");
    expect(await worker.drain()).toMatchObject({ sent: 1 });
    await worker.close();
    expect(smtp.received.map((mail) => mail.envelopeTo)).toEqual([["ana@example.com"]]);
  });

  it("one worker for every tenant: each tenant's message and actions are recorded as its own", async () => {
    const first = await newTenant();
    const second = await newTenant();
    const carla = await insertDebtor(handle.db, first, {
      name: "Carla",
      email: "carla@example.com",
      invoices: [{ description: "Plano", amountCents: 80_00, dueDate: "2026-11-17" }],
    });
    const davi = await insertDebtor(handle.db, second, {
      name: "Davi",
      email: "davi@example.com",
      invoices: [
        { description: "Plano outubro", amountCents: 80_00, dueDate: "2026-10-17" },
        { description: "Plano novembro", amountCents: 80_00, dueDate: "2026-11-17" },
      ],
    });
    await insertPlannedActions(handle.db, first, carla, D6, window);
    await insertPlannedActions(handle.db, second, davi, D6, window);

    const worker = new Dispatcher(handle.db, {
      clock: new FixedClock(morning),
      smtpUrl: smtp.url,
      emailFrom: "Credora <cobranca@credora.com.br>",
    });
    await worker.drain();
    await worker.close();

    expect(smtp.received.map((mail) => mail.envelopeTo).sort()).toEqual([
      ["carla@example.com"],
      ["davi@example.com"],
    ]);
    for (const [tenantId, recipient, invoices] of [
      [first, "carla@example.com", 1],
      [second, "davi@example.com", 2],
    ] as const) {
      const [message, ...others] = await messagesOf(tenantId);
      expect(others).toEqual([]);
      expect(message).toMatchObject({ state: "sent", recipient, provider: "smtp" });
      const actions = await handle.db
        .selectFrom("dunning_actions")
        .select("status")
        .where("tenant_id", "=", tenantId)
        .execute();
      expect(actions.map((action) => action.status)).toEqual(Array(invoices).fill("sent"));
    }
  });
});

describe("faults", () => {
  it("SMTP down then up: retried with backoff, everything delivered exactly once", async () => {
    const tenantId = await newTenant();
    const debtors = [];
    for (let index = 0; index < 5; index++) {
      debtors.push(
        await insertDebtor(handle.db, tenantId, {
          name: `Cliente ${index}`,
          email: `cliente${index}@example.com`,
          invoices: [{ description: "Plano", amountCents: 50_00, dueDate: "2026-11-17" }],
        }),
      );
    }
    for (const debtor of debtors) await insertPlannedActions(handle.db, tenantId, debtor, D6, window);

    const down = await startSmtpPeer();
    const port = down.port;
    await down.close();
    const clock = new FixedClock(morning);
    const worker = dispatcher(tenantId, clock, `smtp://127.0.0.1:${port}`);
    expect(await worker.drain()).toMatchObject({ sent: 0, retried: 5 });
    const waiting = await messagesOf(tenantId);
    expect(waiting.every((message) => message.state === "queued" && message.attempts === 1)).toBe(true);
    // first retry after 60 s × (1/2 + 1/2 × 0.5) = 45 s
    expect(waiting[0]!.next_attempt_at.getTime() - morning.getTime()).toBe(45_000);
    expect(waiting[0]!.reason).toMatch(/^tentativa 1: SMTP/);

    const up = await startSmtpPeer(port);
    clock.set(new Date(morning.getTime() + 30_000));
    expect(await worker.drain()).toMatchObject({ claimed: 0 });
    clock.set(new Date(morning.getTime() + 45_000));
    expect(await worker.drain()).toMatchObject({ sent: 5 });
    clock.set(new Date(morning.getTime() + 3_600_000));
    expect(await worker.drain()).toMatchObject({ claimed: 0 });
    await worker.close();
    await up.close();
    const ids = (await up.parsed()).map((mail) => mail.messageId);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    expect((await messagesOf(tenantId)).map((message) => [message.state, message.attempts])).toEqual(
      Array(5).fill(["sent", 2]),
    );
  });

  it("hard bounce: the e-mail is bounced, the contact unusable, nothing retried", async () => {
    const tenantId = await newTenant();
    const debtor = await insertDebtor(handle.db, tenantId, {
      name: "Carla",
      email: "ghost@example.com",
      invoices: [{ description: "Plano", amountCents: 50_00, dueDate: "2026-11-17" }],
    });
    await insertPlannedActions(handle.db, tenantId, debtor, D6, window);
    smtp.rejectRecipients.add("ghost@example.com");
    const worker = dispatcher(tenantId, new FixedClock(morning));
    expect(await worker.drain()).toMatchObject({ bounced: 1, retried: 0 });
    await worker.close();
    const contact = await handle.db
      .selectFrom("contacts")
      .select("unusable_reason")
      .where("customer_id", "=", debtor.customerId)
      .executeTakeFirstOrThrow();
    expect(contact.unusable_reason).toMatch(/SMTP 550/);
    const action = await handle.db
      .selectFrom("dunning_actions")
      .select("status")
      .where("customer_id", "=", debtor.customerId)
      .executeTakeFirstOrThrow();
    expect(action.status).toBe("failed");
  });

  it("SMS provider 429 then 500 then success: backoff, one SMS, cost recorded", async () => {
    const tenantId = await newTenant();
    await useZenvia(tenantId, { sms_price_cents: 9 });
    await smsDebtorAtD6(tenantId, "Davi Souza", "+5511987654321");
    const answers = [
      {
        status: 429,
        body: { code: "TOO_MANY_REQUESTS", message: "Too many requests" },
        headers: { "retry-after": "120" },
      },
      { status: 500, body: { code: "INTERNAL", message: "Internal error" } },
    ];
    const original = provider.respond;
    provider.respond = (request, index) => answers[index] ?? original(request, index);
    const clock = new FixedClock(morning);
    const worker = dispatcher(tenantId, clock);
    expect(await worker.drain()).toMatchObject({ retried: 1 });
    let [message] = await messagesOf(tenantId);
    // Retry-After (120 s) beats the backoff (45 s)
    expect(message!.next_attempt_at.getTime() - morning.getTime()).toBe(120_000);
    clock.set(new Date(morning.getTime() + 120_000));
    expect(await worker.drain()).toMatchObject({ retried: 1 });
    [message] = await messagesOf(tenantId);
    // second attempt: 120 s × 0.75 = 90 s later
    expect(message!.next_attempt_at.getTime() - clock.now().getTime()).toBe(90_000);
    clock.set(message!.next_attempt_at);
    expect(await worker.drain()).toMatchObject({ sent: 1 });
    await worker.close();
    provider.respond = original;
    expect(provider.requests).toHaveLength(3);
    const sms = JSON.parse(provider.requests[2]!.body) as { to: string; contents: { text: string }[] };
    expect(sms.to).toBe("5511987654321");
    expect(sms.contents[0]!.text).toMatch(/^Davi, sua fatura venceu em 17\/11\/2026\. Hoje: R\$ 51,10\./);
    expect(sms.contents[0]!.text).toContain(
      "Credora Exemplo Ltda CNPJ 11.222.333/0001-81, Av. Paulista, 1000, Bela Vista, Sao Paulo/SP",
    );
    [message] = await messagesOf(tenantId);
    expect(message).toMatchObject({
      state: "sent",
      attempts: 3,
      provider: "zenvia",
      segments: 2,
      cost_cents: 18,
    });
    expect(message!.provider_message_id).toMatch(/^zenvia-/);
  });

  it("invalid number: failed at once, contact unusable", async () => {
    const tenantId = await newTenant();
    await handle.db
      .insertInto("messaging_settings")
      .values({
        tenant_id: tenantId,
        sms_provider: "twilio",
        sms_base_url: provider.url,
        sms_account: "AC1",
        sms_token: "t",
        sms_from: "+15005550006",
      })
      .execute();
    const debtor = await smsDebtorAtD6(tenantId, "Eva", "+55119");
    const original = provider.respond;
    provider.respond = () => ({
      status: 400,
      body: { code: 21211, message: "The 'To' number +55119 is not a valid phone number.", status: 400 },
    });
    const worker = dispatcher(tenantId, new FixedClock(morning));
    expect(await worker.drain()).toMatchObject({ failed: 1, retried: 0 });
    await worker.close();
    provider.respond = original;
    expect(provider.requests).toHaveLength(1);
    const contact = await handle.db
      .selectFrom("contacts")
      .select("unusable_reason")
      .where("customer_id", "=", debtor.customerId)
      .executeTakeFirstOrThrow();
    expect(contact.unusable_reason).toContain("21211");
  });
});

describe("provider rate limits", () => {
  it("two workers on one database send SMS at the tenant's one rate, not at twice it", async () => {
    const tenantId = await newTenant();
    await useZenvia(tenantId, { sms_per_second: 5 });
    for (let index = 0; index < 15; index++) {
      await smsDebtorAtD6(tenantId, `Cliente ${index}`, `+55119876500${String(index).padStart(2, "0")}`);
    }
    // queued before the workers start, so that each claims from the same committed messages
    expect(await queueDueActions(handle.db, morning, 100, tenantId)).toBe(15);
    const clock = new FixedClock(morning);
    const workers = [0, 1].map(
      () => new Dispatcher(handle.db, { clock, tenantId, smtpUrl: null, batchSize: 8, random: () => 0.5 }),
    );
    const reports = await Promise.all(workers.map((worker) => worker.dispatchBatch()));
    await Promise.all(workers.map((worker) => worker.close()));
    // both workers sent a share
    expect(reports.map((report) => report.sent).sort()).toEqual([7, 8]);
    expect(provider.requests).toHaveLength(15);
    // a burst of one second's worth (5), then 10 more at 5 per second: 2 s from first to last.
    // With a bucket per worker each would have sent its share within 0.6 s.
    const arrivals = provider.requests.map((request) => request.receivedAt);
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeGreaterThanOrEqual(1_600);
  });
});

describe("SMTP connections per process", () => {
  it("SMTP_CONNECTIONS caps the connections one process holds at the server, and every e-mail still goes", async () => {
    const tenantId = await newTenant();
    await insertEmailBacklog(
      handle.db,
      tenantId,
      12,
      new Date(morning.getTime() - 60_000),
      new Date(morning.getTime() + 6 * 3_600_000),
    );
    smtp.delayMs = 30;
    smtp.maxConcurrent = 0;
    const before = smtp.messageIds.length;
    try {
      const report = await dispatchDue(
        handle.db,
        { clock: new FixedClock(morning), tenantId, random: () => 0.5 },
        { SMTP_URL: smtp.url, EMAIL_FROM: "cobranca@credora.com.br", SMTP_CONNECTIONS: "2" },
      );
      expect(report.sent).toBe(12);
    } finally {
      smtp.delayMs = 0;
    }
    expect(new Set(smtp.messageIds.slice(before)).size).toBe(12);
    // a connection holds one message at a time: two connections, at most two at the server
    expect(smtp.maxConcurrent).toBe(2);
  });

  it("refuses a cap that is not a whole number of connections, in Portuguese", () => {
    expect(() => smtpConnections({ SMTP_CONNECTIONS: "quatro" })).toThrow(
      'SMTP_CONNECTIONS: "quatro" não é um número de conexões válido; use um inteiro de 1 a 1000',
    );
    expect(() => smtpConnections({ SMTP_CONNECTIONS: "0" })).toThrow(/use um inteiro de 1 a 1000/);
    expect(smtpConnections({ SMTP_CONNECTIONS: " 8 " })).toBe(8);
    expect(smtpConnections({})).toBeUndefined();
  });
});

describe("other channels", () => {
  it("WhatsApp only with opt-in; tasks land in the analysts' queue; capture when no provider", async () => {
    const tenantId = await newTenant();
    await handle.db
      .insertInto("messaging_settings")
      .values({
        tenant_id: tenantId,
        whatsapp_base_url: provider.url,
        whatsapp_phone_number_id: "999",
        whatsapp_token: "wa",
      })
      .execute();
    const optedIn = await insertDebtor(handle.db, tenantId, {
      name: "Fábio Lima",
      phone: "+5511911112222",
      whatsapp: { value: "+5511911112222", optIn: true },
      invoices: [{ description: "Plano", amountCents: 50_00, dueDate: "2026-11-17" }],
    });
    const noOptIn = await insertDebtor(handle.db, tenantId, {
      name: "Gil",
      whatsapp: { value: "+5511933334444", optIn: false },
      invoices: [{ description: "Plano", amountCents: 50_00, dueDate: "2026-11-17" }],
    });
    const step = { ...D6, channel: "whatsapp" as const, template: "whatsapp.d+6" };
    await insertPlannedActions(handle.db, tenantId, optedIn, step, window);
    await insertPlannedActions(handle.db, tenantId, noOptIn, step, window);
    await insertPlannedActions(
      handle.db,
      tenantId,
      optedIn,
      { name: "D+30", offsetDays: 30, channel: "task", template: "task.negotiation" },
      window,
    );
    await insertPlannedActions(
      handle.db,
      tenantId,
      optedIn,
      { name: "D-1", offsetDays: -1, channel: "sms", template: "sms.d-1" },
      window,
    );

    const worker = dispatcher(tenantId, new FixedClock(morning), null);
    expect(await worker.drain()).toMatchObject({ sent: 3, skipped: 1 });
    await worker.close();
    expect(provider.requests).toHaveLength(1);
    const whatsapp = JSON.parse(provider.requests[0]!.body) as {
      to: string;
      template: { name: string; components: { parameters: { text: string }[] }[] };
    };
    expect(whatsapp.to).toBe("5511911112222");
    expect(whatsapp.template.name).toBe("cobranca_atraso");
    expect(
      whatsapp.template.components[0]!.parameters.map((parameter) => parameter.text).slice(0, 3),
    ).toEqual(["Fábio", "17/11/2026", "R$ 51,10"]);
    const messages = await messagesOf(tenantId);
    expect(messages.find((message) => message.customer_id === noOptIn.customerId)?.reason).toBe(
      "sem WhatsApp com opt-in do cliente",
    );
    const tasks = await handle.db
      .selectFrom("analyst_tasks")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .execute();
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      title: "Ligar para Fábio Lima e oferecer negociação",
      status: "open",
      due_on: "2026-11-23",
    });
    // no SMS provider configured: the capture transport keeps it to be read
    const captured = await handle.db
      .selectFrom("captured_messages")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .execute();
    expect(captured).toHaveLength(1);
    expect(captured[0]).toMatchObject({ channel: "sms", recipient: "+5511911112222" });
    expect(captured[0]!.text).toMatch(/^Fabio, sua fatura de R\$ 50,00 vence amanha/);
  });
});
