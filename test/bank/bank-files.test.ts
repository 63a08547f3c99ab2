import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { parseBoleto } from "../../src/domain/boleto.ts";
import type { CnabLayout, LayoutKind } from "../../src/domain/cnab/layout.ts";
import { layoutFor, supportedLayouts } from "../../src/domain/cnab/layouts.ts";
import { readCnab } from "../../src/domain/cnab/reader.ts";
import { intentFromRemittance, returnTitle, type TitleMovement } from "../../src/domain/cnab/titles.ts";
import { writeCnabFile } from "../../src/domain/cnab/writer.ts";
import { proposeAgreement } from "../../src/modules/agreements/agreement.service.ts";
import { createBankAccount } from "../../src/modules/bank-accounts/bank-account.service.ts";
import type { BankAccount } from "../../src/modules/bank-accounts/bank-account.ts";
import { importReturnFile } from "../../src/modules/bank-files/bank-file.service.ts";
import { linesOfText } from "../../src/modules/bank-files/line-source.ts";
import { createRemittance } from "../../src/modules/bank-files/remittance.service.ts";
import { createContract } from "../../src/modules/contracts/contract.service.ts";
import { createCustomer } from "../../src/modules/customers/customer.service.ts";
import { addMembers, createGroup } from "../../src/modules/groups/group.service.ts";
import { createInvoice, getInvoice } from "../../src/modules/invoices/invoice.service.ts";
import { createTenant } from "../../src/modules/onboarding/onboarding.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { openTestDatabase } from "../support/test-database.ts";

/**
 * The bank rails end to end, per supported bank and layout: invoices issued on the account,
 * the day's remittance, a simulated bank that reads it and answers with a return file, and the
 * import of that return (payments settle, registrations mark the boleto, what does not match goes
 * to the reconciliation queue, the same file twice changes nothing).
 */

const clock = new FixedClock("2026-12-07T13:00:00Z");
const TODAY = "2026-12-07";
let handle: DatabaseHandle;
let counter = 0;

beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => {
  await handle.close();
});

const ACCOUNTS: Record<string, { wallet: string; agreementCode: string; station?: string; account: string }> =
  {
    "001": { wallet: "17", agreementCode: "1234567", account: "56789" },
    "033": { wallet: "101", agreementCode: "7654321", account: "13000123" },
    "104": { wallet: "1", agreementCode: "123456", account: "1" },
    "237": { wallet: "09", agreementCode: "", account: "12345" },
    "341": { wallet: "109", agreementCode: "", account: "12345" },
    "748": { wallet: "1", agreementCode: "12345", station: "02", account: "12345" },
    "756": { wallet: "1", agreementCode: "1234567", account: "12345" },
  };

async function creditorWith(
  kind: LayoutKind,
  bank: string,
): Promise<{ tenant: Tenant; account: BankAccount }> {
  counter += 1;
  const tenant = await createTenant(handle.db, {
    slug: `banco-${process.pid}-${counter}`,
    legalName: "Provedor Fibra Rápida Ltda",
    document: "11.222.333/0001-81",
    address: "Rua das Flores, 100, Centro, Campinas/SP, 13010-000",
  });
  const spec = ACCOUNTS[bank]!;
  const account = await createBankAccount(handle.db, tenant.id, {
    name: `Cobrança ${bank}`,
    bankCode: bank as BankAccount["bankCode"],
    layout: kind,
    agency: "1234",
    agencyDigit: "5",
    account: spec.account,
    accountDigit: "6",
    wallet: spec.wallet,
    agreementCode: spec.agreementCode,
    station: spec.station ?? "",
  });
  return { tenant, account };
}

async function debtorInvoices(tenant: Tenant, amounts: number[]) {
  const customer = await createCustomer(
    handle.db,
    tenant,
    {
      externalId: "cli-1",
      name: "Ana Souza",
      document: "529.982.247-25",
      address: {
        street: "Rua Um",
        number: "10",
        district: "Centro",
        city: "Campinas",
        state: "SP",
        postalCode: "13010000",
      },
    },
    clock,
  );
  const invoices = [];
  for (const [index, amountCents] of amounts.entries()) {
    invoices.push(
      await createInvoice(
        handle.db,
        tenant,
        {
          externalId: `F-${index + 1}`,
          customerId: customer.id,
          amountCents,
          issueDate: TODAY,
          dueDate: "2026-12-20",
        },
        { today: TODAY },
      ),
    );
  }
  return { customer, invoices };
}

