import ExcelJS from "exceljs";
import { sql } from "kysely";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/shared/clock.ts";
import { apiTenant, cpf } from "../support/api-fixtures.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";
import { parseCsv } from "../support/csv.ts";

/**
 * A small portfolio whose figures are worked out by hand (tenant in America/Sao_Paulo, today
 * 2026-11-23, fine 2%, interest 1% a month pro rata):
 *   A1 R$ 100,00 due 10/09, paid on the day
 *   A2 R$ 200,00 due 05/10, paid 20/10: 2% fine R$ 4,00 + 15 days of interest R$ 1,00 = R$ 205,00
 *   B1 R$ 300,00 due 15/10, open: today 39 days late, fine R$ 6,00 + interest R$ 3,90
 *   B2 R$ 50,00 due 18/11, R$ 20,00 paid 17/11 (before the due date): R$ 30,00 left, 5 days late,
 *      fine R$ 0,60 + interest R$ 0,05
 *   C1 R$ 80,00 due 10/12, open, not yet due; C is in a group
 *   D1 R$ 200,00 due 01/10, renegotiated into A's agreement proposed on 01/11 that saw R$ 4,00 of
 *      fine and R$ 2,00 of interest on it and conceded R$ 6,00 of R$ 412,00 (its share: R$ 3,00)
 */
const clock = new FixedClock("2026-11-23T15:00:00Z");
let api: ApiTest<{ id: string; slug: string }>;
let groupId: string;
const invoiceIds: Record<string, string> = {};
const customerIds: Record<string, string> = {};

const PERIOD = "from=2026-09-01&to=2026-12-31";

async function customer(name: string, tag: string) {
  const response = await api.call(api.key, "POST", "/v1/customers", {
    body: { externalId: `rel-${name}`, name, document: cpf(), tags: [tag] },
  });
  expect(response.status, response.text).toBe(201);
  return response.body.id as string;
}

async function invoice(externalId: string, customerId: string, amountCents: number, dueDate: string) {
  const response = await api.call(api.key, "POST", "/v1/invoices", {
    body: {
      externalId,
      customerId,
      description: `Fatura ${externalId}`,
      amountCents,
      issueDate: "2026-08-01",
      dueDate,
    },
  });
  expect(response.status, response.text).toBe(201);
  invoiceIds[externalId] = response.body.id;
  return response.body.id as string;
}

async function pay(externalId: string, amountCents: number, paidAt: string) {
  const response = await api.call(api.key, "POST", "/v1/payments", {
    body: {
      externalId: `pg-${externalId}-${amountCents}`,
      invoiceId: invoiceIds[externalId],
      amountCents,
      method: "pix",
      paidAt,
    },
  });
  expect(response.status, response.text).toBe(201);
}

