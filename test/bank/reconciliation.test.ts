import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cnab240Layout } from "../../src/domain/cnab/cnab240.ts";
import { readCnab } from "../../src/domain/cnab/reader.ts";
import { intentFromRemittance, returnTitle, type TitleMovement } from "../../src/domain/cnab/titles.ts";
import { writeCnabFile } from "../../src/domain/cnab/writer.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { apiTenant } from "../support/api-fixtures.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";

/**
 * The régua of a bank account over HTTP: an account registered by an admin, invoices issued on it,
 * the day's remittance, the bank's answer uploaded to /v1/bank-files, and an operator working the
 * reconciliation queue (match, split, refund), every decision in the audit log. Then the next day's
 * remittance writes off the boleto of an invoice paid by Pix, changes a due date and protests an
 * overdue boleto of a customer in a protest group.
 */
const clock = new FixedClock("2026-12-07T13:00:00Z");
const layout = cnab240Layout("341");
let test: ApiTest<Awaited<ReturnType<typeof apiTenant>>>;
let admin: { cookie: string; csrf: string; operatorId: string };

beforeAll(async () => {
  test = await startApiTest(clock, apiTenant);
  admin = await test.operator("admin");
});
afterAll(async () => {
  await test.close();
});

async function remittanceIntents(content: string) {
  const intents = [];
  for await (const item of readCnab(content.split("\n")))
    if (item.type === "remittance") intents.push(intentFromRemittance(layout, item.instruction, item.values));
  return intents;
}

function returnFile(movements: TitleMovement[]): string {
  const lines = writeCnabFile(
    layout,
    "return",
    {
      companyDocument: "11222333000181",
      companyName: "PROVEDOR",
      agreement: "",
      agency: "1234",
      agencyDigit: "",
      account: "12345",
      accountDigit: "6",
      bankName: "ITAU",
      fileSequence: 3,
      generatedOn: "2026-12-22",
    },
    movements.map((movement) => returnTitle(layout, movement)),
  );
  return `${[...lines].join("\r\n")}\r\n`;
}