async function readAll(text: string) {
  const items = [];
  for await (const item of readCnab(text.split("\n"))) items.push(item);
  return items;
}

/** The bank: reads a remittance and answers with the return file for the movements it is told. */
async function simulatedBank(
  layout: CnabLayout,
  remittance: string,
  answer: (registered: {
    ourNumber: string;
    amountCents: number;
    documentNumber: string;
  }) => Omit<TitleMovement, "wallet" | "documentNumber" | "dueDate" | "ourNumber">[],
  extra: TitleMovement[] = [],
): Promise<string> {
  const titles = [];
  for (const item of await readAll(remittance)) {
    if (item.type === "problem")
      throw new Error(`o banco recusou a remessa: linha ${item.line}: ${item.message}`);
    if (item.type !== "remittance" || item.instruction !== "register") continue;
    const intent = intentFromRemittance(layout, item.instruction, item.values);
    const ourNumber = intent.ourNumber.replace("?", "");
    for (const movement of answer({
      ourNumber,
      amountCents: intent.amountCents,
      documentNumber: intent.documentNumber,
    })) {
      titles.push(
        returnTitle(layout, {
          ...movement,
          ourNumber,
          documentNumber: intent.documentNumber,
          dueDate: intent.dueDate,
          wallet: "109",
        }),
      );
    }
  }
  for (const movement of extra) titles.push(returnTitle(layout, movement));
  const lines = writeCnabFile(
    layout,
    "return",
    {
      companyDocument: "11222333000181",
      companyName: "PROVEDOR FIBRA RAPIDA LTDA",
      agreement: "",
      agency: "1234",
      agencyDigit: "5",
      account: "12345",
      accountDigit: "6",
      bankName: "BANCO",
      fileSequence: 1,
      generatedOn: "2026-12-21",
    },
    titles,
  );
  return `${[...lines].join("\r\n")}\r\n`;
}

/** The customers marked for the daily run's standing and for the recovery rollup's refresh. */
async function staleMarksOf(tenant: Tenant) {
  const customersIn = async (table: "standing_stale_customers" | "recovery_stale") =>
    (
      await sql<{ customer_id: string }>`
        select customer_id from ${sql.table(table)} where tenant_id = ${tenant.id} order by customer_id`.execute(
        handle.db,
      )
    ).rows.map((row) => row.customer_id);
  return {
    standing: await customersIn("standing_stale_customers"),
    recovery: await customersIn("recovery_stale"),
  };
}

