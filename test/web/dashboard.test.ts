import { sql } from "kysely";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BusinessCalendar } from "../../src/domain/calendar.ts";
import { loadDemo } from "../../src/modules/demo/demo.service.ts";
import { lastOverdueDueDate } from "../../src/modules/open-debt/open-debt.ts";
import { runReport } from "../../src/modules/reports/report.service.ts";
import { ZReportQuery } from "../../src/modules/reports/report.ts";
import { tenantFromRow } from "../../src/modules/tenants/tenant.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { addAgreement, addSentMessage } from "../dashboard/fixtures.ts";
import { launchBrowser, type TestBrowser } from "../support/browser.ts";
import { type Dashboard, seriousAxeViolations, signIn, startDashboard } from "./support.ts";

/**
 * The operators' dashboard in a real Chromium against the real server, on the demo company (a
 * small portfolio) seen on Monday 2026-11-23: the panel shows what independent SQL says it must,
 * and the customer view's actions change what the operator sees.
 */
const TODAY = "2026-11-23";
let dashboard: Dashboard;
let browser: TestBrowser;
let tenant: Tenant;
let page: Page;
/** What the browser's console reported as errors (a missing favicon's 404 among them). */
const consoleErrors: string[] = [];
/** A demo customer with overdue invoices, and one of them. */
let debtor: { id: string; name: string; invoiceId: string };

