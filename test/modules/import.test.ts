import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { buildBankBoleto } from "../../src/domain/boleto.ts";
import { parseCsvText } from "../../src/modules/imports/csv.ts";
import { importCsvFile, importRows } from "../../src/modules/imports/import.service.ts";
import { createTenant } from "../../src/modules/onboarding/onboarding.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { AppError } from "../../src/shared/errors.ts";
import { openTestDatabase } from "../support/test-database.ts";

const TODAY = "2026-03-01";
let handle: DatabaseHandle;
let tenant: Tenant;
const folder = mkdtempSync(join(tmpdir(), "regua-import-"));

function csvFile(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

const CUSTOMERS = `\uFEFFExternal_ID;Name;Document;Email;Mobile;WhatsApp;City;State;Postal_Code;Tags
C1;Maria da Silva;529.982.247-25;maria@example.com;(11) 98765-4321;sim;São Paulo;SP;01310-100;vip|varejo
C2;Oficina Dois Irmãos Ltda;11.222.333/0001-81;contato@oficina.com.br;;não;Rio Branco;AC;;
C3;"Souza, José";123.456.789-09;;+5521987654321;;Rio de Janeiro;RJ;;
`;

beforeAll(async () => {
  handle = await openTestDatabase();
  tenant = await createTenant(handle.db, {
    slug: "importadora",
    legalName: "Importadora Ltda",
    document: "11222333000181",
    address: "Rua A, 1, São Paulo/SP",
    boletoBankCode: "341",
    boletoAgency: "0001",
    boletoAccount: "12345",
    pixKey: "+5511999990000",
    pixMerchantCity: "SAO PAULO",
  });
});
afterAll(() => handle.close());

describe("CSV reading", () => {
  it("detects ';' or ',' and keeps quoted separators inside a field", () => {
    const semicolon = parseCsvText('a;b\n1;"x;y"\n');
    expect(semicolon.rows).toEqual([{ a: "1", b: "x;y" }]);
    const comma = parseCsvText('A,B\r\n1,"2,5"\r\n');
    expect(comma.rows).toEqual([{ a: "1", b: "2,5" }]);
  });
});

describe("customers import", () => {
  it("inserts, then reports everything unchanged when the same file comes again", async () => {
    const path = csvFile("customers.csv", CUSTOMERS);
    const first = await importCsvFile(handle.db, tenant, "customers", path, { today: TODAY });
    expect(first).toMatchObject({ total: 3, inserted: 3, updated: 0, unchanged: 0, failed: 0, errors: [] });
    const again = await importCsvFile(handle.db, tenant, "customers", path, { today: TODAY });
    expect(again).toMatchObject({ total: 3, inserted: 0, updated: 0, unchanged: 3, failed: 0 });

    const maria = await handle.db
      .selectFrom("customers")
      .selectAll()
      .where("tenant_id", "=", tenant.id)
      .where("external_id", "=", "C1")
      .executeTakeFirstOrThrow();
    expect(maria).toMatchObject({
      kind: "person",
      document: "52998224725",
      tags: ["varejo", "vip"],
      address_state: "SP",
    });
    const company = await handle.db
      .selectFrom("customers")
      .selectAll()
      .where("external_id", "=", "C2")
      .executeTakeFirstOrThrow();
    expect(company).toMatchObject({ kind: "company", time_zone: "America/Rio_Branco" });
    const contacts = await handle.db
      .selectFrom("contacts")
      .select(["channel", "value"])
      .where("customer_id", "=", maria.id)
      .orderBy("channel")
      .execute();
    expect(contacts).toEqual([
      { channel: "email", value: "maria@example.com" },
      { channel: "sms", value: "+5511987654321" },
      { channel: "whatsapp", value: "+5511987654321" },
    ]);
  });

  it("updates a changed customer and retires the replaced email instead of deleting it", async () => {
    const changed = CUSTOMERS.replace("maria@example.com", "maria.nova@example.com");
    const report = await importRows(handle.db, tenant, "customers", parseCsvText(changed).rows, {
      today: TODAY,
    });
    expect(report).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
    const emails = await handle.db
      .selectFrom("contacts")
      .innerJoin("customers", "customers.id", "contacts.customer_id")
      .select(["contacts.value", "contacts.unusable_reason"])
      .where("customers.external_id", "=", "C1")
      .where("contacts.channel", "=", "email")
      .orderBy("contacts.value")
      .execute();
    expect(emails).toEqual([
      { value: "maria.nova@example.com", unusable_reason: null },
      { value: "maria@example.com", unusable_reason: expect.stringMatching(/substituído/) },
    ]);
  });

  it("reports each bad row with its column and writes the good ones", async () => {
    const path = csvFile(
      "bad-customers.csv",
      [
        "external_id,name,document,email,mobile,state",
        "B1,Boa Pessoa,390.533.447-05,,,",
        "B2,CPF Errado,529.982.247-26,,,",
        "B3,Sem Nome Errado,52998224725,nao-e-email,,",
        "B4,Fone fixo,52998224725,,(11) 3333-4444,",
        "B5,UF ruim,52998224725,,,XX",
        "B6,Dup,52998224725,,,",
        "B6,Dup,52998224725,,,",
        "B7,Campos demais,52998224725,,,,extra",
      ].join("\n"),
    );
    const report = await importCsvFile(handle.db, tenant, "customers", path, { today: TODAY });
    expect(report).toMatchObject({ total: 8, inserted: 1, failed: 7 });
    const byRow = Object.fromEntries(report.errors.map((error) => [error.row, error]));
    expect(byRow[2]).toMatchObject({ column: "document", message: expect.stringMatching(/CPF/) });
    expect(byRow[3]).toMatchObject({ column: "email", message: expect.stringMatching(/e-mail inválido/) });
    expect(byRow[4]).toMatchObject({ column: "mobile", message: expect.stringMatching(/celular inválido/) });
    expect(byRow[5]).toMatchObject({ column: "state", message: expect.stringMatching(/UF/) });
    expect(byRow[6]).toMatchObject({
      column: "external_id",
      message: expect.stringMatching(/repetido.*linhas 7, 8/),
    });
    expect(byRow[7]).toMatchObject({ column: "external_id" });
    expect(byRow[8]).toMatchObject({
      column: null,
      message: expect.stringMatching(/7 campos e o cabeçalho 6/),
    });
    const written = await handle.db
      .selectFrom("customers")
      .select("external_id")
      .where("tenant_id", "=", tenant.id)
      .where("external_id", "like", "B%")
      .execute();
    expect(written).toEqual([{ external_id: "B1" }]);
  });

  it("refuses a file without a required column before touching anything", async () => {
    const error = await importRows(handle.db, tenant, "customers", [{ external_id: "Z", name: "Z" }], {
      today: TODAY,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/document/);
  });
});

describe("invoices import", () => {
  const header =
    "external_id,customer_external_id,description,amount,issue_date,due_date,fine_percent,interest_percent,consumer,typeable_line,status";

  it("writes valid rows, generates boletos, and reports every bad-row kind", async () => {
    const foreign = buildBankBoleto({
      bankCode: "001",
      dueDate: "2026-03-10",
      amountCents: 5000,
      freeField: "0".repeat(25),
    });
    const wrongDigit = `${foreign.typeableLine.slice(0, 46)}${(Number(foreign.typeableLine[46]) + 1) % 10}`;
    const rows = [
      header,
      'F1,C1,Mensalidade março,"1.234,56",01/03/2026,10/03/2026,2,1,sim,,',
      "F2,C2,Serviço,500.00,2026-03-01,2026-03-10,,,não,,",
      `F3,C1,Boleto do cliente,"50,00",01/03/2026,10/03/2026,,,,${foreign.typeableLine},`,
      "F4,NINGUEM,Cliente desconhecido,10,01/03/2026,10/03/2026,,,,,",
      "F5,C1,Negativo,-10,01/03/2026,10/03/2026,,,,,",
      "F6,C1,Data impossível,10,01/03/2026,31/02/2026,,,,,",
      `F7,C1,Dígito errado,"50,00",01/03/2026,10/03/2026,,,,${wrongDigit},`,
      "F8,C1,Vence antes de emitir,10,10/03/2026,01/03/2026,,,,,",
      "F9,C1,Status,10,01/03/2026,10/03/2026,,,,,paga",
      "F10,C1,Dup,10,01/03/2026,10/03/2026,,,,,",
      "F10,C1,Dup,10,01/03/2026,10/03/2026,,,,,",
      `F11,C1,Boleto de outro valor,10,01/03/2026,10/03/2026,,,,${foreign.typeableLine},`,
    ];
    const report = await importRows(handle.db, tenant, "invoices", parseCsvText(rows.join("\n")).rows, {
      today: TODAY,
    });
    expect(report).toMatchObject({ total: 12, inserted: 3, updated: 0, unchanged: 0, failed: 9 });
    const byRow = Object.fromEntries(report.errors.map((error) => [error.row, error]));
    expect(byRow[4]).toMatchObject({
      column: "customer_external_id",
      message: expect.stringMatching(/NINGUEM.*não encontrado/),
    });
    expect(byRow[5]).toMatchObject({ column: "amount", message: expect.stringMatching(/negativ/) });
    expect(byRow[6]).toMatchObject({
      column: "due_date",
      message: expect.stringMatching(/dia 31 não existe/),
    });
    expect(byRow[7]).toMatchObject({ column: "typeable_line" });
    expect(byRow[8]).toMatchObject({
      column: "due_date",
      message: expect.stringMatching(/anterior à emissão/),
    });
    expect(byRow[9]).toMatchObject({ column: "status" });
    expect(byRow[10]).toMatchObject({ column: "external_id", message: expect.stringMatching(/repetido/) });
    expect(byRow[12]).toMatchObject({
      column: "typeable_line",
      message: expect.stringMatching(/R\$\s50,00/),
    });

    const invoices = await handle.db
      .selectFrom("invoices")
      .select([
        "external_id",
        "amount_cents",
        "fine_bps",
        "interest_monthly_bps",
        "consumer",
        "typeable_line",
        "our_number",
        "pix_payload",
      ])
      .where("tenant_id", "=", tenant.id)
      .orderBy("external_id")
      .execute();
    expect(invoices.map((invoice) => invoice.external_id)).toEqual(["F1", "F2", "F3"]);
    expect(invoices[0]).toMatchObject({
      amount_cents: 123456,
      fine_bps: 200,
      interest_monthly_bps: 100,
      consumer: true,
    });
    expect(invoices[0]!.typeable_line).toMatch(/^341\d{44}$/);
    expect(invoices[1]).toMatchObject({ amount_cents: 50000, fine_bps: null, consumer: false });
    // The integrator's own boleto is kept as sent; no number is spent on it.
    expect(invoices[2]).toMatchObject({ typeable_line: foreign.typeableLine, our_number: null });
    expect(
      invoices.filter((invoice) => invoice.our_number !== null).map((invoice) => invoice.our_number),
    ).toEqual([1, 2]);
    expect(invoices.every((invoice) => invoice.pix_payload?.startsWith("000201"))).toBe(true);

    const again = await importRows(handle.db, tenant, "invoices", parseCsvText(rows.join("\n")).rows, {
      today: TODAY,
    });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, failed: 9 });
  });

  it("updates a changed amount with a new boleto under the same number, and refuses reopening a cancelled invoice", async () => {
    const before = await handle.db
      .selectFrom("invoices")
      .selectAll()
      .where("external_id", "=", "F2")
      .executeTakeFirstOrThrow();
    const changed = [header, "F2,C2,Serviço,600.00,2026-03-01,2026-03-10,,,não,,"].join("\n");
    const report = await importRows(handle.db, tenant, "invoices", parseCsvText(changed).rows, {
      today: TODAY,
    });
    expect(report).toMatchObject({ updated: 1 });
    const after = await handle.db
      .selectFrom("invoices")
      .selectAll()
      .where("external_id", "=", "F2")
      .executeTakeFirstOrThrow();
    expect(after.our_number).toBe(before.our_number);
    expect(after.typeable_line).not.toBe(before.typeable_line);
    expect(after.typeable_line).toContain("0000060000");

    const cancel = [header, "F2,C2,Serviço,600.00,2026-03-01,2026-03-10,,,não,,cancelled"].join("\n");
    expect(
      await importRows(handle.db, tenant, "invoices", parseCsvText(cancel).rows, { today: TODAY }),
    ).toMatchObject({
      updated: 1,
    });
    const reopen = await importRows(handle.db, tenant, "invoices", parseCsvText(changed).rows, {
      today: TODAY,
    });
    expect(reopen.errors).toEqual([
      { row: 1, column: "status", message: "fatura F2 está cancelada e não pode passar a em aberto" },
    ]);
  });

  it("a dry run reports the same counts and writes nothing", async () => {
    const rows = parseCsvText(
      [header, "D1,C1,Nova,10,01/03/2026,10/03/2026,,,,,", "D2,C1,Nova,x,01/03/2026,10/03/2026,,,,,"].join(
        "\n",
      ),
    ).rows;
    const report = await importRows(handle.db, tenant, "invoices", rows, { today: TODAY, dryRun: true });
    expect(report).toMatchObject({ dryRun: true, inserted: 1, failed: 1 });
    const found = await handle.db
      .selectFrom("invoices")
      .select("id")
      .where("external_id", "=", "D1")
      .execute();
    expect(found).toEqual([]);
    const tenantRow = await handle.db
      .selectFrom("tenants")
      .select("boleto_next_our_number")
      .where("id", "=", tenant.id)
      .executeTakeFirstOrThrow();
    expect(tenantRow.boleto_next_our_number).toBe(3);
  });
});