describe.each(supportedLayouts().map((layout) => [`${layout.kind} ${layout.bank}`, layout] as const))(
  "%s round trip: invoices → remittance → bank → return → import",
  (_name, layout) => {
    it("registers, settles, queues what does not match, and takes the same file twice as nothing", async () => {
      const { tenant, account } = await creditorWith(layout.kind, layout.bank);
      const { customer, invoices } = await debtorInvoices(tenant, [10_000, 20_000, 30_000]);
      // each invoice's boleto is built by its bank's rules and reads back
      for (const invoice of invoices) {
        expect(parseBoleto(invoice.typeableLine!, TODAY)).toMatchObject({
          bankCode: layout.bank,
          amountCents: invoice.amountCents,
        });
      }
      const remittance = await createRemittance(handle.db, tenant, account.id, clock);
      expect(remittance).toMatchObject({
        fileSequence: 1,
        counts: { register: 3, write_off: 0, change_due_date: 0, protest: 0 },
      });

      // the remittance says exactly what was intended
      const sent = (await readAll(remittance.content)).flatMap((item) =>
        item.type === "remittance" ? [intentFromRemittance(layout, item.instruction, item.values)] : [],
      );
      const boletos = await handle.db
        .selectFrom("invoices")
        .select(["external_id", "bank_our_number", "amount_cents"])
        .where("tenant_id", "=", tenant.id)
        .orderBy("external_id")
        .execute();
      expect(sent).toHaveLength(3);
      // Bradesco 400 has no payer city or state (335–394 is the guarantor or a second message)
      const carriesCity = layout.remittanceDetail.some((spec) =>
        spec.fields.some((field) => field.name === "payerCity"),
      );
      for (const intent of sent) {
        const boleto = boletos.find((candidate) => candidate.external_id === intent.documentNumber)!;
        const expectedNumber = boleto.bank_our_number!.replace(/^0+/, "");
        expect(intent.ourNumber.replace("?", "")).toBe(
          layout.remittanceDetail[0]!.fields.find((field) => field.name === "ourNumber")!.withoutCheckDigit
            ? expectedNumber.slice(0, -1)
            : expectedNumber,
        );
        expect(intent).toMatchObject({
          instruction: "register",
          amountCents: boleto.amount_cents,
          dueDate: "2026-12-20",
          issuedOn: TODAY,
          interestPerDayCents: Math.round((boleto.amount_cents * 100) / 10_000 / 30),
          protestDays: null,
          payer: {
            document: "52998224725",
            name: "ANA SOUZA",
            city: carriesCity ? "CAMPINAS" : "",
            state: carriesCity ? "SP" : "",
            postalCode: "13010000",
          },
        });
      }

      // the bank registers all three; F-1 is paid in full with interest, F-2 with less than its face value;
      // someone pays a boleto Régua never issued
      const answer = await simulatedBank(
        layout,
        remittance.content,
        ({ amountCents, documentNumber }) => {
          const registered = { event: "registered" as const, amountCents, occurredOn: "2026-12-08" };
          if (documentNumber === "F-1")
            return [
              registered,
              {
                event: "paid",
                amountCents,
                paidCents: amountCents + 120,
                interestCents: 120,
                occurredOn: "2026-12-21",
                creditedOn: "2026-12-22",
                feeCents: 250,
              },
            ];
          if (documentNumber === "F-2")
            return [
              registered,
              {
                event: "paid",
                amountCents,
                paidCents: amountCents - 5_000,
                occurredOn: "2026-12-21",
                creditedOn: "2026-12-22",
              },
            ];
          return [registered];
        },
        [
          {
            event: "paid",
            ourNumber: "99999",
            documentNumber: "X",
            dueDate: "2026-12-20",
            amountCents: 4_200,
            paidCents: 4_200,
            occurredOn: "2026-12-21",
            wallet: "109",
          },
        ],
      );
      const needsDigitRecompute = layout.remittanceDetail[0]!.fields.find(
        (field) => field.name === "ourNumber",
      )!.withoutCheckDigit;
      const returnText = needsDigitRecompute
        ? withItauDigits(
            answer,
            boletos.map((boleto) => boleto.bank_our_number!),
          )
        : answer;

      expect(await staleMarksOf(tenant)).toEqual({ standing: [], recovery: [] });
      const report = await importReturnFile(handle.db, tenant, linesOfText(returnText), { clock });
      expect(report.problems).toEqual([]);
      // the paid invoice's customer is decided again by the next daily run and its recovery
      // figures computed again (the settlement's and the payments' marks)
      expect(await staleMarksOf(tenant)).toEqual({ standing: [customer.id], recovery: [customer.id] });
      expect(report).toMatchObject({
        alreadyImported: false,
        records: 6,
        paid: { count: 1, cents: 10_120 },
        queued: { count: 2, cents: 15_000 + 4_200 },
      });
      expect(report.events.registered).toEqual({ applied: 3, duplicate: 0, queued: 0, noted: 0 });

      const [first, second, third] = await Promise.all(
        invoices.map((invoice) => getInvoice(handle.db, tenant.id, invoice.id)),
      );
      expect(first).toMatchObject({ status: "paid", paidCents: 10_120 });
      expect(second).toMatchObject({ status: "open", paidCents: 0 });
      expect(third).toMatchObject({ status: "open" });
      const statuses = await handle.db
        .selectFrom("invoices")
        .select(["external_id", "boleto_status"])
        .where("tenant_id", "=", tenant.id)
        .orderBy("external_id")
        .execute();
      expect(statuses.map((row) => row.boleto_status)).toEqual(["registered", "registered", "registered"]);
      const queue = await handle.db
        .selectFrom("reconciliation_items")
        .select(["reason", "paid_cents", "invoice_id"])
        .where("tenant_id", "=", tenant.id)
        .orderBy("paid_cents")
        .execute();
      expect(queue).toEqual([
        { reason: "unknown_boleto", paid_cents: 4_200, invoice_id: null },
        { reason: "amount_mismatch", paid_cents: 15_000, invoice_id: second!.id },
      ]);

      // the same file again: nothing changes
      const again = await importReturnFile(handle.db, tenant, linesOfText(returnText), { clock });
      expect(again).toMatchObject({ alreadyImported: true, fileId: report.fileId });
      // one payment, recorded as the bank file's (not as if an integrator had posted it)
      const payments = await handle.db
        .selectFrom("payments")
        .select("source")
        .where("tenant_id", "=", tenant.id)
        .execute();
      expect(payments).toEqual([{ source: "bank_file" }]);
      const queued = await handle.db
        .selectFrom("reconciliation_items")
        .select("id")
        .where("tenant_id", "=", tenant.id)
        .execute();
      expect(queued).toHaveLength(2);

      // the next remittance has nothing to register again
      const next = await createRemittance(handle.db, tenant, account.id, clock);
      expect(next).toMatchObject({ fileId: null, fileSequence: null });
    });
  },
);

