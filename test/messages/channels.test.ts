import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelError, type OutgoingMessage } from "../../src/channels/channel.ts";
import { SmtpEmailAdapter } from "../../src/channels/email.ts";
import { TwilioSmsAdapter, ZenviaSmsAdapter } from "../../src/channels/sms.ts";
import { WhatsAppCloudAdapter } from "../../src/channels/whatsapp.ts";
import { emailHtml } from "../../src/modules/templates/email-html.ts";
import { type HttpPeer, type SmtpPeer, startHttpPeer, startSmtpPeer } from "../support/message-peers.ts";

let smtp: SmtpPeer;
let provider: HttpPeer;

beforeAll(async () => {
  smtp = await startSmtpPeer();
  provider = await startHttpPeer();
});
afterAll(async () => {
  await smtp?.close();
  await provider?.close();
});

function message(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  const text = "Olá, Maria!\n\n- Mensalidade: R$ 133,06\n\nCredora Exemplo Ltda — CNPJ 11.222.333/0001-81\n";
  return {
    tenantId: "t",
    messageId: "m",
    idempotencyKey: "8c1f3c1e-0000-4000-8000-000000000001",
    channel: "email",
    recipient: "maria@example.com",
    subject: "LEMBRETE: sua fatura vence em 5 dias",
    text,
    html: emailHtml("LEMBRETE: sua fatura vence em 5 dias", text),
    unsubscribeUrl: "https://regua.example.com.br/l/Zc6vB1yT",
    attachments: [],
    whatsapp: null,
    ...overrides,
  };
}

async function channelError(work: Promise<unknown>): Promise<ChannelError> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(ChannelError);
    return error as ChannelError;
  }
  throw new Error("expected a ChannelError");
}

describe("e-mail over SMTP", () => {
  it("delivers both parts, one-click unsubscribe and the action id as Message-ID", async () => {
    const adapter = new SmtpEmailAdapter({ smtpUrl: smtp.url, from: "Credora <cobranca@credora.com.br>" });
    const pdf = Buffer.from("%PDF-1.4 fake but attached\n");
    const result = await adapter.send(
      message({ attachments: [{ filename: "carta.pdf", content: pdf, contentType: "application/pdf" }] }),
    );
    await adapter.close();
    expect(result.provider).toBe("smtp");
    const [mail] = await smtp.parsed();
    expect(mail!.subject).toBe("LEMBRETE: sua fatura vence em 5 dias");
    expect(mail!.text).toContain("Credora Exemplo Ltda — CNPJ 11.222.333/0001-81");
    expect(mail!.html).toContain("<li");
    expect(mail!.html).toContain("Credora Exemplo Ltda — CNPJ 11.222.333/0001-81");
    expect(mail!.messageId).toBe("<8c1f3c1e-0000-4000-8000-000000000001@credora.com.br>");
    const header = (name: string) => mail!.headerLines.find((line) => line.key === name)?.line;
    expect(header("list-unsubscribe")).toBe("List-Unsubscribe: <https://regua.example.com.br/l/Zc6vB1yT>");
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(mail!.attachments[0]?.filename).toBe("carta.pdf");
    expect(mail!.attachments[0]?.content.equals(pdf)).toBe(true);
  });

  it("classifies a 550 on the recipient as a hard bounce and 451 as transient", async () => {
    const adapter = new SmtpEmailAdapter({ smtpUrl: smtp.url, from: "cobranca@credora.com.br" });
    smtp.rejectRecipients.add("nobody@example.com");
    const bounce = await channelError(adapter.send(message({ recipient: "nobody@example.com" })));
    expect(bounce.kind).toBe("permanent");
    expect(bounce.contactUnusable).toBe(true);
    smtp.failNext = 1;
    const later = await channelError(adapter.send(message()));
    expect(later.kind).toBe("transient");
    await adapter.close();
  });

  it("keeps at most its in-flight limit at the server, the rest waiting their turn on the SMTP thread", async () => {
    const adapter = new SmtpEmailAdapter({
      smtpUrl: smtp.url,
      from: "cobranca@credora.com.br",
      maxConnections: 5,
      inFlight: 2,
    });
    smtp.delayMs = 40;
    smtp.maxConcurrent = 0;
    try {
      const sent = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          adapter.send(
            message({
              recipient: `fila${index}@example.com`,
              idempotencyKey: `8c1f3c1e-0000-4000-8000-00000000010${index}`,
            }),
          ),
        ),
      );
      expect(sent.map((result) => result.providerMessageId)).toEqual(
        Array.from(
          { length: 8 },
          (_, index) => `<8c1f3c1e-0000-4000-8000-00000000010${index}@credora.com.br>`,
        ),
      );
    } finally {
      smtp.delayMs = 0;
      await adapter.close();
    }
    expect(smtp.maxConcurrent).toBe(2);
  });

  it("treats a refused connection as transient", async () => {
    const adapter = new SmtpEmailAdapter({ smtpUrl: "smtp://127.0.0.1:1", from: "cobranca@credora.com.br" });
    const error = await channelError(adapter.send(message()));
    expect(error.kind).toBe("transient");
    await adapter.close();
  });

  it("refuses a tenant's server whose name now resolves inside, and sends nothing", async () => {
    const before = smtp.messageIds.length;
    const adapter = new SmtpEmailAdapter({
      smtpUrl: `smtp://smtp.credora.test:${smtp.port}`,
      from: "cobranca@credora.com.br",
      outbound: { resolver: async () => [{ address: "127.0.0.1", family: 4 }], allow: "" },
    });
    const error = await channelError(adapter.send(message()));
    expect(error.kind).toBe("permanent");
    expect(error.message).toMatch(
      /servidor SMTP recusado: smtp\.credora\.test \(127\.0\.0\.1\) é um endereço interno/,
    );
    await adapter.close();
    expect(smtp.messageIds.length).toBe(before);
  });

  it("connects a tenant's server to the very address it checked", async () => {
    const before = smtp.messageIds.length;
    // no DNS knows this name: the mail arrives only because the pool dialled the checked address
    const adapter = new SmtpEmailAdapter({
      smtpUrl: `smtp://smtp.credora.test:${smtp.port}`,
      from: "cobranca@credora.com.br",
      outbound: { resolver: async () => [{ address: "127.0.0.1", family: 4 }], allow: "127.0.0.1/32" },
    });
    await adapter.send(message({ idempotencyKey: "8c1f3c1e-0000-4000-8000-000000000002" }));
    await adapter.close();
    expect(smtp.messageIds.slice(before)).toEqual(["<8c1f3c1e-0000-4000-8000-000000000002@credora.com.br>"]);
  });
});