describe("payments import", () => {
  // the payments happened in March: the import runs after them (a payment cannot be in the future)
  const PAID_BY = "2026-03-31";
  it("records payments, keeps unknown ones unmatched, links them when the invoice arrives, and is idempotent", async () => {
    const file = [
      "external_id;invoice_external_id;amount;paid_at;method",
      "P1;F1;1.234,56;10/03/2026;pix",
      "P2;F99;10,00;2026-03-05T10:00:00-03:00;",
      "P3;F1;0,00;10/03/2026;",
      "P4;F1;5,00;2026-03-10T10:00:00;",
      "P5;F1;5,00;10/03/2026;cheque",
      "P6;F2;5,00;10/03/2026;Cartão",
    ].join("\n");
    const report = await importRows(handle.db, tenant, "payments", parseCsvText(file).rows, {
      today: PAID_BY,
    });
    expect(report).toMatchObject({ inserted: 3, unmatched: 1, failed: 3 });
    expect(report.errors.map((error) => [error.row, error.column])).toEqual([
      [3, "amount"],
      [4, "paid_at"],
      [5, "method"],
    ]);
    const f1 = await handle.db
      .selectFrom("invoices")
      .selectAll()
      .where("external_id", "=", "F1")
      .executeTakeFirstOrThrow();
    expect(f1).toMatchObject({ status: "paid", paid_cents: 123456 });

    expect(
      await importRows(handle.db, tenant, "payments", parseCsvText(file).rows, { today: PAID_BY }),
    ).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 3,
    });
    const card = await handle.db
      .selectFrom("payments")
      .select("method")
      .where("external_id", "=", "P6")
      .executeTakeFirstOrThrow();
    expect(card.method).toBe("card");
    // F2 was cancelled above: the money is recorded against it, but it stays cancelled.
    const f2 = await handle.db
      .selectFrom("invoices")
      .selectAll()
      .where("external_id", "=", "F2")
      .executeTakeFirstOrThrow();
    expect(f2).toMatchObject({ status: "cancelled", paid_cents: 500 });

    const conflicting = parseCsvText(
      "external_id,invoice_external_id,amount,paid_at\nP1,F1,1,10/03/2026",
    ).rows;
    const conflict = await importRows(handle.db, tenant, "payments", conflicting, { today: PAID_BY });
    expect(conflict.errors[0]).toMatchObject({
      column: "external_id",
      message: expect.stringMatching(/outros dados/),
    });

    const late = parseCsvText(
      'external_id,customer_external_id,amount,issue_date,due_date\nF99,C1,"10,00",01/03/2026,10/03/2026',
    ).rows;
    await importRows(handle.db, tenant, "invoices", late, { today: TODAY });
    const f99 = await handle.db
      .selectFrom("invoices")
      .selectAll()
      .where("external_id", "=", "F99")
      .executeTakeFirstOrThrow();
    expect(f99).toMatchObject({ status: "paid", paid_cents: 1000 });
    const p2 = await handle.db
      .selectFrom("payments")
      .selectAll()
      .where("external_id", "=", "P2")
      .executeTakeFirstOrThrow();
    expect(p2.invoice_id).toBe(f99.id);
  });
});
