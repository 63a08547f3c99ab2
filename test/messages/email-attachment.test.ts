import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { buildBankBoleto, parseBoleto } from "../../src/domain/boleto.ts";
import { runDay } from "../../src/modules/daily-run/daily-run.service.ts";
import { Dispatcher } from "../../src/modules/messages/dispatcher.ts";
import { listPolicies, policyDocument, savePolicy } from "../../src/modules/policies/policy.service.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { addCustomer, addInvoice, tenantWithDefaultRegua } from "../scenarios/regua-support.ts";
import { type SmtpPeer, startSmtpPeer } from "../support/message-peers.ts";
import { openTestDatabase } from "../support/test-database.ts";

let handle: DatabaseHandle;
let smtp: SmtpPeer;
beforeAll(async () => {
  handle = await openTestDatabase();
  smtp = await startSmtpPeer();
});
afterAll(async () => {
  await smtp?.close();
  await handle?.close();
});

async function pdfText(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  const result = await parser.getText();
  await parser.destroy();
  return result.text.replace(/\s+/g, " ");
}

describe("a step that attaches the letter to its e-mail", () => {
  it("D+6 with attachLetter: the e-mail carries the debtor's PDF with debts, typeable line and Pix", async () => {
    const tenant = await tenantWithDefaultRegua(handle.db);
    const [policy] = await listPolicies(handle.db, tenant.id);
    const document = policyDocument(policy!);
    await savePolicy(handle.db, tenant.id, {
      ...document,
      steps: document.steps.map((step) => (step.name === "D+6" ? { ...step, attachLetter: true } : step)),
    });
    expect(
      (await listPolicies(handle.db, tenant.id))[0]!.steps.find((step) => step.name === "D+6")?.attachLetter,
    ).toBe(true);

    const customer = await addCustomer(handle.db, tenant, { sms: false });
    const invoiceId = await addInvoice(handle.db, tenant, customer, "2026-11-17", 250_00);
    const boleto = buildBankBoleto({
      bankCode: "237",
      dueDate: "2026-11-17",
      amountCents: 250_00,
      freeField: "1234567890123456789012345",
    });
    await handle.db
      .updateTable("invoices")
      .set({
        typeable_line: boleto.typeableLine,
        pix_payload: "00020126580014br.gov.bcb.pix0136pix-da-credora",
        our_number: 4242,
      })
      .where("tenant_id", "=", tenant.id)
      .where("id", "=", invoiceId)
      .execute();
    // the creditor's bank and Pix key: the letter re-issues both for the amount of the day
    await handle.db
      .updateTable("tenants")
      .set({
        boleto_bank_code: "237",
        boleto_agency: "1234",
        boleto_account: "1234567",
        pix_key: "financeiro@credora.com.br",
        pix_merchant_city: "SAO PAULO",
      })
      .where("id", "=", tenant.id)
      .execute();

    // D0 (no attachment asked) and D+6 (attachment asked)
    const days = [
      { date: "2026-11-17", at: new Date("2026-11-17T15:00:00Z") },
      { date: "2026-11-23", at: new Date("2026-11-23T15:00:00Z") },
    ];
    for (const day of days) {
      await runDay(handle.db, tenant, day.date, { now: day.at });
      const dispatcher = new Dispatcher(handle.db, {
        clock: new FixedClock(day.at),
        tenantId: tenant.id,
        smtpUrl: smtp.url,
      });
      await dispatcher.drain();
      await dispatcher.close();
    }

    const mails = await smtp.parsed();
    const d0 = mails.find((mail) => mail.subject?.startsWith("NÃO ESQUEÇA"));
    const d6 = mails.find((mail) => mail.subject?.startsWith("Opa, atrasou!"));
    expect(d0?.attachments ?? ["missing"]).toEqual([]);
    expect(d6?.attachments).toHaveLength(1);
    const attachment = d6!.attachments[0]!;
    expect(attachment.contentType).toBe("application/pdf");
    expect(attachment.filename).toBe("cobranca-2026-11-23.pdf");
    const text = await pdfText(attachment.content);
    expect(text).toContain(customer.name);
    expect(text).toContain("Opa, atrasou!");
    // R$ 250,00 + 2% + 1% a month for 6 days = R$ 255,50: the boleto printed is for that, due today
    expect(text).not.toContain(boleto.typeableLine);
    const line = /Linha digitável: (\d[\d. ]{45,60}\d)/.exec(text)?.[1];
    expect(line, text).toBeDefined();
    expect(parseBoleto(line!, "2026-11-23")).toMatchObject({ amountCents: 255_50, dueDate: "2026-11-23" });
    expect(text).toContain("Pix copia e cola:");
    expect(text).toContain("R$ 250,00");
  });
});