/** A message of a step about one invoice, sent at `sentAt` (with its planned action). */
async function message(
  externalId: string,
  customerId: string,
  step: string,
  channel: "email" | "sms",
  sentAt: string,
  cost: { provider: string; costCents: number; segments: number | null },
) {
  const groupKey = `${externalId}|${step}|${channel}`;
  const sent = new Date(sentAt);
  const action = await api.handle.db
    .insertInto("dunning_actions")
    .values({
      tenant_id: api.tenant.id,
      invoice_id: invoiceIds[externalId]!,
      customer_id: customerId,
      policy_id: crypto.randomUUID(),
      step_id: crypto.randomUUID(),
      step_name: step,
      offset_days: Number(step.slice(1)),
      channel,
      template: `${channel}.d+6`,
      group_key: groupKey,
      status: "sent",
      planned_on: sentAt.slice(0, 10),
      send_on: sentAt.slice(0, 10),
      scheduled_for: sent,
      send_until: sent,
      amount_cents: 1,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await api.handle.db
    .insertInto("messages")
    .values({
      tenant_id: api.tenant.id,
      action_id: action.id,
      group_key: groupKey,
      customer_id: customerId,
      channel,
      template: `${channel}.d+6`,
      state: "sent",
      next_attempt_at: sent,
      sent_at: sent,
      provider: cost.provider,
      cost_cents: cost.costCents,
      segments: cost.segments,
    })
    .execute();
}

beforeAll(async () => {
  api = await startApiTest(clock, apiTenant);
  customerIds.a = await customer("Ana Varejo", "varejo");
  customerIds.b = await customer("Bruno Atacado", "atacado");
  customerIds.c = await customer("Carla Grupo", "varejo");
  await invoice("A1", customerIds.a, 100_00, "2026-09-10");
  await invoice("A2", customerIds.a, 200_00, "2026-10-05");
  await invoice("B1", customerIds.b, 300_00, "2026-10-15");
  await invoice("B2", customerIds.b, 50_00, "2026-11-18");
  await invoice("C1", customerIds.c, 80_00, "2026-12-10");
  await invoice("D1", customerIds.a, 200_00, "2026-10-01");
  await pay("A1", 100_00, "2026-09-10T10:00:00-03:00");
  await pay("A2", 205_00, "2026-10-20T11:00:00-03:00");
  await pay("B2", 20_00, "2026-11-17T09:00:00-03:00");

  await message("A2", customerIds.a, "D+6", "email", "2026-10-11T12:00:00Z", {
    provider: "smtp",
    costCents: 0,
    segments: null,
  });
  await message("A2", customerIds.a, "D+12", "sms", "2026-10-17T13:00:00Z", {
    provider: "zenvia",
    costCents: 9,
    segments: 1,
  });
  await message("B1", customerIds.b, "D+6", "email", "2026-10-21T12:00:00Z", {
    provider: "smtp",
    costCents: 0,
    segments: null,
  });

  const group = await api.handle.db
    .insertInto("customer_groups")
    .values({ tenant_id: api.tenant.id, name: "Protesto", purpose: "general" })
    .returning("id")
    .executeTakeFirstOrThrow();
  groupId = group.id;
  await api.handle.db
    .insertInto("customer_group_members")
    .values({
      tenant_id: api.tenant.id,
      group_id: groupId,
      customer_id: customerIds.c,
      added_at: clock.now(),
      added_by_kind: "system",
      added_by_id: null,
      notice_message_id: null,
      settled_on: null,
      removal_due_on: null,
      removed_at: null,
    })
    .execute();

  await api.handle.db
    .updateTable("invoices")
    .set({ status: "renegotiated" })
    .where("id", "=", invoiceIds.D1!)
    .execute();
  const debt = {
    asOf: "2026-11-01",
    invoices: [
      { invoiceId: invoiceIds.D1, fineCents: 4_00, interestCents: 2_00, totalCents: 206_00 },
      { invoiceId: crypto.randomUUID(), fineCents: 0, interestCents: 0, totalCents: 206_00 },
    ],
    totalCents: 412_00,
  };
  const deal = await sql<{
    id: string;
  }>`insert into agreements (tenant_id, customer_id, status, created_by, debt, terms, concession_cents, total_cents)
    values (${api.tenant.id}, ${customerIds.a}, 'proposed', 'teste', ${JSON.stringify(debt)}::jsonb, '{}'::jsonb, ${6_00}, ${406_00})
    returning id`.execute(api.handle.db);
  await sql`insert into agreement_invoices (tenant_id, agreement_id, invoice_id)
    values (${api.tenant.id}, ${deal.rows[0]!.id}, ${invoiceIds.D1})`.execute(api.handle.db);

  for (const [status, activatedAt] of [
    ["broken", "2026-10-05T12:00:00Z"],
    ["completed", "2026-10-10T12:00:00Z"],
    ["active", "2026-11-02T12:00:00Z"],
    ["lapsed", null],
  ] as const) {
    await sql`insert into agreements (tenant_id, customer_id, status, created_by, debt, terms, concession_cents, total_cents, activated_at)
      values (${api.tenant.id}, ${customerIds.a}, ${status}, 'teste', '{}'::jsonb, '{}'::jsonb, 0, 100, ${activatedAt})`.execute(
      api.handle.db,
    );
  }
});

afterAll(() => api?.close());

async function report(name: string, parameters = PERIOD) {
  const response = await api.call(api.key, "GET", `/v1/reports/${name}?${parameters}`);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

describe("summary", () => {
  it("adds up billed, paid, recovered and overdue month by month", async () => {
    const table = await report("summary");
    expect(table.rows).toEqual([
      {
        period: "2026-09-01",
        billedCount: 1,
        billedCents: 100_00,
        paidCents: 100_00,
        recoveredCents: 0,
        overdueCount: 0,
        overdueCents: 0,
      },
      {
        period: "2026-10-01",
        billedCount: 3,
        billedCents: 700_00,
        paidCents: 205_00,
        recoveredCents: 205_00,
        overdueCount: 1,
        overdueCents: 300_00,
      },
      {
        period: "2026-11-01",
        billedCount: 1,
        billedCents: 50_00,
        paidCents: 20_00,
        recoveredCents: 0,
        overdueCount: 1,
        overdueCents: 30_00,
      },
      {
        period: "2026-12-01",
        billedCount: 1,
        billedCents: 80_00,
        paidCents: 0,
        recoveredCents: 0,
        overdueCount: 0,
        overdueCents: 0,
      },
    ]);
    expect(table.totals).toMatchObject({
      period: "Total",
      billedCents: 930_00,
      paidCents: 325_00,
      overdueCents: 330_00,
    });
  });

  it("agrees with the invoices and payments tables", async () => {
    const table = await report("summary");
    const truth = await sql<{ billed: number; paid: number }>`
      select (select sum(amount_cents) from invoices where tenant_id = ${api.tenant.id}) as billed,
             (select sum(amount_cents) from payments where tenant_id = ${api.tenant.id}) as paid`.execute(
      api.handle.db,
    );
    expect(table.totals.billedCents).toBe(Number(truth.rows[0]!.billed));
    expect(table.totals.paidCents).toBe(Number(truth.rows[0]!.paid));
  });

  it("narrows to a tag and to a group", async () => {
    const byTag = await report("summary", `${PERIOD}&tag=atacado`);
    expect(byTag.totals).toMatchObject({
      billedCount: 2,
      billedCents: 350_00,
      paidCents: 20_00,
      overdueCents: 330_00,
    });
    const byGroup = await report("summary", `${PERIOD}&group=${groupId}`);
    expect(byGroup.rows).toHaveLength(1);
    expect(byGroup.rows[0]).toMatchObject({ period: "2026-12-01", billedCents: 80_00 });
  });
});

describe("detailed", () => {
  it("shows each charge's principal, fine, interest, discount and balance", async () => {
    const table = await report("detailed");
    const byInvoice = Object.fromEntries(table.rows.map((row: { invoice: string }) => [row.invoice, row]));
    expect(byInvoice.A2).toMatchObject({
      status: "paga",
      asOf: "2026-10-20",
      principalCents: 200_00,
      fineCents: 4_00,
      interestCents: 1_00,
      discountCents: 0,
      totalCents: 205_00,
      paidCents: 205_00,
      balanceCents: 0,
    });
    expect(byInvoice.B1).toMatchObject({
      status: "em aberto",
      asOf: "2026-11-23",
      fineCents: 6_00,
      interestCents: 3_90,
      totalCents: 309_90,
      paidCents: 0,
      balanceCents: 309_90,
    });
    expect(byInvoice.B2).toMatchObject({
      fineCents: 60,
      interestCents: 5,
      paidCents: 20_00,
      balanceCents: 30_65,
    });
    expect(byInvoice.C1).toMatchObject({ fineCents: 0, interestCents: 0, balanceCents: 80_00 });
    expect(byInvoice.D1).toMatchObject({
      status: "renegociada",
      asOf: "2026-11-01",
      fineCents: 4_00,
      interestCents: 2_00,
      discountCents: 3_00,
      totalCents: 203_00,
      balanceCents: 0,
    });
  });
});

describe("oldest first", () => {
  it("lists open overdue invoices, oldest first, with age and band", async () => {
    const table = await report("oldest");
    expect(
      table.rows.map(
        (row: { invoice: string; daysOverdue: number; aging: string; outstandingCents: number }) => [
          row.invoice,
          row.daysOverdue,
          row.aging,
          row.outstandingCents,
        ],
      ),
    ).toEqual([
      ["B1", 39, "31 a 60 dias", 300_00],
      ["B2", 5, "até 5 dias", 30_00],
    ]);
  });
});

describe("recovery by step and channel", () => {
  it("credits a payment to the last message sent within N days before it", async () => {
    const october = "from=2026-10-01&to=2026-10-31";
    const week = await report("recovery", `${october}&days=7`);
    // in the régua's order (D+6 before D+12); channels as codes for API clients, with their
    // pt-BR names beside them for people
    expect(week.rows).toEqual([
      expect.objectContaining({
        step: "D+6",
        channel: "email",
        channelLabel: "E-mail",
        messages: 2,
        payments: 0,
        recoveredPaymentsCents: 0,
      }),
      expect.objectContaining({
        step: "D+12",
        channel: "sms",
        channelLabel: "SMS",
        messages: 1,
        payments: 1,
        recoveredPaymentsCents: 205_00,
      }),
    ]);
    // two days: the SMS went out three days before the payment, so nothing is credited
    const short = await report("recovery", `${october}&days=2`);
    expect(short.totals).toMatchObject({ payments: 0, recoveredPaymentsCents: 0, messages: 3 });
  });

  it("refuses a window out of range, naming the parameter", async () => {
    const response = await api.call(api.key, "GET", "/v1/reports/recovery?days=0");
    expect(response.status).toBe(400);
    expect(response.body.error.field).toBe("days");
  });
});

describe("message costs", () => {
  it("adds up messages, SMS parts and cost by month, channel and provider", async () => {
    const table = await report("message-costs");
    expect(table.rows).toEqual([
      {
        period: "2026-10-01",
        channel: "email",
        channelLabel: "E-mail",
        provider: "smtp",
        providerLabel: "SMTP",
        messages: 2,
        segments: 0,
        costCents: 0,
      },
      {
        period: "2026-10-01",
        channel: "sms",
        channelLabel: "SMS",
        provider: "zenvia",
        providerLabel: "Zenvia",
        messages: 1,
        segments: 1,
        costCents: 9,
      },
    ]);
    // people read the names: the CSV's channel and provider columns hold the labels
    const response = await fetch(`${api.server.url}/v1/reports/message-costs?${PERIOD}&format=csv`, {
      headers: { authorization: `Bearer ${api.key.key}` },
    });
    const rows = parseCsv(
      Buffer.from(await response.arrayBuffer())
        .subarray(3)
        .toString("utf8"),
    );
    expect(rows.slice(0, 3).map((row) => row.slice(1, 3))).toEqual([
      ["Canal", "Provedor"],
      ["E-mail", "SMTP"],
      ["SMS", "Zenvia"],
    ]);
  });
});

describe("agreement breaks", () => {
  it("counts each month's activated agreements that broke", async () => {
    const table = await report("agreement-breaks");
    expect(table.rows).toEqual([
      { period: "2026-10-01", activated: 2, broken: 1, completed: 1, active: 0, breakRate: 5000 },
      { period: "2026-11-01", activated: 1, broken: 0, completed: 0, active: 1, breakRate: 0 },
    ]);
  });
});

describe("exports", () => {
  it("writes a CSV that Brazilian Excel opens: BOM, ';', decimal comma, dd/mm/aaaa", async () => {
    const response = await fetch(`${api.server.url}/v1/reports/detailed?${PERIOD}&format=csv`, {
      headers: { authorization: `Bearer ${api.key.key}` },
    });
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(response.headers.get("content-disposition")).toContain(".csv");
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.subarray(3).toString("utf8"));
    expect(rows[0]).toContain("Descrição");
    const header = rows[0]!;
    const b1 = rows.find((row) => row[0] === "B1")!;
    expect(b1[header.indexOf("Vencimento")]).toBe("15/10/2026");
    expect(b1[header.indexOf("Juros")]).toBe("3,90");
    expect(b1[header.indexOf("Saldo devedor hoje")]).toBe("309,90");
    expect(b1[header.indexOf("Situação")]).toBe("em aberto");
    expect(rows.at(-1)![0]).toBe("Total");
  });

  it("writes an XLSX with money as numbers in R$ and dates as dates", async () => {
    const response = await fetch(`${api.server.url}/v1/reports/summary?${PERIOD}&format=xlsx`, {
      headers: { authorization: `Bearer ${api.key.key}` },
    });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(3).value).toBe("Faturado");
    const october = sheet.getRow(3);
    expect(october.getCell(1).value).toEqual(new Date("2026-10-01T00:00:00Z"));
    expect(october.getCell(1).numFmt).toBe("dd/mm/yyyy");
    expect(october.getCell(3).value).toBe(700);
    expect(october.getCell(3).numFmt).toContain("R$");
    expect(october.getCell(5).value).toBe(205);
    expect(sheet.getRow(6).getCell(1).value).toBe("Total");
    expect(sheet.getRow(6).getCell(3).value).toBe(930);
  });
});

describe("the panel as PDF", () => {
  it("prints the panel's figures with the creditor's header", async () => {
    const response = await fetch(`${api.server.url}/v1/dashboard/panel.pdf`, {
      headers: { authorization: `Bearer ${api.key.key}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    const parser = new PDFParse({ data: new Uint8Array(await response.arrayBuffer()) });
    const text = (await parser.getText()).text.replace(/\s+/g, " ");
    await parser.destroy();
    expect(text).toContain("Provedor Fibra Rápida Ltda");
    expect(text).toContain("Painel de inadimplência — 23/11/2026");
    // B1's R$ 300,00 and what is left of B2, R$ 30,00: the overdue principal
    expect(text).toContain("Total vencido R$ 330,00 2 1");
  });
});