describe("bank account, return upload and the reconciliation queue over HTTP", () => {
  it("works the queue: suggestions, match, split, refund — each decision audited", async () => {
    const { call, key } = test;
    const refused = await call(key, "POST", "/v1/bank-accounts", { body: { name: "Itaú", bankCode: "999" } });
    expect(refused.status).toBe(403); // accounts are an admin's settings
    const bad = await call(admin, "POST", "/v1/bank-accounts", {
      body: { name: "Itaú", bankCode: "999", agency: "1234", account: "12345", wallet: "109" },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/banco deve ser um dos suportados/);
    const created = await call(admin, "POST", "/v1/bank-accounts", {
      body: {
        name: "Itaú cobrança",
        bankCode: "341",
        agency: "1234",
        account: "12345",
        accountDigit: "6",
        wallet: "109",
      },
    });
    expect(created.status).toBe(201);
    const account = created.body as { id: string; isDefault: boolean };
    expect(account.isDefault).toBe(true);

    const customer = (
      await call(key, "POST", "/v1/customers", {
        body: {
          externalId: "c1",
          name: "Ana Souza",
          document: "529.982.247-25",
          address: { city: "Campinas", state: "SP" },
        },
      })
    ).body as { id: string };
    const invoices: { id: string; amountCents: number }[] = [];
    for (const [index, amountCents] of [10_000, 20_000, 5_000].entries()) {
      const response = await call(key, "POST", "/v1/invoices", {
        body: {
          externalId: `F-${index + 1}`,
          customerId: customer.id,
          amountCents,
          issueDate: "2026-12-07",
          dueDate: "2026-12-20",
        },
      });
      expect(response.status).toBe(201);
      invoices.push(response.body as { id: string; amountCents: number });
    }
    const remittance = await call(key, "POST", `/v1/bank-accounts/${account.id}/remittances`);
    expect(remittance.status).toBe(201);
    const sent = remittance.body as { fileId: string; content: string; counts: { register: number } };
    expect(sent.counts.register).toBe(3);
    const download = await call(key, "GET", `/v1/bank-files/${sent.fileId}/content`);
    expect(download.text).toBe(sent.content);
    const intents = await remittanceIntents(sent.content);
    const ourNumberOf = (externalId: string) =>
      intents.find((intent) => intent.documentNumber === externalId)!.ourNumber;

    // the bank: F-1 registered; F-2 rejected; a payment of R$ 50,00 with F-3's number but another
    // check digit; R$ 300,00 for a boleto nobody knows, paid by Ana
    const f3 = ourNumberOf("F-3");
    const wrongDigit = `${f3.slice(0, -1)}${(Number(f3.at(-1)) + 1) % 10}`;
    const file = returnFile([
      {
        event: "registered",
        ourNumber: ourNumberOf("F-1"),
        documentNumber: "F-1",
        dueDate: "2026-12-20",
        amountCents: 10_000,
        occurredOn: "2026-12-08",
        wallet: "109",
      },
      {
        event: "rejected",
        ourNumber: ourNumberOf("F-2"),
        documentNumber: "F-2",
        dueDate: "2026-12-20",
        amountCents: 20_000,
        occurredOn: "2026-12-08",
        reasons: "48",
        wallet: "109",
      },
      {
        event: "paid",
        ourNumber: wrongDigit,
        documentNumber: "F-3",
        dueDate: "2026-12-20",
        amountCents: 5_000,
        paidCents: 5_000,
        occurredOn: "2026-12-19",
        wallet: "109",
      },
      {
        event: "paid",
        ourNumber: "77777777",
        documentNumber: "?",
        dueDate: "2026-12-20",
        amountCents: 30_000,
        paidCents: 30_000,
        occurredOn: "2026-12-19",
        payerDocument: "52998224725",
        wallet: "109",
      },
      {
        event: "paid",
        ourNumber: "77777778",
        documentNumber: "?",
        dueDate: "2026-12-20",
        amountCents: 1_000,
        paidCents: 1_000,
        occurredOn: "2026-12-19",
        wallet: "109",
      },
    ]);
    const dry = await call(key, "POST", "/v1/bank-files?dryRun=true", {
      raw: file,
      contentType: "text/plain",
    });
    expect(dry.body).toMatchObject({ dryRun: true, fileId: null, queued: { count: 3 } });
    expect(((await call(key, "GET", "/v1/reconciliation")).body as { data: unknown[] }).data).toEqual([]);

    const imported = await call(key, "POST", "/v1/bank-files", { raw: file, contentType: "text/plain" });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({
      alreadyImported: false,
      records: 5,
      paid: { count: 0 },
      queued: { count: 3, cents: 36_000 },
    });
    const boleto2 = (await call(key, "GET", `/v1/invoices/${invoices[1]!.id}/boleto`)).body;
    expect(boleto2).toMatchObject({ status: "rejected", reason: "48" });
    expect((await call(key, "GET", `/v1/invoices/${invoices[0]!.id}/boleto`)).body).toMatchObject({
      status: "registered",
    });

    const queue = (await call(admin, "GET", "/v1/reconciliation")).body as {
      data: {
        id: string;
        reason: string;
        paidCents: number;
        suggestions: { invoiceId: string; why: string }[];
      }[];
    };
    expect(queue.data.map((item) => [item.reason, item.paidCents])).toEqual([
      ["unknown_boleto", 5_000],
      ["unknown_boleto", 30_000],
      ["unknown_boleto", 1_000],
    ]);
    const [digit, byPayer, stray] = queue.data;
    expect(digit!.suggestions).toEqual([
      expect.objectContaining({ invoiceId: invoices[2]!.id, why: "our_number_other_check_digit" }),
    ]);
    expect(byPayer!.suggestions).toEqual([]);
    expect(stray!.suggestions).toEqual([]);

    // match: F-3 is paid; the same decision again is refused and changes nothing
    const matched = await call(admin, "POST", `/v1/reconciliation/${digit!.id}/match`, {
      body: { invoiceId: invoices[2]!.id },
    });
    expect(matched.status).toBe(200);
    expect(matched.body).toMatchObject({
      status: "matched",
      allocations: [{ invoiceId: invoices[2]!.id, amountCents: 5_000 }],
    });
    expect((await call(key, "GET", `/v1/invoices/${invoices[2]!.id}`)).body).toMatchObject({
      status: "paid",
    });
    expect(
      (
        await call(admin, "POST", `/v1/reconciliation/${digit!.id}/match`, {
          body: { invoiceId: invoices[2]!.id },
        })
      ).status,
    ).toBe(409);

    // split: parts that do not add up are refused; R$ 300,00 over F-1 (R$ 100) and F-2 (R$ 200)
    const uneven = await call(admin, "POST", `/v1/reconciliation/${byPayer!.id}/split`, {
      body: {
        allocations: [
          { invoiceId: invoices[0]!.id, amountCents: 10_000 },
          { invoiceId: invoices[1]!.id, amountCents: 10_000 },
        ],
      },
    });
    expect(uneven.status).toBe(400);
    expect(JSON.stringify(uneven.body)).toMatch(
      /as partes somam R\$\s?200,00, mas o pagamento foi de R\$\s?300,00/,
    );
    const split = await call(admin, "POST", `/v1/reconciliation/${byPayer!.id}/split`, {
      body: {
        allocations: [
          { invoiceId: invoices[0]!.id, amountCents: 10_000 },
          { invoiceId: invoices[1]!.id, amountCents: 20_000 },
        ],
      },
    });
    expect(split.status).toBe(200);
    for (const invoice of invoices.slice(0, 2))
      expect((await call(key, "GET", `/v1/invoices/${invoice.id}`)).body).toMatchObject({ status: "paid" });

    // refund: nothing is paid
    const refund = await call(admin, "POST", `/v1/reconciliation/${stray!.id}/refund`, {
      body: { note: "devolver por TED" },
    });
    expect(refund.body).toMatchObject({ status: "refund", allocations: [] });
    expect(((await call(admin, "GET", "/v1/reconciliation")).body as { data: unknown[] }).data).toEqual([]);

    const audit = await test.handle.db
      .selectFrom("audit_log")
      .select(["action", "actor_id", "resource_id"])
      .where("tenant_id", "=", test.tenant.id)
      .where("action", "like", "reconciliation.%")
      .orderBy("id")
      .execute();
    expect(audit).toEqual([
      { action: "reconciliation.matched", actor_id: admin.operatorId, resource_id: digit!.id },
      { action: "reconciliation.split", actor_id: admin.operatorId, resource_id: byPayer!.id },
      { action: "reconciliation.refund", actor_id: admin.operatorId, resource_id: stray!.id },
    ]);

    // the same file again changes nothing
    const again = await call(key, "POST", "/v1/bank-files", { raw: file, contentType: "text/plain" });
    expect(again.body).toMatchObject({ alreadyImported: true });
    expect(
      ((await call(admin, "GET", "/v1/reconciliation?status=all")).body as { data: unknown[] }).data,
    ).toHaveLength(3);
  });

  it("the next remittance writes off a boleto paid by Pix, changes a due date and protests where a protest group allows", async () => {
    const { call, key } = test;
    const account = ((await call(key, "GET", "/v1/bank-accounts")).body as { data: { id: string }[] })
      .data[0]!;
    const customer = (
      await call(key, "POST", "/v1/customers", {
        body: { externalId: "c2", name: "Bruno Lima", document: "111.444.777-35" },
      })
    ).body as { id: string };
    const made = [];
    for (const externalId of ["G-1", "G-2", "G-3"]) {
      made.push(
        (
          await call(key, "POST", "/v1/invoices", {
            body: {
              externalId,
              customerId: customer.id,
              amountCents: 8_000,
              issueDate: "2026-12-01",
              dueDate: "2026-12-05",
            },
          })
        ).body as { id: string },
      );
    }
    const first = (await call(key, "POST", `/v1/bank-accounts/${account.id}/remittances`)).body as {
      content: string;
      counts: object;
    };
    // F-1 and F-3, paid through the queue, still have boletos open at the bank: written off now
    // (F-2's boleto was rejected: the bank never had it)
    expect(first.counts).toEqual({ register: 3, write_off: 2, change_due_date: 0, protest: 0 });
    const intents = await remittanceIntents(first.content);
    const registered = returnFile(
      intents
        .filter((intent) => intent.instruction === "register")
        .map((intent) => ({
          event: "registered",
          ourNumber: intent.ourNumber,
          documentNumber: intent.documentNumber,
          dueDate: intent.dueDate,
          amountCents: intent.amountCents,
          occurredOn: "2026-12-02",
          wallet: "109",
        })),
    );
    await call(key, "POST", "/v1/bank-files", { raw: registered, contentType: "text/plain" });

    // G-1 paid by Pix; G-2's due date moved; Bruno enters a protest group (G-3 overdue)
    await call(key, "POST", "/v1/payments", {
      body: {
        externalId: "pix-1",
        invoiceId: made[0]!.id,
        amountCents: 8_000,
        method: "pix",
        paidAt: "2026-12-04T12:00:00-03:00",
      },
    });
    await test.handle.db
      .updateTable("invoices")
      .set({ due_date: "2026-12-28" })
      .where("id", "=", made[1]!.id)
      .execute();
    const group = (
      await call(admin, "POST", "/v1/groups", { body: { name: "Protesto", purpose: "protest" } })
    ).body as { id: string };
    expect(
      (await call(admin, "POST", `/v1/groups/${group.id}/members`, { body: { customerIds: [customer.id] } }))
        .status,
    ).toBeLessThan(300);

    // the next day's remittance: G-3, due Saturday the 5th, was payable until Monday the 7th
    // (Lei 7.089/1983) and is overdue only from Tuesday
    clock.set("2026-12-08T13:00:00Z");
    const next = (await call(key, "POST", `/v1/bank-accounts/${account.id}/remittances`)).body as {
      content: string;
      counts: object;
    };
    // G-2 is not overdue any more (due on the 28th): only G-3 is protested
    expect(next.counts).toEqual({ register: 0, write_off: 1, change_due_date: 1, protest: 1 });
    const asked = await remittanceIntents(next.content);
    expect(
      asked.map((intent) => [intent.instruction, intent.documentNumber, intent.dueDate, intent.protestDays]),
    ).toEqual([
      ["write_off", "G-1", "2026-12-05", null],
      ["change_due_date", "G-2", "2026-12-28", null],
      ["protest", "G-3", "2026-12-05", 5],
    ]);
  });
});