describe.each(supportedLayouts().map((layout) => [`${layout.kind} ${layout.bank}`, layout] as const))(
  "%s registration with the contract's early-payment discount and fine",
  (_name, layout) => {
    it("sends the discount until its day and the fine; the bank's discounted payment settles the invoice", async () => {
      const { tenant, account } = await creditorWith(layout.kind, layout.bank);
      const { customer, invoices } = await debtorInvoices(tenant, []);
      // 5% off up to 5 days before the due date; a 2% fine
      const contract = await createContract(handle.db, tenant.id, {
        externalId: "ct-1",
        customerId: customer.id,
        plan: "Fibra 500",
        fineBps: 200,
        earlyDiscountBps: 500,
        earlyDiscountDays: 5,
      });
      expect(invoices).toEqual([]);
      const invoice = await createInvoice(
        handle.db,
        tenant,
        {
          externalId: "F-D",
          customerId: customer.id,
          contractId: contract.id,
          amountCents: 20_000,
          issueDate: TODAY,
          dueDate: "2026-12-20",
        },
        { today: TODAY },
      );
      const remittance = await createRemittance(handle.db, tenant, account.id, clock);
      const items = await readAll(remittance.content);
      expect(items.filter((item) => item.type === "problem")).toEqual([]);
      const sent = items.flatMap((item) =>
        item.type === "remittance" ? [intentFromRemittance(layout, item.instruction, item.values)] : [],
      );
      expect(sent).toEqual([
        expect.objectContaining({
          instruction: "register",
          amountCents: 20_000,
          discountCents: 1_000,
          discountUntil: "2026-12-15",
          fineBps: 200,
        }),
      ]);

      // the bank: paid on the 14th with the discount
      const answer = await simulatedBank(layout, remittance.content, ({ amountCents }) => [
        {
          event: "paid",
          amountCents,
          paidCents: amountCents - 1_000,
          discountCents: 1_000,
          occurredOn: "2026-12-14",
          creditedOn: "2026-12-15",
        },
      ]);
      const { bank_our_number } = await handle.db
        .selectFrom("invoices")
        .select("bank_our_number")
        .where("tenant_id", "=", tenant.id)
        .where("id", "=", invoice.id)
        .executeTakeFirstOrThrow();
      const returnText = layout.remittanceDetail[0]!.fields.find((field) => field.name === "ourNumber")!
        .withoutCheckDigit
        ? withItauDigits(answer, [bank_our_number!])
        : answer;
      const report = await importReturnFile(handle.db, tenant, linesOfText(returnText), { clock });
      expect(report.problems).toEqual([]);
      expect(report).toMatchObject({ paid: { count: 1, cents: 19_000 }, queued: { count: 0 } });
      expect(await getInvoice(handle.db, tenant.id, invoice.id)).toMatchObject({
        status: "paid",
        paidCents: 19_000,
      });
    });
  },
);

/**
 * Itaú's CNAB 400 remittance carries the our number without its DAC (the bank computes it); the
 * simulated bank answers with the full number, as Itaú's return does.
 */
