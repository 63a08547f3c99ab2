import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { buildBankBoleto, parseBoleto } from "../../src/domain/boleto.ts";
import { buildPixPayload } from "../../src/domain/pix.ts";
import { Dispatcher } from "../../src/modules/messages/dispatcher.ts";
import { lettersOfDay } from "../../src/modules/messages/letters.service.ts";
import { tenantFromRow } from "../../src/modules/tenants/tenant.service.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { insertDebtor, insertPlannedActions } from "../support/message-fixtures.ts";
import { openTestDatabase } from "../support/test-database.ts";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

async function pdfText(pdf: Buffer): Promise<{ text: string; pages: number }> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  const result = await parser.getText();
  await parser.destroy();
  return { text: result.text, pages: result.total };
}

describe("letters", () => {
  it("one letter per customer with creditor header, updated debts, typeable line, barcode and Pix; one PDF per day", async () => {
    // the creditor issues boleto (Bradesco) and Pix, so a letter's documents are re-issued for the
    // amount of the day
    const tenantRow = await handle.db
      .updateTable("tenants")
      .set({
        boleto_bank_code: "237",
        boleto_agency: "1234",
        boleto_account: "1234567",
        pix_key: "financeiro@credora.com.br",
        pix_merchant_city: "SAO PAULO",
      })
      .where("id", "=", (await insertTestTenant(handle.db)).id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const tenant = tenantFromRow(tenantRow);
    const boleto = buildBankBoleto({
      bankCode: "237",
      dueDate: "2026-11-08",
      amountCents: 250_00,
      freeField: "1234567890123456789012345",
    });
    const pix = buildPixPayload({
      key: "11222333000181",
      amountCents: 250_00,
      name: "Credora Exemplo",
      city: "SAO PAULO",
      txid: "CARTA1",
    });
    const first = await insertDebtor(handle.db, tenant.id, {
      name: "Irene Costa",
      invoices: [
        {
          description: "Aluguel outubro",
          amountCents: 250_00,
          dueDate: "2026-11-08",
          typeableLine: boleto.typeableLine,
          pixPayload: pix,
        },
      ],
    });
    const second = await insertDebtor(handle.db, tenant.id, {
      name: "Jorge Dias",
      invoices: [{ description: "Aluguel novembro", amountCents: 300_00, dueDate: "2026-11-08" }],
    });
    await handle.db
      .updateTable("invoices")
      .set({ our_number: 4242 })
      .where("id", "=", first.invoiceIds[0]!)
      .execute();
    const morning = new Date("2026-11-23T13:00:00Z");
    const window = {
      sendOn: "2026-11-23",
      scheduledFor: morning,
      sendUntil: new Date("2026-11-23T22:00:00Z"),
    };
    const step = { name: "D+15", offsetDays: 15, channel: "letter" as const, template: "letter.d+15" };
    await insertPlannedActions(handle.db, tenant.id, first, step, window);
    await insertPlannedActions(handle.db, tenant.id, second, step, window);
    const worker = new Dispatcher(handle.db, { clock: new FixedClock(morning), tenantId: tenant.id });
    expect(await worker.drain()).toMatchObject({ sent: 2 });
    await worker.close();

    const day = await lettersOfDay(handle.db, tenant, "2026-11-23");
    expect(day.count).toBe(2);
    expect(day.pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const { text, pages } = await pdfText(day.pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    const flat = text.replace(/\s+/g, " ");
    expect(flat).toContain("Credora Exemplo Ltda");
    expect(flat).toContain("CNPJ 11.222.333/0001-81");
    expect(flat).toContain("Av. Paulista, 1000, Bela Vista, São Paulo/SP, 01310-100");
    expect(flat).toContain("Notificação de débito em atraso");
    expect(flat).toContain("Irene Costa");
    expect(flat).toContain("Jorge Dias");
    // R$ 250,00 + 2% + 1% a month for 15 days = R$ 256,25
    expect(flat).toContain("R$ 256,25");
    // the boleto and the Pix printed are for R$ 256,25 due today, never the stale R$ 250,00 ones
    expect(flat).not.toContain(boleto.typeableLine);
    const line = /Linha digitável: (\d[\d. ]{45,60}\d)/.exec(flat)?.[1];
    expect(line, flat).toBeDefined();
    const printed = parseBoleto(line!, "2026-11-23");
    expect(printed).toMatchObject({ amountCents: 256_25, dueDate: "2026-11-23" });
    expect(flat).toContain("Pix copia e cola:");
    const pixText = /Pix copia e cola: (\S+)/.exec(flat)?.[1] ?? "";
    expect(pixText).not.toBe(pix);
    expect(flat).toContain("art. 43, § 2º");
    // the barcode and the QR code are images on the page
    expect(day.pdf.toString("latin1").match(/\/Subtype \/Image/g)?.length).toBeGreaterThanOrEqual(2);

    expect((await lettersOfDay(handle.db, tenant, "2026-11-24")).count).toBe(0);
  });
});