describe("SMS providers", () => {
  const sms = (text: string) =>
    message({ channel: "sms", recipient: "+5511987654321", subject: null, html: null, text });

  it("Zenvia v2: JSON with X-API-TOKEN, message id back, cost per segment", async () => {
    provider.requests.length = 0;
    const adapter = new ZenviaSmsAdapter({
      provider: "zenvia",
      baseUrl: provider.url,
      account: null,
      token: "zen-token",
      from: "credora",
      pricePerSegmentCents: 9,
    });
    const result = await adapter.send(sms("a".repeat(200)));
    const request = provider.requests[0]!;
    expect(request.path).toBe("/v2/channels/sms/messages");
    expect(request.headers["x-api-token"]).toBe("zen-token");
    expect(JSON.parse(request.body)).toEqual({
      from: "credora",
      to: "5511987654321",
      contents: [{ type: "text", text: "a".repeat(200) }],
    });
    expect(result).toMatchObject({ provider: "zenvia", segments: 2, costCents: 18 });
    expect(result.providerMessageId).toMatch(/^zenvia-/);
  });

  it("Twilio: form-encoded with basic auth, SID back; invalid number is permanent and unusable", async () => {
    provider.requests.length = 0;
    const adapter = new TwilioSmsAdapter({
      provider: "twilio",
      baseUrl: provider.url,
      account: "AC123",
      token: "secret",
      from: "+15005550006",
      pricePerSegmentCents: 7,
    });
    const result = await adapter.send(sms("Sua fatura vence amanha"));
    const request = provider.requests[0]!;
    expect(request.path).toBe("/2010-04-01/Accounts/AC123/Messages.json");
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from("AC123:secret").toString("base64")}`);
    const form = new URLSearchParams(request.body);
    expect(form.get("To")).toBe("+5511987654321");
    expect(form.get("From")).toBe("+15005550006");
    expect(form.get("Body")).toBe("Sua fatura vence amanha");
    expect(result).toMatchObject({ provider: "twilio", segments: 1, costCents: 7 });
    expect(result.providerMessageId).toMatch(/^SM/);

    const original = provider.respond;
    provider.respond = () => ({
      status: 400,
      body: { code: 21211, message: "The 'To' number +5511 is not a valid phone number.", status: 400 },
    });
    const invalid = await channelError(adapter.send(sms("x")));
    expect(invalid).toMatchObject({ kind: "permanent", contactUnusable: true });
    provider.respond = () => ({
      status: 429,
      body: { code: 20429, message: "Too Many Requests" },
      headers: { "retry-after": "2" },
    });
    const busy = await channelError(adapter.send(sms("x")));
    expect(busy).toMatchObject({ kind: "transient", retryAfterMs: 2000 });
    provider.respond = () => ({ status: 503, body: "Service Unavailable" });
    expect((await channelError(adapter.send(sms("x")))).kind).toBe("transient");
    provider.respond = original;
  });
});

describe("WhatsApp Cloud API", () => {
  it("sends an approved template with body parameters and reads the wamid", async () => {
    provider.requests.length = 0;
    const adapter = new WhatsAppCloudAdapter({
      baseUrl: provider.url,
      version: "v21.0",
      phoneNumberId: "1234567890",
      token: "wa-token",
      pricePerMessageCents: 35,
    });
    const result = await adapter.send(
      message({
        channel: "whatsapp",
        recipient: "+5511987654321",
        whatsapp: { name: "cobranca_atraso", language: "pt_BR", parameters: ["Maria", "R$ 133,06"] },
      }),
    );
    const request = provider.requests[0]!;
    expect(request.path).toBe("/v21.0/1234567890/messages");
    expect(request.headers.authorization).toBe("Bearer wa-token");
    expect(JSON.parse(request.body)).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "5511987654321",
      type: "template",
      template: {
        name: "cobranca_atraso",
        language: { code: "pt_BR" },
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "Maria" },
              { type: "text", text: "R$ 133,06" },
            ],
          },
        ],
      },
    });
    expect(result).toMatchObject({ provider: "whatsapp-cloud", costCents: 35 });
    expect(result.providerMessageId).toMatch(/^wamid\./);

    const original = provider.respond;
    provider.respond = () => ({
      status: 400,
      body: {
        error: { message: "Message undeliverable", type: "OAuthException", code: 131026, fbtrace_id: "x" },
      },
    });
    const error = await channelError(
      adapter.send(
        message({ channel: "whatsapp", whatsapp: { name: "x", language: "pt_BR", parameters: [] } }),
      ),
    );
    expect(error).toMatchObject({ kind: "permanent", contactUnusable: true });
    provider.respond = original;
  });
});
