import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { formatBrl } from "../../src/domain/money.ts";
import { Dispatcher } from "../../src/modules/messages/dispatcher.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { sealSecret } from "../../src/shared/secret-box.ts";
import { startServer, type TestServer } from "../support/http.ts";
import { insertPlannedActions } from "../support/message-fixtures.ts";
import { startHttpPeer } from "../support/message-peers.ts";
import { openTestDatabase } from "../support/test-database.ts";
import { hiddenFields, mintLinkPath, pdfText, portalWorld, Visitor } from "./portal-support.ts";

// 12:00 in São Paulo: the invoice due 2026-10-23 is 31 days overdue
const clock = new FixedClock("2026-11-23T15:00:00Z");
let handle: DatabaseHandle;
let server: TestServer;
let world: Awaited<ReturnType<typeof portalWorld>>;

beforeAll(async () => {
  handle = await openTestDatabase();
  server = await startServer(handle, clock);
  world = await portalWorld(handle, server);
});

afterAll(async () => {
  await server?.close();
  await handle?.close();
});

function flip(token: string): string {
  const index = 30;
  const replacement = token[index] === "A" ? "B" : "A";
  return token.slice(0, index) + replacement + token.slice(index + 1);
}

describe("POST /v1/customers/{id}/portal-link", () => {
  it("mints a link valid for 7 days by default, up to 30 on request", async () => {
    const minted = await world.call(world.key, "POST", `/v1/customers/${world.customerId}/portal-link`, {
      body: {},
    });
    expect(minted.status).toBe(201);
    expect(minted.body.url).toMatch(/\/portal\/entrar\?t=[A-Za-z0-9_-]+$/);
    expect(minted.body.expiresAt).toBe("2026-11-30T15:00:00.000Z");
    // nothing personal in the link: not the CPF, not the name, not the e-mail
    expect(minted.body.url).not.toMatch(/52998|Mariana|mariana/);
    const longer = await world.call(world.key, "POST", `/v1/customers/${world.customerId}/portal-link`, {
      body: { ttlDays: 30, purpose: "invoice", invoiceId: world.overdue },
    });
    expect(longer.body.expiresAt).toBe("2026-12-23T15:00:00.000Z");
  });

  it("refuses what does not fit: more than 30 days, an invoice link without or with another's invoice", async () => {
    const path = `/v1/customers/${world.customerId}/portal-link`;
    const tooLong = await world.call(world.key, "POST", path, { body: { ttlDays: 31 } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.field).toBe("ttlDays");
    const noInvoice = await world.call(world.key, "POST", path, { body: { purpose: "invoice" } });
    expect(noInvoice.status).toBe(400);
    expect(noInvoice.body.error.field).toBe("invoiceId");
    const other = await world.call(world.key, "POST", "/v1/customers", {
      body: { externalId: "outro", name: "Outro Cliente", document: "39053344705" },
    });
    const othersInvoice = await world.invoice("NF-OUTRO", "2026-11-01", 50_00, other.body.id);
    const foreign = await world.call(world.key, "POST", path, {
      body: { purpose: "invoice", invoiceId: othersInvoice },
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toContain("não encontrada para este cliente");
    const unknown = await world.call(
      world.key,
      "POST",
      "/v1/customers/00000000-0000-4000-8000-000000000000/portal-link",
      { body: {} },
    );
    expect(unknown.status).toBe(404);
  });
});

describe("GET /v1/invoices/{id}/second-copy.pdf", () => {
  it("is the second copy of the day: typeable line, the amount with fine and interest", async () => {
    const json = await world.call(
      world.key,
      "GET",
      `/v1/invoices/${world.overdue}/second-copy?date=2026-11-25`,
    );
    expect(json.status).toBe(200);
    const response = await fetch(
      `${server.url}/v1/invoices/${world.overdue}/second-copy.pdf?date=2026-11-25`,
      {
        headers: { authorization: `Bearer ${world.key.key}` },
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toContain("segunda-via-NF-1001-2026-11-25.pdf");
    const text = await pdfText(new Uint8Array(await response.arrayBuffer()));
    expect(text).toContain(json.body.typeableLineFormatted);
    expect(text).toContain(formatBrl(json.body.amount.totalDueCents));
    expect(text).toContain(formatBrl(json.body.amount.fineCents));
    expect(text).toContain("Provedor Fibra Rápida Ltda");
    expect(text).toContain("***.982.247-**");
    expect(text).not.toContain("529.982.247-25");
  });

  it("refuses a past date and an invoice that is not open", async () => {
    const past = await world.call(
      world.key,
      "GET",
      `/v1/invoices/${world.overdue}/second-copy.pdf?date=2026-11-01`,
    );
    expect(past.status).toBe(400);
    expect(past.body.error.field).toBe("date");
    const cancelled = await world.invoice("NF-CANCEL", "2026-11-01", 10_00, world.customerId);
    await world.call(world.key, "POST", `/v1/invoices/${cancelled}/cancel`);
    const closed = await world.call(world.key, "GET", `/v1/invoices/${cancelled}/second-copy.pdf`);
    expect(closed.status).toBe(409);
  });
});

describe("entering the portal", () => {
  it("asks who you are before showing anything personal, then shows the amount of the day", async () => {
    const visitor = new Visitor(server);
    const path = await mintLinkPath(world.call, world.key, world.customerId);
    const question = await visitor.get(path);
    expect(question.status).toBe(200);
    expect(question.headers.get("cache-control")).toBe("no-store");
    expect(question.text).toContain('lang="pt-BR"');
    expect(question.text).toContain("Os 5 primeiros dígitos do seu CPF");
    expect(question.text).not.toContain("Mariana");
    expect(question.text).not.toContain("199,90");
    const before = await visitor.get("/portal");
    expect(before.status).toBe(401);
    expect(before.text).toContain("Sua sessão terminou");

    const entered = await visitor.post("/portal/entrar", {
      ...hiddenFields(question.text),
      resposta: "529.98",
    });
    expect(entered.status).toBe(303);
    expect(entered.headers.get("location")).toBe("/portal");
    const session = entered.headers.getSetCookie().find((cookie) => cookie.startsWith("regua_portal="))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);

    const home = await visitor.get("/portal");
    expect(home.status).toBe(200);
    expect(home.headers.get("cache-control")).toBe("no-store");
    const copy = await world.call(world.key, "GET", `/v1/invoices/${world.overdue}/second-copy`);
    expect(home.text).toContain("Olá, Mariana");
    expect(home.text).toContain("***.982.247-**");
    expect(home.text).not.toContain("529.982.247-25");
    expect(home.text).toContain(formatBrl(copy.body.amount.totalDueCents));
    expect(home.text).toContain(formatBrl(copy.body.amount.fineCents));
    expect(home.text).toContain(formatBrl(copy.body.amount.interestCents));
  });

  it("opens the invoice a link was for, and no other customer's invoice", async () => {
    const visitor = new Visitor(server);
    const path = await mintLinkPath(world.call, world.key, world.customerId, {
      purpose: "invoice",
      invoiceId: world.overdue,
    });
    const entered = await visitor.enter(path, "52998");
    expect(entered.headers.get("location")).toBe(`/portal/faturas/${world.overdue}`);
    const page = await visitor.get(`/portal/faturas/${world.overdue}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Código Pix copia e cola");
    const other = await world.call(world.key, "POST", "/v1/customers", {
      body: { externalId: "vizinho", name: "Vizinho Segredo", document: "11144477735" },
    });
    const neighbours = await world.invoice("NF-VIZINHO", "2026-11-01", 77_77, other.body.id);
    for (const path of [`/portal/faturas/${neighbours}`, `/portal/faturas/${neighbours}/segunda-via.pdf`]) {
      const response = await visitor.get(path);
      expect(response.status, path).toBe(404);
      expect(response.text).not.toContain("77,77");
    }
  });

  it("explains an expired link and a tampered one", async () => {
    const path = await mintLinkPath(world.call, world.key, world.customerId, { ttlDays: 1 });
    const token = new URL(`http://x${path}`).searchParams.get("t")!;
    const tampered = await new Visitor(server).get(`/portal/entrar?t=${flip(token)}`);
    expect(tampered.status).toBe(400);
    expect(tampered.text).toContain("Link inválido");
    expect(tampered.text).toContain("peça um novo link");
    const garbage = await new Visitor(server).get("/portal/entrar?t=%3Cscript%3E");
    expect(garbage.status).toBe(400);
    expect(garbage.text).not.toContain("<script>");
    const visitor = new Visitor(server);
    const question = await visitor.get(path);
    clock.set("2026-11-24T15:00:01Z");
    try {
      const expired = await visitor.get(path);
      expect(expired.status).toBe(410);
      expect(expired.text).toContain("Link expirado");
      expect(expired.text).toContain("Provedor Fibra Rápida Ltda");
      // an answer sent from a page opened before the expiry is refused too
      const late = await visitor.post("/portal/entrar", {
        ...hiddenFields(question.text),
        resposta: "52998",
      });
      expect(late.status).toBe(410);
    } finally {
      clock.set("2026-11-23T15:00:00Z");
    }
  });

  it("locks a link after 5 wrong answers: the 6th is refused even when right, until 15 minutes pass", async () => {
    const own = await portalWorld(handle, server);
    const path = await mintLinkPath(own.call, own.key, own.customerId);
    const visitor = new Visitor(server);
    const question = await visitor.get(path);
    const fields = hiddenFields(question.text);
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const wrong = await visitor.post("/portal/entrar", { ...fields, resposta: "11111" });
      expect(wrong.status).toBe(400);
      expect(wrong.text).toContain(`ainda pode tentar ${5 - attempt} vez(es)`);
    }
    const fifth = await visitor.post("/portal/entrar", { ...fields, resposta: "11111" });
    expect(fifth.status).toBe(429);
    expect(fifth.text).toContain("bloqueada");
    const sixth = await visitor.post("/portal/entrar", { ...fields, resposta: "52998" });
    expect(sixth.status).toBe(429);
    expect(sixth.headers.getSetCookie().some((cookie) => cookie.startsWith("regua_portal="))).toBe(false);
    // another link of the same customer (minted a second later) is not locked by this one
    clock.set("2026-11-23T15:00:01Z");
    const other = await new Visitor(server).enter(
      await mintLinkPath(own.call, own.key, own.customerId),
      "52998",
    );
    expect(other.status).toBe(303);
    clock.set("2026-11-23T15:15:01Z");
    try {
      const later = await visitor.post("/portal/entrar", { ...fields, resposta: "52998" });
      expect(later.status).toBe(303);
    } finally {
      clock.set("2026-11-23T15:00:00Z");
    }
  });

  it("locks an address that guesses across many links (20 wrong answers)", async () => {
    const own = await portalWorld(handle, server);
    for (let link = 0; link < 5; link += 1) {
      // links minted at different seconds are different links, each with its own count
      clock.set(`2026-11-23T15:00:0${link}Z`);
      const visitor = new Visitor(server);
      const question = await visitor.get(await mintLinkPath(own.call, own.key, own.customerId));
      for (let attempt = 0; attempt < 4; attempt += 1) {
        const answer = await visitor.post("/portal/entrar", {
          ...hiddenFields(question.text),
          resposta: "00000",
        });
        expect(answer.status).toBe(link === 4 && attempt === 3 ? 429 : 400);
      }
    }
    clock.set("2026-11-23T15:00:09Z");
    const fresh = await new Visitor(server).enter(
      await mintLinkPath(own.call, own.key, own.customerId),
      "52998",
    );
    expect(fresh.status).toBe(429);
    clock.set("2026-11-23T15:00:00Z");
  });

  it("refuses forms without their CSRF token", async () => {
    const path = await mintLinkPath(world.call, world.key, world.customerId);
    const visitor = new Visitor(server);
    const question = await visitor.get(path);
    const noToken = await new Visitor(server).post("/portal/entrar", {
      t: hiddenFields(question.text).t!,
      csrf: hiddenFields(question.text).csrf!,
      resposta: "52998",
    });
    expect(noToken.status).toBe(403);
    await visitor.post("/portal/entrar", { ...hiddenFields(question.text), resposta: "52998" });
    const forged = await visitor.post("/portal/preferencias", {
      channel: "sms",
      receive: "no",
      csrf: "forjado",
    });
    expect(forged.status).toBe(403);
    const contacts = await handle.db
      .selectFrom("contacts")
      .select("opted_out_at")
      .where("customer_id", "=", world.customerId)
      .where("channel", "=", "sms")
      .execute();
    expect(contacts.every((contact) => contact.opted_out_at === null)).toBe(true);
  });

  it("ends the session on sign-out", async () => {
    const visitor = new Visitor(server);
    await visitor.enter(await mintLinkPath(world.call, world.key, world.customerId), "52998");
    const home = await visitor.get("/portal");
    const signOut = await visitor.post("/portal/sair", { csrf: hiddenFields(home.text).csrf! });
    expect(signOut.status).toBe(200);
    expect((await visitor.get("/portal")).status).toBe(401);
  });
});

describe("links in dunning messages", () => {
  it("lead through the short link to a signed portal link of the debtor", async () => {
    const morning = new Date("2026-11-23T13:00:00Z");
    const [actionId] = await insertPlannedActions(
      handle.db,
      world.tenant.id,
      { customerId: world.customerId, invoiceIds: [world.overdue] },
      { name: "D+31", offsetDays: 31, channel: "email", template: "email.d+6" },
      { sendOn: "2026-11-23", scheduledFor: morning, sendUntil: new Date("2026-11-23T23:00:00Z") },
    );
    expect(actionId).toBeDefined();
    const dispatcher = new Dispatcher(handle.db, { clock, tenantId: world.tenant.id, smtpUrl: null });
    expect(await dispatcher.drain()).toMatchObject({ sent: 1 });
    await dispatcher.close();
    const links = await handle.db
      .selectFrom("short_links")
      .select(["code", "kind", "url"])
      .where("tenant_id", "=", world.tenant.id)
      .where("kind", "<>", "open")
      .execute();
    expect(links.length).toBeGreaterThanOrEqual(3);
    for (const link of links) expect(link.url).toMatch(/\/portal\/entrar\?t=/);
    const invoiceLink = links.find((link) => link.kind === "link")!;
    const redirect = await fetch(`${server.url}/l/${invoiceLink.code}`, { redirect: "manual" });
    const target = new URL(redirect.headers.get("location")!);
    const visitor = new Visitor(server);
    const entered = await visitor.enter(`${target.pathname}${target.search}`, "52998");
    expect(entered.status).toBe(303);
    expect(["/portal", `/portal/faturas/${world.overdue}`]).toContain(entered.headers.get("location"));
  });
});

describe("signed-in pages", () => {
  it("a customer in good standing sees their invoices, no suspension", async () => {
    const own = await portalWorld(handle, server);
    await own.call(own.key, "POST", `/v1/invoices/${own.overdue}/cancel`);
    const visitor = new Visitor(server);
    await visitor.enter(await mintLinkPath(own.call, own.key, own.customerId), "52998");
    const home = await visitor.get("/portal");
    expect(home.text).toContain("<h1>Minhas faturas</h1>");
    expect(home.text).not.toContain("suspens");
    expect(home.text).toContain("Mensalidade NF-1002");
    expect(home.text).not.toContain("Mensalidade NF-1001");
    expect(home.text).not.toContain("Negociar a dívida");
  });

  it("a company with an alphanumeric CNPJ answers with its first 5 characters, in any case", async () => {
    const company = await world.call(world.key, "POST", "/v1/customers", {
      body: { externalId: "empresa-alfa", name: "Alfa Comércio Ltda", document: "12.ABC.345/01DE-35" },
    });
    expect(company.status).toBe(201);
    const path = await mintLinkPath(world.call, world.key, company.body.id);
    const visitor = new Visitor(server);
    const question = await visitor.get(path);
    expect(question.text).toContain("Os 5 primeiros caracteres do seu CNPJ");
    expect(question.text).toContain("Letras e números");
    const wrong = await visitor.post("/portal/entrar", { ...hiddenFields(question.text), resposta: "12345" });
    expect(wrong.status).toBe(400);
    const right = await visitor.post("/portal/entrar", {
      ...hiddenFields(question.text),
      resposta: "12.abc",
    });
    expect(right.status).toBe(303);
  });

  it("the opt-out link of a message lands on the preferences", async () => {
    const visitor = new Visitor(server);
    const path = await mintLinkPath(world.call, world.key, world.customerId, { purpose: "preferences" });
    const entered = await visitor.enter(path, "52998");
    expect(entered.headers.get("location")).toBe("/portal/preferencias");
    const page = await visitor.get("/portal/preferencias");
    expect(page.text).toContain("Preferências de contato");
    expect(page.text).toContain("ma***@example.com");
    expect(page.text).not.toContain("mariana@example.com");
  });

  it("verifies a new mobile by SMS through the creditor's provider before saving it", async () => {
    const own = await portalWorld(handle, server);
    const provider = await startHttpPeer();
    try {
      await handle.db
        .insertInto("messaging_settings")
        .values({
          tenant_id: own.tenant.id,
          sms_provider: "zenvia",
          sms_base_url: provider.url,
          sms_token: sealSecret("zenvia-token"),
          sms_from: "fibra",
        })
        .execute();
      const visitor = new Visitor(server);
      await visitor.enter(await mintLinkPath(own.call, own.key, own.customerId), "52998");
      const contacts = await visitor.get("/portal/contato");
      const csrf = hiddenFields(contacts.text).csrf!;
      const invalid = await visitor.post("/portal/contato", { csrf, channel: "sms", value: "1234" });
      expect(invalid.status).toBe(400);
      expect(invalid.text).toContain("celular inválido");
      const sent = await visitor.post("/portal/contato", { csrf, channel: "sms", value: "(21) 99876-5432" });
      expect(sent.status).toBe(200);
      expect(sent.text).toContain("+55 21 9****-5432");
      expect(provider.requests.length).toBe(1);
      // the code stands alone; the phone number's digits around it are longer runs
      const code = /(?<!\d)(\d{6})(?!\d)/.exec(provider.requests[0]!.body)![1]!;
      expect(provider.requests[0]!.body).toContain("5521998765432");
      const codeId = /name="codeId" value="([^"]+)"/.exec(sent.text)![1]!;
      const saved = await visitor.post("/portal/contato/confirmar", { csrf, codeId, code });
      expect(saved.status).toBe(200);
      expect(saved.text).toContain("foi confirmado e salvo");
      const phones = await handle.db
        .selectFrom("contacts")
        .select(["value", "verified_owner", "unusable_reason"])
        .where("customer_id", "=", own.customerId)
        .where("channel", "=", "sms")
        .orderBy("value")
        .execute();
      expect(phones).toEqual([
        {
          value: "+5511987654321",
          verified_owner: true,
          unusable_reason: "substituído pelo cliente no portal",
        },
        { value: "+5521998765432", verified_owner: true, unusable_reason: null },
      ]);
      // a used code does not work twice
      const again = await visitor.post("/portal/contato/confirmar", { csrf, codeId, code });
      expect(again.status).toBe(400);
      expect(again.text).toContain("peça um novo código");
    } finally {
      await provider.close();
    }
  });
});
