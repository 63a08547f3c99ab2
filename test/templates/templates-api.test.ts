import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/shared/clock.ts";
import { apiTenant, cpf } from "../support/api-fixtures.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";
import { type SmtpPeer, startSmtpPeer } from "../support/message-peers.ts";

const clock = new FixedClock("2026-11-23T15:00:00Z");
let api: ApiTest<{ id: string; slug: string }>;
let smtp: SmtpPeer;
let admin: { cookie: string; csrf: string };
let analyst: { cookie: string; csrf: string };
let viewer: { cookie: string; csrf: string };

const CREDITOR_BLOCK = "{{ credor.nome }} — CNPJ {{ credor.cnpj }}\n{{ credor.endereco }}";

beforeAll(async () => {
  smtp = await startSmtpPeer();
  api = await startApiTest(clock, apiTenant);
  await api.handle.db
    .insertInto("messaging_settings")
    .values({
      tenant_id: api.tenant.id,
      smtp_url: smtp.url,
      email_from: "Fibra Rápida <cobranca@fibrarapida.com.br>",
    })
    .execute();
  admin = await api.operator("admin");
  analyst = await api.operator("analyst");
  viewer = await api.operator("viewer");
});

afterAll(async () => {
  await api?.close();
  await smtp?.close();
});

describe("templates over HTTP", () => {
  it("lists the defaults and reads one by name", async () => {
    const list = await api.call(viewer, "GET", "/v1/templates");
    expect(list.status).toBe(200);
    expect(list.body.data.map((template: { name: string }) => template.name)).toContain("email.d-5");
    const one = await api.call(viewer, "GET", "/v1/templates/sms.d+6");
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ name: "sms.d+6", channel: "sms", custom: false });
    expect((await api.call(viewer, "GET", "/v1/templates/email.nao-existe")).status).toBe(404);
  });

  it("refuses a template with an unknown variable, naming the field and the variable; nothing saved", async () => {
    const response = await api.call(admin, "PUT", "/v1/templates/email.d-5", {
      body: { subject: "Lembrete", body: `Olá {{ cliente.primero_nome }}\n\n${CREDITOR_BLOCK}` },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.field).toBe("body");
    expect(response.body.error.message).toContain('variável desconhecida "cliente.primero_nome"');
    expect(response.body.error.message).toContain("cliente.primeiro_nome");
    const still = await api.call(admin, "GET", "/v1/templates/email.d-5");
    expect(still.body.custom).toBe(false);
  });

  it("refuses a subject with an unknown variable naming the subject", async () => {
    const response = await api.call(admin, "PUT", "/v1/templates/email.d-5", {
      body: {
        subject: "Vence {{ fatura.vencimiento }}",
        body: `Olá {{ cliente.primeiro_nome }}\n\n${CREDITOR_BLOCK}`,
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.field).toBe("subject");
  });

  it("refuses a template without the creditor's block (CDC art. 42-A)", async () => {
    const response = await api.call(admin, "PUT", "/v1/templates/sms.d+6", {
      body: { body: "{{ cliente.primeiro_nome }}, pague {{ total_atualizado }}" },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain("CDC art. 42-A");
    expect((await api.call(admin, "GET", "/v1/templates/sms.d+6")).body.custom).toBe(false);
  });

  it("lets only an admin save, and then serves the tenant's version", async () => {
    const body = {
      subject: "Lembrete para {{ cliente.primeiro_nome }}",
      body: `Olá {{ cliente.primeiro_nome }}, sua fatura vence em {{ fatura.vencimento }}.\n\n${CREDITOR_BLOCK}`,
    };
    expect((await api.call(analyst, "PUT", "/v1/templates/email.d-5", { body })).status).toBe(403);
    const saved = await api.call(admin, "PUT", "/v1/templates/email.d-5", { body });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ name: "email.d-5", custom: true, subject: body.subject });
    expect((await api.call(viewer, "GET", "/v1/templates/email.d-5")).body.body).toBe(body.body);
  });

  it("previews a draft with sample data, listing what would stop it being saved", async () => {
    const response = await api.call(analyst, "POST", "/v1/templates/preview", {
      body: { name: "sms.d-1", body: "Oi {{ cliente.primeiro_nome }}, vence {{ fatura.vencimento }}" },
    });
    expect(response.status).toBe(200);
    expect(response.body.rendered.text).toBe("Oi Maria, vence 10/11/2026");
    expect(response.body.sms).toMatchObject({ segments: 1, encoding: "GSM-7" });
    expect(response.body.problems.join(" ")).toContain("CDC art. 42-A");
    expect(
      (await api.call(viewer, "POST", "/v1/templates/preview", { body: { name: "sms.d-1" } })).status,
    ).toBe(403);
  });

  it("previews with a real customer's open invoice at today's amount", async () => {
    const customer = await api.call(api.key, "POST", "/v1/customers", {
      body: { externalId: "prev-1", name: "JOÃO PEREIRA", document: cpf() },
    });
    await api.call(api.key, "POST", "/v1/invoices", {
      body: {
        externalId: "prev-f1",
        customerId: customer.body.id,
        description: "Plano 300 mega",
        amountCents: 100_00,
        issueDate: "2026-10-01",
        dueDate: "2026-11-03",
      },
    });
    const response = await api.call(analyst, "POST", "/v1/templates/preview", {
      body: {
        name: "email.d+6",
        customerId: customer.body.id,
        subject: "Atraso",
        body: `{{ cliente.primeiro_nome }}: {{ fatura.descricao }} {{ fatura.valor_original }} hoje {{ fatura.valor_atualizado }} ({{ fatura.dias_atraso }} dias)\n\n${CREDITOR_BLOCK}`,
      },
    });
    expect(response.status, response.text).toBe(200);
    // 2% fine (R$ 2,00) and 1% a month pro rata for 20 days (R$ 0,67) on R$ 100,00 due 03/11
    expect(response.body.rendered.text.split("\n")[0]).toBe(
      "João: Plano 300 mega R$ 100,00 hoje R$ 102,67 (20 dias)",
    );
    expect(response.body.html).toContain("Plano 300 mega");
  });

  it("sends a test to the operator's own e-mail through the tenant's SMTP, never to a debtor", async () => {
    const before = smtp.received.length;
    const response = await api.call(analyst, "POST", "/v1/templates/sms.d+6/test-send", { body: {} });
    expect(response.status, response.text).toBe(200);
    expect(response.body.provider).toBe("smtp");
    const mails = (await smtp.parsed()).slice(before);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(smtp.received.at(-1)!.envelopeTo).toEqual([response.body.sentTo]);
    expect(response.body.sentTo).toMatch(/^analyst\d+@credora\.com\.br$/);
    expect(mail.subject).toContain("[Teste] sms.d+6");
    expect(mail.text).toContain("Maria, sua fatura venceu em 10/11/2026");
    expect(mail.text).toContain("Provedor Fibra Rapida Ltda");
  });

  it("sends an unsaved draft as a test, and refuses an API key (it has no e-mail)", async () => {
    const before = smtp.received.length;
    const draft = {
      subject: "Rascunho {{ cliente.primeiro_nome }}",
      body: `Texto novo do rascunho.\n\n${CREDITOR_BLOCK}`,
    };
    const response = await api.call(admin, "POST", "/v1/templates/email.d0/test-send", { body: draft });
    expect(response.status, response.text).toBe(200);
    const [mail] = (await smtp.parsed()).slice(before);
    expect(mail!.subject).toBe("[Teste] email.d0: Rascunho Maria");
    expect(mail!.text).toContain("Texto novo do rascunho.");
    expect(mail!.html).toContain("Texto novo do rascunho.");
    const byKey = await api.call(api.key, "POST", "/v1/templates/email.d0/test-send", { body: draft });
    expect(byKey.status).toBe(403);
    expect(smtp.received.length).toBe(before + 1);
  });
});