beforeAll(async () => {
  dashboard = await startDashboard({
    seed: async (handle) => {
      const demo = await loadDemo(handle.db, { customers: 40, today: TODAY });
      return demo.tenant;
    },
  });
  const { db } = dashboard.handle;
  tenant = tenantFromRow(
    await db
      .selectFrom("tenants")
      .selectAll()
      .where("id", "=", dashboard.tenant.id)
      .executeTakeFirstOrThrow(),
  );
  const overdue = await sql<{ id: string; name: string; invoice_id: string }>`
    select c.id, c.name, i.id as invoice_id
    from invoices i join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id
    where i.tenant_id = ${tenant.id}::uuid and i.status = 'open' and i.due_date < ${TODAY}::date - 10
    order by i.due_date, c.external_id limit 1`.execute(db);
  const row = overdue.rows[0]!;
  debtor = { id: row.id, name: row.name, invoiceId: row.invoice_id };
  // the régua's e-mail to that customer, and a couple of agreements
  await addSentMessage(db, tenant, debtor, debtor.invoiceId, "email", "2026-11-20T13:00:00Z", {
    subject: "Sua fatura está em atraso",
    body: "Olá! Sua fatura da Empresa Demonstração venceu. Pague pelo Pix ou boleto.",
  });
  await addAgreement(db, tenant, debtor, "active", 45_600);
  await addAgreement(db, tenant, debtor, "broken", 10_000);
  // a request made in the portal for another plan, still waiting on the creditor
  const contract = await db
    .insertInto("contracts")
    .values({ tenant_id: tenant.id, external_id: "ct-painel-1", customer_id: debtor.id, plan: "Fibra 300" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("plan_change_requests")
    .values({
      tenant_id: tenant.id,
      customer_id: debtor.id,
      contract_id: contract.id,
      kind: "plan",
      current_value: "Fibra 300",
      requested_value: "Fibra 500",
      monthly_price_cents: 149_90,
      requested_at: new Date("2026-11-21T13:00:00Z"),
    })
    .execute();
  browser = await launchBrowser();
  const context = await browser.newContext();
  page = await context.newPage();
  page.on("console", (message) => {
    // signed out, the app asks for the session and is told 401: that is how it knows
    const sessionCheck = message.location().url.endsWith("/v1/session") && message.text().includes("401");
    if (message.type() === "error" && !sessionCheck) consoleErrors.push(message.text());
  });
  await signIn(page, dashboard);
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
});

const money = new Intl.NumberFormat("pt-BR", { style: "currency", currency: "BRL" });
const count = new Intl.NumberFormat("pt-BR");
const brl = (cents: number) => money.format(cents / 100).replace(/\s/g, " ");
const text = async (testId: string) =>
  ((await page.getByTestId(testId).textContent()) ?? "").replace(/\s/g, " ");

/**
 * The truth, computed here independently of the panel's SQL, by the documented rule: overdue once
 * past the payable day (a due date on a holiday is payable the next business day: 20/11/2026, Black
 * Consciousness Day, is not overdue on Monday 23/11), and an invoice an agreement in force covers is
 * owed through its installments, not again.
 */
async function overdueTruth(minDays: number, maxDays: number | null) {
  const lastOverdueDue = lastOverdueDueDate(TODAY, new BusinessCalendar(tenant.extraHolidays));
  const result = await sql<{ cents: number; invoices: number; customers: number }>`
    select coalesce(sum(amount_cents - paid_cents), 0)::int8 as cents, count(*)::int8 as invoices,
      count(distinct customer_id)::int8 as customers
    from invoices i
    where tenant_id = ${tenant.id}::uuid and status = 'open' and paid_cents < amount_cents
      and due_date <= ${lastOverdueDue}::date
      and not exists (select 1 from agreement_invoices ai join agreements a
        on a.tenant_id = ai.tenant_id and a.id = ai.agreement_id
        where ai.tenant_id = i.tenant_id and ai.invoice_id = i.id and a.status in ('proposed', 'active'))
      and ${TODAY}::date - due_date >= ${minDays}
      and (${maxDays}::int is null or ${TODAY}::date - due_date <= ${maxDays}::int)`.execute(
    dashboard.handle.db,
  );
  return result.rows[0]!;
}

describe("the delinquency panel", () => {
  it("shows the overdue totals, small delays apart and the aging phases as the database has them", async () => {
    await page.goto(dashboard.url(""));
    await page.getByRole("heading", { name: "Painel de inadimplência" }).waitFor();
    for (const [testId, minDays, maxDays] of [
      ["overdue", 1, null],
      ["small-delays", 1, 5],
      ["delinquent", 6, null],
    ] as const) {
      const truth = await overdueTruth(minDays, maxDays);
      expect(await text(`${testId}-cents`), testId).toBe(brl(truth.cents));
      expect(await text(`${testId}-counts`), testId).toBe(
        `${count.format(truth.invoices)} fatura${truth.invoices === 1 ? "" : "s"} · ` +
          `${count.format(truth.customers)} cliente${truth.customers === 1 ? "" : "s"}`,
      );
    }
    const overdue = await overdueTruth(1, null);
    expect(overdue.invoices).toBeGreaterThan(0);
    for (const [phase, minDays, maxDays] of [
      ["1-5", 1, 5],
      ["6-15", 6, 15],
      ["16-30", 16, 30],
      ["31-60", 31, 60],
      ["61-90", 61, 90],
      ["90+", 91, null],
    ] as const) {
      const truth = await overdueTruth(minDays, maxDays);
      expect(await text(`aging-${phase}-cents`), phase).toBe(brl(truth.cents));
      expect(await text(`aging-${phase}-invoices`), phase).toBe(count.format(truth.invoices));
    }
    expect(await text("agreements-active-count")).toBe("1");
    expect(await text("agreements-broken-rate")).toBe("50%");
  });

  it("opens the customers behind a tile or an aging phase, by the days of their oldest overdue invoice", async () => {
    const namesWithOldest = async (minDays: number, maxDays: number | null) => {
      const result = await sql<{ name: string }>`
        select c.name from customers c
        join (
          select customer_id, max(${TODAY}::date - due_date) as days from invoices
          where tenant_id = ${tenant.id}::uuid and status = 'open' and amount_cents > paid_cents
            and due_date < ${TODAY}::date
          group by customer_id
        ) o on o.customer_id = c.id
        where o.days >= ${minDays} and (${maxDays}::int is null or o.days <= ${maxDays}::int)`.execute(
        dashboard.handle.db,
      );
      return result.rows.map((row) => row.name).sort();
    };
    const listedNames = async () => {
      const table = page.getByRole("table", { name: "Clientes" });
      await table.waitFor();
      return (await table.locator("tbody tr td:nth-child(2)").allInnerTexts()).sort();
    };

    await page.goto(dashboard.url(""));
    await page.getByRole("link", { name: "Ver clientes: Inadimplência (mais de 5 dias)" }).click();
    await page.waitForURL(/\/app\/clientes\?minDaysOverdue=6$/);
    expect(await page.getByLabel("Dias de atraso, de").inputValue()).toBe("6");
    const delinquent = await namesWithOldest(6, null);
    expect(delinquent.length).toBeGreaterThan(0);
    expect(await listedNames()).toEqual(delinquent);

    await page.goto(dashboard.url(""));
    await page
      .getByRole("link", {
        name: "Ver clientes cuja fatura vencida mais antiga tem 16 a 30 dias de atraso",
      })
      .click();
    await page.waitForURL(/minDaysOverdue=16&maxDaysOverdue=30$/);
    const band = await namesWithOldest(16, 30);
    if (band.length === 0) await page.getByText("Nenhum cliente com esses filtros.").waitFor();
    else expect(await listedNames()).toEqual(band);
    // back to the panel, where the next tests look
    await page.goto(dashboard.url(""));
    await page.getByRole("heading", { name: "Painel de inadimplência" }).waitFor();
  });

  it("charts the recovered amounts by week, with the numbers in a table", async () => {
    const truth = await sql<{ week: string; cents: number }>`
      select to_char(date_trunc('week', (p.paid_at at time zone 'America/Sao_Paulo')::date), 'YYYY-MM-DD') as week,
        sum(p.amount_cents)::int8 as cents
      from payments p join invoices i on i.tenant_id = p.tenant_id and i.id = p.invoice_id
      where p.tenant_id = ${tenant.id}::uuid
        and (p.paid_at at time zone 'America/Sao_Paulo')::date > i.due_date
        and (p.paid_at at time zone 'America/Sao_Paulo')::date >= '2026-09-07'
      group by 1`.execute(dashboard.handle.db);
    expect(truth.rows.length).toBeGreaterThan(0);
    const chart = page.getByRole("img", { name: "Valor recuperado por semana e canal" });
    await chart.waitFor();
    await page.getByText("Ver os números em tabela").click();
    for (const row of truth.rows)
      expect(await text(`recovery-${row.week}-total`), row.week).toBe(brl(row.cents));
    const weeks = await page.getByTestId("recovery-table").locator("tbody tr").count();
    expect(weeks).toBe(12);
  });

  it("shows what the régua recovered this month and its rate, as the recovery report says", async () => {
    const report = await runReport(
      dashboard.handle.db,
      tenant,
      "recovery",
      ZReportQuery.parse({ from: "2026-11-01", to: TODAY, groupBy: "phase" }),
      TODAY,
    );
    const totals = report.totals!;
    await page.goto(dashboard.url(""));
    const tile = page.getByTestId("recovered-this-month");
    await tile.getByText("Recuperado pela régua no mês").waitFor();
    await expect
      .poll(() => text("recovered-this-month-cents"), { timeout: 15_000 })
      .toBe(brl(Number(totals.recoveredPaymentsCents)));
    const rate = totals.recoveryRate;
    const percent = new Intl.NumberFormat("pt-BR", { style: "percent", maximumFractionDigits: 1 });
    const expected =
      typeof rate === "number"
        ? `taxa de recuperação ${percent.format(rate / 10000)}`
        : "nenhuma mensagem enviada no mês";
    expect(await text("recovered-this-month-rate")).toBe(expected.replace(/\s/g, " "));
  });

  it("has no serious or critical accessibility problem", async () => {
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it("leaves no error in the browser's console", () => {
    expect(consoleErrors).toEqual([]);
  });
});

describe("the customer view", () => {
  it("shows the badges, today's amounts and one timeline with the message as it was sent", async () => {
    await page.goto(dashboard.url(`clientes/${debtor.id}`));
    await page.getByRole("heading", { name: debtor.name, level: 1 }).waitFor();
    expect(await text("badge-overdue")).toMatch(/faturas? vencidas?/);
    // the CPF/CNPJ as people write it (529.982.247-25, 11.222.333/0001-81), not bare digits
    expect(await text("document")).toMatch(/^(\d{3}\.\d{3}\.\d{3}-\d{2}|\w{2}\.\w{3}\.\w{3}\/\w{4}-\d{2})$/);
    const timeline = page.getByTestId("timeline");
    await timeline.getByText("Sua fatura está em atraso").waitFor();
    expect(
      await timeline.getByText("Olá! Sua fatura da Empresa Demonstração venceu.", { exact: false }).count(),
    ).toBe(1);
    expect(
      await timeline.locator('li[data-kind="payment"], li[data-kind="message"]').count(),
    ).toBeGreaterThan(0);
    // the portal's request for another plan, in words, with its price and where it stands
    await timeline.getByText("Pediu pelo portal a troca do plano: Fibra 300 → Fibra 500").waitFor();
    expect(
      await timeline
        .getByText(`Preço mensal do plano pedido: ${brl(149_90)} · aguardando a decisão do credor`)
        .count(),
    ).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it("logs a call with a promise to pay, which appears on the timeline and is stored", async () => {
    await page.getByLabel("Resultado").selectOption("answered");
    await page.getByLabel("Anotações da ligação").fill("Disse que recebe na sexta");
    await page.getByLabel("Prometeu pagar").check();
    await page.getByLabel("Data prometida").fill("2026-11-27");
    await page.getByLabel("Valor prometido (R$)").fill("150,00");
    await page.getByRole("button", { name: "Registrar ligação" }).click();
    await page.getByText("Ligação registrada.").waitFor();
    const timeline = page.getByTestId("timeline");
    await timeline.getByText("Ligação: Atendeu").waitFor();
    expect(await timeline.getByText(`Promessa de pagar ${brl(15_000)} em 27/11/2026`).count()).toBe(1);
    const stored = await dashboard.handle.db
      .selectFrom("customer_interactions")
      .select(["kind", "outcome", "promised_on", "promised_cents", "operator_id"])
      .where("tenant_id", "=", tenant.id)
      .where("customer_id", "=", debtor.id)
      .execute();
    expect(stored).toEqual([
      {
        kind: "call",
        outcome: "answered",
        promised_on: "2026-11-27",
        promised_cents: 15_000,
        operator_id: dashboard.operator.id,
      },
    ]);
  });

  it("pauses collection until a day, shown as a badge and on the timeline", async () => {
    await page.getByLabel("Pausar até").fill("2026-12-10");
    await page.getByLabel("Motivo", { exact: true }).fill("Cliente internado; retomar depois");
    await page.getByRole("button", { name: "Pausar cobrança" }).click();
    await page.getByText("Cobrança pausada até 10/12/2026.", { exact: false }).first().waitFor();
    expect(await text("badge-paused")).toBe("Cobrança pausada até 10/12/2026");
    await page.getByTestId("timeline").getByText("Cliente internado; retomar depois").waitFor();
    const pauses = await dashboard.handle.db
      .selectFrom("customer_pauses")
      .select(["kind", "until", "reason"])
      .where("tenant_id", "=", tenant.id)
      .where("customer_id", "=", debtor.id)
      .execute();
    expect(pauses).toEqual([
      { kind: "pause", until: "2026-12-10", reason: "Cliente internado; retomar depois" },
    ]);
  });

  it("makes an agreement: the terms, the server's simulation, create, its page", async () => {
    await page.getByRole("button", { name: "Negociar as faturas vencidas" }).click();
    await page.getByLabel("Número de parcelas").waitFor({ timeout: 15_000 });
    await page.getByLabel("Número de parcelas").fill("2");
    await page.getByLabel("Desconto sobre o principal (%)").fill("0");
    await page.getByLabel("Dispensar a multa", { exact: false }).uncheck();
    await page.getByLabel("Dispensar os juros de mora", { exact: false }).uncheck();
    await page.getByRole("button", { name: "Simular" }).click();
    const simulation = page.getByTestId("agreement-simulation");
    await simulation.waitFor({ timeout: 15_000 });
    // no down payment: two installments, the last one's rounding cent said, not hidden. The debt is
    // September's and October's 199,90 with fine and interest; November's, due on Friday 20/11
    // (Black Consciousness Day), may still be paid today without charges and is not overdue
    const amounts = (await simulation.locator("tbody tr td.number").allInnerTexts()).map((value) =>
      value.replace(/\s/g, " "),
    );
    expect(amounts).toEqual(["R$ 207,17", "R$ 207,16"]);
    expect(await text("agreement-simulation-total")).toBe("R$ 414,33");
    await page.getByRole("button", { name: "Criar acordo" }).click();
    await page.waitForURL(/\/app\/acordos\//, { timeout: 15_000 });
    // the two agreements of the fixtures are nº 1 and 2
    await page.getByRole("heading", { name: "Acordo nº 3", level: 1 }).waitFor();
    const created = await dashboard.handle.db
      .selectFrom("agreements")
      .select(["status", "created_by"])
      .where("tenant_id", "=", tenant.id)
      .where("customer_id", "=", debtor.id)
      .where("status", "=", "proposed")
      .execute();
    expect(created).toEqual([{ status: "proposed", created_by: `operator:${dashboard.operator.id}` }]);
    await page.getByRole("link", { name: "Voltar ao cliente" }).click();
    await page.getByTestId("timeline").getByText("Acordo nº 3 proposto", { exact: false }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it("gives a portal link to read out or paste, copied with one click, that opens the portal", async () => {
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: dashboard.server.url,
    });
    await page.getByRole("button", { name: "Gerar link do portal" }).click();
    const url = await page.getByLabel("Link para o cliente").inputValue();
    expect(url).toMatch(/\/portal\/entrar/);
    await page.getByText("Vale até", { exact: false }).waitFor();
    await page.getByRole("button", { name: "Copiar link" }).click();
    await page.getByText("Link copiado.").waitFor();
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(url);
    // the link leads to the identity check of this customer's portal
    const entry = await fetch(url.replace(/^https?:\/\/[^/]+/, dashboard.server.url));
    expect(entry.status).toBe(200);
    expect(await entry.text()).toContain("CPF");
  });

  it("shortens the pause by choosing another day, then lifts it", async () => {
    await page.getByText("Pausada até 10/12/2026. Escolha outra data", { exact: false }).waitFor();
    await page.getByLabel("Pausar até").fill("2026-11-30");
    await page.getByLabel("Motivo", { exact: true }).fill("Alta antecipada");
    await page.getByRole("button", { name: "Mudar a data da pausa" }).click();
    await expect
      .poll(() => text("badge-paused"), { timeout: 10_000 })
      .toBe("Cobrança pausada até 30/11/2026");
    await page.getByRole("button", { name: "Encerrar a pausa agora" }).click();
    await page.getByText("Pausa encerrada", { exact: false }).waitFor();
    await expect.poll(() => page.getByTestId("badge-paused").count(), { timeout: 10_000 }).toBe(0);
  });
});
