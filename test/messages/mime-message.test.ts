import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { composeEmail } from "../../src/channels/mime-message.ts";
import type { SmtpMail } from "../../src/channels/smtp-thread.ts";
import { emailHtml } from "../../src/modules/templates/email-html.ts";

const text =
  "Olá, João!\n\nNão identificamos o pagamento. O valor atualizado para hoje é R$ 1.331,50:\n\n" +
  "- Mensalidade de março, vencida em 01/11/2026: R$ 1.331,50 — segunda via: https://regua.example.com.br/l/1k.Zc6vB1yT\n\n" +
  "Uma linha com = sinal de igual e um ponto no início da próxima:\n.\nCredora Ação Ltda — CNPJ 11.222.333/0001-81\n";

function mail(overrides: Partial<SmtpMail> = {}): SmtpMail {
  return {
    from: "Credora Ação Ltda <cobranca@credora.com.br>",
    to: "joao.silva@example.com",
    subject: "Opa, atrasou! Sua fatura de março venceu em 01/11/2026 e segue em aberto com multa e juros",
    text,
    html: emailHtml("Opa, atrasou!", text, "https://regua.example.com.br/o/1k.AbCdEfGh"),
    messageId: "<8c1f3c1e-0000-4000-8000-000000000001@credora.com.br>",
    headers: {
      "List-Unsubscribe": "<https://regua.example.com.br/l/1k.Zc6vB1yT>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
    attachments: [],
    ...overrides,
  };
}

describe("an e-mail composed for SMTP's DATA", () => {
  it("reads back, in a mail client's parser, as the debtor's message: sender, subject, both parts, opt-out", async () => {
    const composed = composeEmail(mail(), new Date("2026-11-07T13:00:00Z"));
    expect(composed.envelope).toEqual({ from: "cobranca@credora.com.br", to: ["joao.silva@example.com"] });
    const parsed = await simpleParser(composed.raw);
    expect(parsed.from?.value).toEqual([{ name: "Credora Ação Ltda", address: "cobranca@credora.com.br" }]);
    expect(parsed.to && "value" in parsed.to ? parsed.to.value : null).toEqual([
      { name: "", address: "joao.silva@example.com" },
    ]);
    expect(parsed.subject).toBe(mail().subject);
    expect(parsed.text).toBe(text);
    expect(parsed.html).toBe(mail().html);
    expect(parsed.messageId).toBe("<8c1f3c1e-0000-4000-8000-000000000001@credora.com.br>");
    expect(parsed.date?.toISOString()).toBe("2026-11-07T13:00:00.000Z");
    const header = (name: string) => parsed.headerLines.find((line) => line.key === name)?.line;
    expect(header("list-unsubscribe")).toBe("List-Unsubscribe: <https://regua.example.com.br/l/1k.Zc6vB1yT>");
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(parsed.attachments).toEqual([]);
  });

  it("keeps every line within SMTP's limits, with CRLF line ends only", () => {
    const raw = composeEmail(mail(), new Date()).raw.toString("utf8");
    expect(raw).not.toMatch(/[^\r]\n/);
    expect(raw).not.toMatch(/\r[^\n]/);
    // eight bits never reach a server that did not offer them: every part is encoded
    expect(raw).toMatch(/^[\r\n\t -~]*$/);
    for (const line of raw.split("\r\n")) expect(line.length).toBeLessThanOrEqual(78);
  });

  it("carries the letter as an attachment with its accented file name, byte for byte", async () => {
    const pdf = Buffer.concat([
      Buffer.from("%PDF-1.4\n"),
      Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256)),
    ]);
    const composed = composeEmail(
      mail({
        attachments: [{ filename: "carta de cobrança.pdf", content: pdf, contentType: "application/pdf" }],
      }),
      new Date(),
    );
    const parsed = await simpleParser(composed.raw);
    expect(parsed.text).toBe(text);
    expect(parsed.html).toBe(mail().html);
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]?.filename).toBe("carta de cobrança.pdf");
    expect(parsed.attachments[0]?.contentType).toBe("application/pdf");
    expect(parsed.attachments[0]?.contentDisposition).toBe("attachment");
    expect(parsed.attachments[0]?.content.equals(pdf)).toBe(true);
  });

  it("sends a text-only e-mail as one plain part", async () => {
    const parsed = await simpleParser(composeEmail(mail({ html: undefined }), new Date()).raw);
    expect(parsed.text).toBe(text);
    expect(parsed.html).toBe(false);
  });

  it("never lets a line break in a subject or address start a header of its own", async () => {
    const composed = composeEmail(
      mail({ subject: "Fatura\r\nBcc: todos@example.com", to: "joao@example.com\r\nBcc: x@example.com" }),
      new Date(),
    );
    const parsed = await simpleParser(composed.raw);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.headerLines.filter((line) => line.key === "bcc")).toEqual([]);
    expect(parsed.subject).toBe("Fatura Bcc: todos@example.com");
  });
});