function withItauDigits(text: string, fullNumbers: string[]): string {
  const byBase = new Map(fullNumbers.map((full) => [full.slice(0, -1).replace(/^0+/, ""), full]));
  return text
    .split("\r\n")
    .map((line) => {
      if (line[0] !== "1") return line;
      const base = line.slice(85, 94).replace(/^0+/, "");
      const full = byBase.get(base);
      return full ? `${line.slice(0, 85)}${full.padStart(9, "0")}${line.slice(94)}` : line;
    })
    .join("\r\n");
}

describe("layout lookup", () => {
  it("has every bank in CNAB 240 and Itaú, Bradesco and Santander in CNAB 400", () => {
    expect(layoutFor("cnab240", "748")?.bank).toBe("748");
    expect(layoutFor("cnab400", "001")).toBeNull();
  });
});

describe("protest instructions", () => {
  it("go only for titles open-debt holds overdue and owed: not an original an agreement replaces, not one payable today", async () => {
    const layout = supportedLayouts().find((candidate) => candidate.kind === "cnab240")!;
    const { tenant, account } = await creditorWith(layout.kind, layout.bank);
    const customer = await createCustomer(
      handle.db,
      tenant,
      { externalId: "cli-protesto", name: "Paulo Protesto", document: "529.982.247-25" },
      clock,
    );
    const issue = async (externalId: string, dueDate: string) =>
      createInvoice(
        handle.db,
        tenant,
        { externalId, customerId: customer.id, amountCents: 50_000, issueDate: "2026-10-01", dueDate },
        { today: TODAY },
      );
    const late = await issue("P-ATRASADA", "2026-11-02");
    const renegotiated = await issue("P-ACORDO", "2026-11-03");
    // due Saturday 05/12: payable on Monday 07/12 (today) without charges, Lei 7.089/1983
    const weekend = await issue("P-SABADO", "2026-12-05");
    expect(await createRemittance(handle.db, tenant, account.id, clock)).toMatchObject({
      counts: { register: 3, protest: 0 },
    });
    // the bank confirmed the three registrations
    await handle.db
      .updateTable("invoices")
      .set({ boleto_status: "registered" })
      .where("tenant_id", "=", tenant.id)
      .where("id", "in", [late.id, renegotiated.id, weekend.id])
      .execute();
    const group = await createGroup(handle.db, tenant.id, { name: "Protesto", purpose: "protest" });
    await addMembers(handle.db, tenant, group.id, [customer.id], { kind: "system", id: null }, clock);
    await proposeAgreement(
      handle.db,
      tenant,
      {
        customerId: customer.id,
        terms: { invoiceIds: [renegotiated.id], installments: 2 },
        actor: { kind: "operator", id: "00000000-0000-4000-8000-00000000a001", role: "admin" },
      },
      clock,
    );
    const remittance = await createRemittance(handle.db, tenant, account.id, clock);
    expect(remittance.counts.protest).toBe(1);
    const protested = await handle.db
      .selectFrom("invoices")
      .select("external_id")
      .where("tenant_id", "=", tenant.id)
      .where("boleto_protest_sent", "=", true)
      .execute();
    expect(protested.map((row) => row.external_id)).toEqual(["P-ATRASADA"]);
  });
});

describe("our numbers of one account", () => {
  it("are one boleto per number read without its leading zeros, as a return file names it", async () => {
    const layout = supportedLayouts().find((candidate) => candidate.kind === "cnab240")!;
    const { tenant } = await creditorWith(layout.kind, layout.bank);
    const { invoices } = await debtorInvoices(tenant, [10_000, 20_000]);
    const ours = async () =>
      (
        await sql<{ external_id: string; bank_our_number: string }>`
          select external_id, bank_our_number from invoices where tenant_id = ${tenant.id} order by external_id`.execute(
          handle.db,
        )
      ).rows;
    const [first] = await ours();
    expect(first?.bank_our_number).toMatch(/\d/);
    // the second boleto given the first's number with one more leading zero: a return's record
    // "000123" could not tell the two apart, so the account refuses it
    await expect(
      sql`update invoices set bank_our_number = ${`0${first!.bank_our_number}`}
        where tenant_id = ${tenant.id} and id = ${invoices[1]!.id}`.execute(handle.db),
    ).rejects.toThrow(/invoices_bank_our_number/);
    expect((await ours()).map((row) => row.bank_our_number)).not.toContain(`0${first!.bank_our_number}`);
  });
});
