import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCnpj } from "../../src/domain/documents.ts";
import { scoreOpenInvoices } from "../../src/modules/scores/score.service.ts";
import { getTenant } from "../../src/modules/tenants/tenant.service.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { apiTenant, cpf, seededRandom } from "../support/api-fixtures.ts";
import { type ApiTest, startApiTest } from "../support/api-test.ts";
import { parseCsv } from "../support/csv.ts";

/**
 * A hand-built portfolio for the recovery report (tenant in America/Sao_Paulo, UTC−3; the report
 * over October 2026 with the default 7-day window). P is a person on the "Régua PF", E a company on
 * the "Régua PJ". Each message's action carries what the invoice owed when it was planned.
 *   P1 R$ 100 (score high): D-5 e-mail 05/10 (opened, clicked), D+1 WhatsApp 11/10 failed, D+3 SMS 13/10
 *      (9 ¢); paid R$ 100 on 15/10 → the SMS (2 days)
 *   P2 R$ 300 (score low): D-5 e-mail 15/10 (opened); R$ 150 paid 18/10 → the e-mail (3 days); D+3 SMS
 *      23/10 (9 ¢) planned on the R$ 150 left; R$ 150 paid 05/11, 13 days later → nothing
 *   E1 R$ 1.000 (score medium): D-5 e-mail 30/09 (before the period); D+3 e-mail 08/10
 *      (opened, clicked); R$ 400 paid 09/10 → that e-mail (1 day); D+7 SMS 12/10 at 10:00 (2 parts, 18 ¢)
 *      planned on R$ 600; R$ 600 paid at 11:00 the same day → the SMS (0 days)
 *   E2 R$ 500: D+6 SMS 26/09, paid 01/10 → a September message: not in October's cohort
 *   E3 R$ 200 (never scored): D+3 e-mail 31/10; D+5 SMS 02/11; paid 03/11 → the November SMS,
 *      the last touch, so the October e-mail gets nothing
 */
const clock = new FixedClock("2026-11-23T15:00:00Z");
let api: ApiTest<{ id: string; slug: string }>;
const invoiceIds: Record<string, string> = {};
const OCTOBER = "from=2026-10-01&to=2026-10-31";

async function customer(name: string, document: string) {
  const response = await api.call(api.key, "POST", "/v1/customers", {
    body: { externalId: `rec-${name}`, name, document },
  });
  expect(response.status, response.text).toBe(201);
  return response.body.id as string;
}

async function invoice(externalId: string, customerId: string, amountCents: number, dueDate: string) {
  const response = await api.call(api.key, "POST", "/v1/invoices", {
    body: { externalId, customerId, amountCents, issueDate: "2026-08-01", dueDate },
  });
  expect(response.status, response.text).toBe(201);
  invoiceIds[externalId] = response.body.id;
}

async function pay(externalId: string, amountCents: number, paidAt: string) {
  const response = await api.call(api.key, "POST", "/v1/payments", {
    body: {
      externalId: `rec-${externalId}-${paidAt}`,
      invoiceId: invoiceIds[externalId],
      amountCents,
      method: "pix",
      paidAt,
    },
  });
  expect(response.status, response.text).toBe(201);
}

async function policy(name: string): Promise<string> {
  const row = await api.handle.db
    .insertInto("policies")
    .values({ tenant_id: api.tenant.id, name, active: false })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

interface Sent {
  invoice: string;
  customerId: string;
  policyId: string;
  step: string;
  offsetDays: number;
  channel: "email" | "sms" | "whatsapp";
  sentAt: string;
  owedCents: number;
  costCents?: number;
  clicked?: boolean;
  opened?: boolean;
  state?: "delivered" | "failed";
}

/** A message of the régua about one invoice, as the dispatcher leaves it, with its action. */
async function message(sent: Sent) {
  const groupKey = `${sent.invoice}|${sent.step}|${sent.channel}`;
  const at = new Date(sent.sentAt);
  const state = sent.state ?? "delivered";
  const action = await api.handle.db
    .insertInto("dunning_actions")
    .values({
      tenant_id: api.tenant.id,
      invoice_id: invoiceIds[sent.invoice]!,
      customer_id: sent.customerId,
      policy_id: sent.policyId,
      step_id: crypto.randomUUID(),
      step_name: sent.step,
      offset_days: sent.offsetDays,
      channel: sent.channel,
      template: `${sent.channel}.padrao`,
      group_key: groupKey,
      status: state,
      planned_on: sent.sentAt.slice(0, 10),
      send_on: sent.sentAt.slice(0, 10),
      scheduled_for: at,
      send_until: at,
      amount_cents: sent.owedCents,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await api.handle.db
    .insertInto("messages")
    .values({
      tenant_id: api.tenant.id,
      action_id: action.id,
      group_key: groupKey,
      customer_id: sent.customerId,
      channel: sent.channel,
      template: `${sent.channel}.padrao`,
      state,
      next_attempt_at: at,
      sent_at: at,
      cost_cents: sent.costCents ?? 0,
      clicked_at: sent.clicked ? new Date(at.getTime() + 3_600_000) : null,
      opened_at: sent.opened ? new Date(at.getTime() + 1_800_000) : null,
    })
    .execute();
}

async function score(externalId: string, customerId: string, probability: number, band: string) {
  await api.handle.db
    .insertInto("invoice_scores")
    .values({
      tenant_id: api.tenant.id,
      invoice_id: invoiceIds[externalId]!,
      customer_id: customerId,
      scored_on: "2026-10-01",
      horizon_days: 30,
      probability,
      band: band as "low",
      reasons: [],
    })
    .execute();
}

async function report(parameters: string) {
  const response = await api.call(api.key, "GET", `/v1/reports/recovery?${OCTOBER}&${parameters}`);
  expect(response.status, response.text).toBe(200);
  return response.body as {
    columns: { key: string }[];
    rows: Record<string, unknown>[];
    totals: Record<string, unknown>;
  };
}

beforeAll(async () => {
  api = await startApiTest(clock, apiTenant);
  const person = await customer("Paula", cpf());
  const company = await customer("Empresa", generateCnpj(seededRandom));
  const pf = await policy("Régua PF");
  const pj = await policy("Régua PJ");
  await invoice("P1", person, 100_00, "2026-10-10");
  await invoice("P2", person, 300_00, "2026-10-20");
  await invoice("E1", company, 1000_00, "2026-10-05");
  await invoice("E2", company, 500_00, "2026-09-20");
  await invoice("E3", company, 200_00, "2026-10-28");
  await score("P1", person, 0.7, "high");
  await score("P2", person, 0.2, "low");
  await score("E1", company, 0.45, "medium");
  const p = { customerId: person, policyId: pf };
  const e = { customerId: company, policyId: pj };
  // P1
  await message({
    ...p,
    invoice: "P1",
    step: "D-5",
    offsetDays: -5,
    channel: "email",
    sentAt: "2026-10-05T12:00:00Z",
    owedCents: 100_00,
    clicked: true,
    opened: true,
  });
  await message({
    ...p,
    invoice: "P1",
    step: "D+1",
    offsetDays: 1,
    channel: "whatsapp",
    sentAt: "2026-10-11T12:00:00Z",
    owedCents: 100_00,
    costCents: 35,
    state: "failed",
  });
  await message({
    ...p,
    invoice: "P1",
    step: "D+3",
    offsetDays: 3,
    channel: "sms",
    sentAt: "2026-10-13T13:00:00Z",
    owedCents: 100_00,
    costCents: 9,
  });
  await pay("P1", 100_00, "2026-10-15T10:00:00-03:00");
  // P2
  await message({
    ...p,
    invoice: "P2",
    step: "D-5",
    offsetDays: -5,
    channel: "email",
    sentAt: "2026-10-15T12:00:00Z",
    owedCents: 300_00,
    opened: true,
  });
  await pay("P2", 150_00, "2026-10-18T09:00:00-03:00");
  await message({
    ...p,
    invoice: "P2",
    step: "D+3",
    offsetDays: 3,
    channel: "sms",
    sentAt: "2026-10-23T13:00:00Z",
    owedCents: 150_00,
    costCents: 9,
  });
  await pay("P2", 150_00, "2026-11-05T09:00:00-03:00");
  // E1
  await message({
    ...e,
    invoice: "E1",
    step: "D-5",
    offsetDays: -5,
    channel: "email",
    sentAt: "2026-09-30T12:00:00Z",
    owedCents: 1000_00,
  });
  await message({
    ...e,
    invoice: "E1",
    step: "D+3",
    offsetDays: 3,
    channel: "email",
    sentAt: "2026-10-08T12:00:00Z",
    owedCents: 1000_00,
    clicked: true,
    opened: true,
  });
  await pay("E1", 400_00, "2026-10-09T10:00:00-03:00");
  await message({
    ...e,
    invoice: "E1",
    step: "D+7",
    offsetDays: 7,
    channel: "sms",
    sentAt: "2026-10-12T13:00:00Z",
    owedCents: 600_00,
    costCents: 18,
  });
  await pay("E1", 600_00, "2026-10-12T14:00:00Z");
  // E2
  await message({
    ...e,
    invoice: "E2",
    step: "D+6",
    offsetDays: 6,
    channel: "sms",
    sentAt: "2026-09-26T13:00:00Z",
    owedCents: 500_00,
    costCents: 9,
  });
  await pay("E2", 500_00, "2026-10-01T10:00:00-03:00");
  // E3
  await message({
    ...e,
    invoice: "E3",
    step: "D+3",
    offsetDays: 3,
    channel: "email",
    sentAt: "2026-10-31T12:00:00Z",
    owedCents: 200_00,
  });
  await message({
    ...e,
    invoice: "E3",
    step: "D+5",
    offsetDays: 5,
    channel: "sms",
    sentAt: "2026-11-02T13:00:00Z",
    owedCents: 200_00,
    costCents: 9,
  });
  await pay("E3", 200_00, "2026-11-03T10:00:00-03:00");
});

afterAll(async () => {
  await api?.close();
});

describe("recovery by step and channel (the default grouping)", () => {
  it("credits each payment to the last message before it and divides by what the invoices owed", async () => {
    const table = await report("");
    expect(table.rows).toEqual([
      // P1 and P2 e-mailed at D-5 owing R$ 100 + R$ 300; P2's R$ 150 came 3 days later
      expect.objectContaining({
        step: "D-5",
        channel: "email",
        channelLabel: "E-mail",
        messages: 2,
        clicks: 1,
        opens: 2,
        costCents: 0,
        invoices: 2,
        dueCents: 400_00,
        payments: 1,
        recoveredPaymentsCents: 150_00,
        recoveryRate: 3750,
        medianDaysToPay: 3,
        costPerRecovered: 0,
      }),
      // E1 (R$ 1.000) and E3 (R$ 200); E1's R$ 400 a day later; E3's payment went to the
      // November SMS
      expect.objectContaining({
        step: "D+3",
        channel: "email",
        messages: 2,
        clicks: 1,
        opens: 1,
        invoices: 2,
        dueCents: 1200_00,
        payments: 1,
        recoveredPaymentsCents: 400_00,
        recoveryRate: 3333,
        medianDaysToPay: 1,
      }),
      // P1 (R$ 100) and P2 (R$ 150 left); P1 paid 2 days later, P2 13 days later (outside 7);
      // 18 ¢ for R$ 100: 0.18% of what was recovered
      expect.objectContaining({
        step: "D+3",
        channel: "sms",
        messages: 2,
        opens: 0,
        costCents: 18,
        invoices: 2,
        dueCents: 250_00,
        payments: 1,
        recoveredPaymentsCents: 100_00,
        recoveryRate: 4000,
        medianDaysToPay: 2,
        costPerRecovered: 18,
      }),
      // E1's R$ 600 an hour after the SMS: 18 ¢ for R$ 600 is 0.03%
      expect.objectContaining({
        step: "D+7",
        channel: "sms",
        messages: 1,
        costCents: 18,
        invoices: 1,
        dueCents: 600_00,
        payments: 1,
        recoveredPaymentsCents: 600_00,
        recoveryRate: 10000,
        medianDaysToPay: 0,
        costPerRecovered: 3,
      }),
    ]);
    // the failed WhatsApp, September's messages and the November SMS are not in October's cohort
    // the total counts each invoice once at the most it owed: 100 + 300 + 1.000 + 200 = R$ 1.600;
    // recovered 150 + 400 + 100 + 600 = R$ 1.250 (78.125%); days 0, 1, 2, 3: median (the lower
    // middle) 1; 36 ¢ ÷ R$ 1.250 = 0.0288% → 3 basis points
    expect(table.totals).toEqual(
      expect.objectContaining({
        step: "Total",
        messages: 7,
        clicks: 2,
        opens: 3,
        costCents: 36,
        invoices: 4,
        dueCents: 1600_00,
        payments: 4,
        recoveredPaymentsCents: 1250_00,
        recoveryRate: 7813,
        medianDaysToPay: 1,
        costPerRecovered: 3,
      }),
    );
  });

  it("a longer window credits P2's second payment, 13 days after its SMS", async () => {
    const table = await report("days=14&groupBy=step,channel");
    const sms = table.rows.find((row) => row.step === "D+3" && row.channel === "sms");
    expect(sms).toMatchObject({
      payments: 2,
      recoveredPaymentsCents: 250_00,
      recoveryRate: 10000,
      medianDaysToPay: 2,
    });
  });
});

describe("other groupings", () => {
  it("by segment and phase: pre-due against post-due", async () => {
    const table = await report("groupBy=segment,phase");
    expect(
      table.rows.map((row) => [
        row.segmentLabel,
        row.phaseLabel,
        row.messages,
        row.dueCents,
        row.recoveredPaymentsCents,
        row.recoveryRate,
        row.medianDaysToPay,
      ]),
    ).toEqual([
      // E1 D+3 e-mail, E1 D+7 SMS and E3's e-mail; E1 counted once at R$ 1.000; payments 1 and 0
      // days after: the lower middle is 0
      ["Pessoa jurídica", "Depois do vencimento", 3, 1200_00, 1000_00, 8333, 0],
      ["Pessoa física", "Antes do vencimento", 2, 400_00, 150_00, 3750, 3],
      ["Pessoa física", "Depois do vencimento", 2, 250_00, 100_00, 4000, 2],
    ]);
  });

  it("by score band and by policy", async () => {
    const bands = await report("groupBy=band");
    expect(
      bands.rows.map((row) => [
        row.band,
        row.bandLabel,
        row.messages,
        row.costCents,
        row.dueCents,
        row.payments,
        row.recoveredPaymentsCents,
        row.recoveryRate,
        row.costPerRecovered,
      ]),
    ).toEqual([
      ["low", "Baixa", 2, 9, 300_00, 1, 150_00, 5000, 6],
      // 18 ¢ for R$ 1.000: 1.8 basis points, rounded to 2
      ["medium", "Média", 2, 18, 1000_00, 2, 1000_00, 10000, 2],
      ["high", "Alta", 2, 9, 100_00, 1, 100_00, 10000, 9],
      ["unscored", "Sem score", 1, 0, 200_00, 0, 0, 0, null],
    ]);
    // rescoring after the payments keeps each paid invoice's last band (only open invoices are
    // scored again): the same table
    await scoreOpenInvoices(api.handle.db, await getTenant(api.handle.db, api.tenant.id), clock);
    expect((await report("groupBy=band")).rows).toEqual(bands.rows);
    const policies = await report("groupBy=policy");
    expect(
      policies.rows.map((row) => [row.policyName, row.messages, row.dueCents, row.recoveredPaymentsCents]),
    ).toEqual([
      ["Régua PF", 4, 400_00, 250_00],
      ["Régua PJ", 3, 1200_00, 1000_00],
    ]);
  });

  it("is documented in the OpenAPI: groupBy and its choices", async () => {
    const doc = (await api.call(null, "GET", "/openapi.json")).body;
    const parameters = doc.paths["/v1/reports/{name}"].get.parameters as {
      name: string;
      description?: string;
    }[];
    const groupBy = parameters.find((parameter) => parameter.name === "groupBy");
    expect(groupBy?.description ?? JSON.stringify(groupBy)).toContain(
      "segment, policy, step, channel, band e phase",
    );
  });

  it("refuses an unknown grouping, naming the parameter", async () => {
    const response = await api.call(api.key, "GET", "/v1/reports/recovery?groupBy=step,canal");
    expect(response.status).toBe(400);
    expect(response.body.error.field).toBe("groupBy");
    expect(response.body.error.message).toContain("canal");
  });
});

describe("exports", () => {
  it("CSV: the grouping's names, money in reais, rates as percentages, the total row", async () => {
    const response = await fetch(
      `${api.server.url}/v1/reports/recovery?${OCTOBER}&groupBy=channel&format=csv`,
      {
        headers: { authorization: `Bearer ${api.key.key}` },
      },
    );
    expect(response.status).toBe(200);
    const lines = parseCsv((await response.text()).replace(/^\uFEFF/, ""));
    expect(lines[0]).toEqual([
      "Canal",
      "Mensagens enviadas",
      "Cliques",
      "Aberturas",
      "Custo",
      "Faturas",
      "Devido ao receber a mensagem",
      "Pagamentos atribuídos",
      "Valor recuperado",
      "Taxa de recuperação",
      "Mediana de dias até pagar",
      "Custo ÷ recuperado",
    ]);
    // e-mail: P1, P2, E1, E3 (R$ 1.600); recovered 150 + 400; days 3, 1 → 1
    expect(lines[1]).toEqual([
      "E-mail",
      "4",
      "2",
      "3",
      "0,00",
      "4",
      "1600,00",
      "2",
      "550,00",
      "34,38",
      "1",
      "0,00",
    ]);
    // SMS: P1 100, P2 150, E1 600 (R$ 850); recovered 100 + 600; 36 ¢ ÷ R$ 700 = 0.05%
    expect(lines[2]).toEqual([
      "SMS",
      "3",
      "0",
      "0",
      "0,36",
      "3",
      "850,00",
      "2",
      "700,00",
      "82,35",
      "0",
      "0,05",
    ]);
    expect(lines[3]).toEqual([
      "Total",
      "7",
      "2",
      "3",
      "0,36",
      "4",
      "1600,00",
      "4",
      "1250,00",
      "78,13",
      "1",
      "0,03",
    ]);
  });

  it("XLSX: the same table with money as numbers", async () => {
    const response = await fetch(
      `${api.server.url}/v1/reports/recovery?${OCTOBER}&groupBy=phase&format=xlsx`,
      {
        headers: { authorization: `Bearer ${api.key.key}` },
      },
    );
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe("Fase");
    const rows = [2, 3, 4].map((index) => sheet.getRow(index).values as unknown[]);
    // post-due: P1 SMS, P2 SMS, E1 e-mail and SMS, E3 e-mail; pre-due: the D-5 e-mails
    expect(rows[0]!.slice(1, 10)).toEqual(["Antes do vencimento", 2, 1, 2, 0, 2, 400, 1, 150]);
    expect(rows[1]!.slice(1, 10)).toEqual(["Depois do vencimento", 5, 1, 1, 0.36, 4, 1450, 3, 1100]);
    expect(rows[2]![1]).toBe("Total");
  });
});
