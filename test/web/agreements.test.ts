import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proposeAgreement } from "../../src/modules/agreements/agreement.service.ts";
import { createOperator } from "../../src/modules/operators/operator.service.ts";
import { settlePayment } from "../../src/modules/payments/payment.service.ts";
import { tenantFromRow } from "../../src/modules/tenants/tenant.service.ts";
import { apiTenant } from "../support/api-fixtures.ts";
import { launchBrowser, type TestBrowser } from "../support/browser.ts";
import { insertDebtor } from "../support/message-fixtures.ts";
import {
  type Dashboard,
  OPERATOR_PASSWORD,
  seriousAxeViolations,
  signIn,
  startDashboard,
} from "./support.ts";

/**
 * An analyst makes an agreement in the dashboard as on a working day (Monday 2026-11-23): chooses
 * the invoices, a down payment typed the Brazilian way, 3 installments and a discount; is refused
 * beside the field when the discount passes the analyst's limit (10%); sees the server's simulation;
 * creates it; opens the agreement page ("Acordo nº 1 — parcela 2/3") and cancels it with a reason.
 * A viewer sees neither the form nor the cancel.
 */
let dashboard: Dashboard;
let browser: TestBrowser;
let page: Page;
let debtor: { customerId: string; invoiceIds: string[] };
let agreementId: string;

const money = new Intl.NumberFormat("pt-BR", { style: "currency", currency: "BRL" });
const brl = (cents: number) => money.format(cents / 100).replace(/\s/g, " ");
const clean = (value: string | null) => (value ?? "").replace(/\s/g, " ").trim();

beforeAll(async () => {
  dashboard = await startDashboard({
    role: "analyst",
    seed: async (handle) => {
      const tenant = await apiTenant(handle);
      debtor = await insertDebtor(handle.db, tenant.id, {
        name: "Marina Acordo",
        phone: "+5511977778888",
        invoices: [
          { description: "Mensalidade outubro", amountCents: 2_000_00, dueDate: "2026-10-20" },
          { description: "Mensalidade novembro", amountCents: 3_000_00, dueDate: "2026-11-10" },
        ],
      });
      return tenant;
    },
  });
  browser = await launchBrowser();
  const context = await browser.newContext();
  page = await context.newPage();
  await signIn(page, dashboard, `clientes/${debtor.customerId}`);
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
});

describe("making an agreement on the customer page", () => {
  it("offers the overdue invoices with today's amounts and the analyst's limits", async () => {
    await page.getByRole("heading", { name: "Marina Acordo", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Negociar as faturas vencidas" }).click();
    const invoices = page.getByRole("group", { name: "Faturas do acordo" });
    await invoices.getByRole("checkbox").first().waitFor({ timeout: 15_000 });
    expect(await invoices.getByRole("checkbox").count()).toBe(2);
    // the amounts of the day are the customer page's (the open-debt model), not the face values
    const todayOctober = clean(await page.getByTestId("invoice-total-today").last().textContent());
    expect(clean(await invoices.getByText("Mensalidade outubro", { exact: false }).textContent())).toContain(
      `hoje ${todayOctober}`,
    );
    await page.getByText("até 24 parcelas para o seu perfil", { exact: false }).waitFor();
  });

  it("refuses bad input and a discount over the limit beside the field, in words", async () => {
    await page.getByLabel("Entrada (R$)").fill("mil reais");
    await page.getByLabel("Número de parcelas").fill("3");
    await page.getByRole("button", { name: "Simular" }).click();
    const downError = page.locator("#downPaymentCents-error");
    expect(clean(await downError.textContent())).toBe("Informe um valor em reais, por exemplo 1.500,00");
    expect(await page.getByLabel("Entrada (R$)").getAttribute("aria-invalid")).toBe("true");

    await page.getByLabel("Entrada (R$)").fill("1.500,00");
    await page.getByLabel("Primeiro vencimento").fill("2026-11-30");
    await page.getByLabel("Dia do vencimento das parcelas seguintes").fill("10");
    await page.getByLabel("Desconto sobre o principal (%)").fill("15");
    await page.getByRole("button", { name: "Simular" }).click();
    const discountError = page.locator("#principalDiscountBps-error");
    await discountError.waitFor({ timeout: 15_000 });
    expect(clean(await discountError.textContent())).toBe("desconto de no máximo 10% para este perfil");
    expect(await page.getByLabel("Desconto sobre o principal (%)").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByRole("button", { name: "Criar acordo" }).count()).toBe(0);
    expect(await page.getByTestId("agreement-simulation").count()).toBe(0);
  });

  it("shows the server's simulation: each payment with its date and amount, the concessions, the total", async () => {
    await page.getByLabel("Desconto sobre o principal (%)").fill("5");
    await expect.poll(() => page.locator("#principalDiscountBps-error").count(), { timeout: 5_000 }).toBe(0);
    await page.getByRole("button", { name: "Simular" }).click();
    const simulation = page.getByTestId("agreement-simulation");
    await simulation.waitFor({ timeout: 15_000 });
    const rows = await simulation.locator("tbody tr").allInnerTexts();
    expect(rows.map((row) => row.split("\t").slice(0, 2).join(" | "))).toEqual([
      "entrada | 30/11/2026",
      "parcela 1/3 | 10/12/2026",
      "parcela 2/3 | 10/01/2027",
      "parcela 3/3 | 10/02/2027",
    ]);
    expect(clean(rows[0]!.split("\t")[2]!)).toBe(brl(1_500_00));
    // 5% of the principal 5.000,00
    await simulation.getByText("Desconto no principal").waitFor();
    expect(clean(await simulation.getByText(`− ${brl(250_00)}`).textContent())).toBe(`− ${brl(250_00)}`);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it("changing a term takes the simulation away until it is simulated again", async () => {
    await page.getByLabel("Dia do vencimento das parcelas seguintes").fill("11");
    expect(await page.getByTestId("agreement-simulation").count()).toBe(0);
    await page.getByLabel("Dia do vencimento das parcelas seguintes").fill("10");
    await page.getByRole("button", { name: "Simular" }).click();
    await page.getByTestId("agreement-simulation").waitFor({ timeout: 15_000 });
  });

  it("creates what was simulated and opens the agreement page", async () => {
    const simulation = page.getByTestId("agreement-simulation");
    const shownAmounts = (await simulation.locator("tbody tr td.number").allInnerTexts()).map(clean);
    const shownTotal = clean(await page.getByTestId("agreement-simulation-total").textContent());
    await page.getByRole("button", { name: "Criar acordo" }).click();
    await page.waitForURL(/\/app\/acordos\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    agreementId = page.url().split("/").pop()!;
    await page.getByRole("heading", { name: "Acordo nº 1", level: 1 }).waitFor();

    const stored = await dashboard.handle.db
      .selectFrom("agreements")
      .select(["number", "status", "total_cents", "terms", "created_by"])
      .where("tenant_id", "=", dashboard.tenant.id)
      .where("id", "=", agreementId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      number: 1,
      status: "proposed",
      created_by: `operator:${dashboard.operator.id}`,
      terms: expect.objectContaining({
        downPaymentCents: 1_500_00,
        installments: 3,
        principalDiscountBps: 500,
        firstDueDate: "2026-11-30",
        dayOfMonth: 10,
      }),
    });
    expect(brl(Number(stored.total_cents))).toBe(shownTotal);
    const installments = await dashboard.handle.db
      .selectFrom("agreement_installments")
      .select(["number", "amount_cents"])
      .where("tenant_id", "=", dashboard.tenant.id)
      .where("agreement_id", "=", agreementId)
      .orderBy("number")
      .execute();
    expect(installments.map((row) => brl(Number(row.amount_cents)))).toEqual(shownAmounts);
  });

  it("shows the number, status with its history, the installments by name and the calendar", async () => {
    expect(clean(await page.getByTestId("agreement-status").textContent())).toBe("Proposto");
    expect(await page.getByTestId("agreement-history").locator("li").allInnerTexts()).toEqual([
      "Proposto em 23/11/2026",
    ]);
    const rows = page.getByTestId("agreement-installments").locator("tbody tr th");
    expect((await rows.allInnerTexts()).map(clean)).toEqual([
      "Acordo nº 1 — entrada",
      "Acordo nº 1 — parcela 1/3",
      "Acordo nº 1 — parcela 2/3",
      "Acordo nº 1 — parcela 3/3",
    ]);
    await page.getByText("Nenhum pagamento recebido ainda.").waitFor();
    const calendar = page.getByRole("link", { name: "Baixar as parcelas para o calendário (ICS)" });
    const ics = await page.request.get(new URL((await calendar.getAttribute("href"))!, page.url()).href);
    expect(ics.status()).toBe(200);
    expect(ics.headers()["content-type"]).toContain("text/calendar");
    expect((await ics.text()).match(/BEGIN:VEVENT/g)).toHaveLength(4);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it("reads at 1366, 768 and 390 px: no serious accessibility problem, no sideways scroll at 768", async () => {
    const size = page.viewportSize()!;
    try {
      for (const width of [1366, 768, 390]) {
        await page.setViewportSize({ width, height: 900 });
        expect(await seriousAxeViolations(page), `${width} px`).toEqual([]);
        if (width === 768) {
          const overflow = await page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth",
          );
          expect(overflow, "horizontal overflow at 768 px").toBeLessThanOrEqual(0);
        }
      }
    } finally {
      await page.setViewportSize(size);
    }
  });

  it("cancels with a reason after a confirmation; the history and the audit log keep it", async () => {
    await page.getByLabel("Motivo do cancelamento").fill("Cliente vai quitar à vista na semana que vem");
    await page.getByRole("button", { name: "Cancelar acordo" }).click();
    const question = page.getByRole("alertdialog", {
      name: "Cancelar o acordo nº 1? Não é possível desfazer.",
    });
    await question.waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await question.getByRole("button", { name: "Sim, cancelar o acordo nº 1" }).click();
    await expect
      .poll(async () => clean(await page.getByTestId("agreement-status").textContent()), { timeout: 15_000 })
      .toBe("Cancelado");
    const history = page.getByTestId("agreement-history");
    await history.getByText("Cancelado em 23/11/2026").waitFor();
    await history.getByText("Cliente vai quitar à vista na semana que vem", { exact: false }).waitFor();
    expect(await page.getByRole("button", { name: "Cancelar acordo" }).count()).toBe(0);
    const audit = await dashboard.handle.db
      .selectFrom("audit_log")
      .select(["actor_kind", "actor_id", "resource_type", "resource_id"])
      .where("tenant_id", "=", dashboard.tenant.id)
      .where("action", "like", "%/cancel")
      .execute();
    expect(audit).toEqual([
      {
        actor_kind: "operator",
        actor_id: dashboard.operator.id,
        resource_type: "agreement",
        resource_id: agreementId,
      },
    ]);
  });

  it("is linked from the customer page and the timeline by its number", async () => {
    await page.getByRole("link", { name: "Voltar ao cliente" }).click();
    await page.getByRole("heading", { name: "Marina Acordo", level: 1 }).waitFor();
    const list = page.getByTestId("customer-agreements");
    expect(clean(await list.textContent())).toContain(`Acordo nº 1 Cancelado: total`);
    // its installments in the invoice table are named by the agreement, not by a generated code
    await page.getByRole("table").getByRole("link", { name: "Acordo nº 1 — parcela 2/3" }).waitFor();
    expect(await page.getByText(/acordo-[0-9a-f]{8}-/).count()).toBe(0);
    const timeline = page.getByTestId("timeline");
    await timeline.getByText("Acordo nº 1 cancelado", { exact: false }).waitFor({ timeout: 15_000 });
    await timeline.getByRole("link", { name: "Ver o acordo" }).first().click();
    await page.getByRole("heading", { name: "Acordo nº 1", level: 1 }).waitFor();
  });
});

describe("a viewer", () => {
  it("sees the agreements but no action to make or cancel one", async () => {
    const { db } = dashboard.handle;
    const tenant = tenantFromRow(
      await db
        .selectFrom("tenants")
        .selectAll()
        .where("id", "=", dashboard.tenant.id)
        .executeTakeFirstOrThrow(),
    );
    const proposed = await proposeAgreement(
      db,
      tenant,
      {
        customerId: debtor.customerId,
        terms: { invoiceIds: debtor.invoiceIds, installments: 2, dayOfMonth: 10 },
        actor: { kind: "operator", id: dashboard.operator.id, role: "analyst" },
      },
      dashboard.clock,
    );
    // the debtor pays the first installment by Pix: the agreement becomes active
    const first = proposed.installments[0]!;
    await settlePayment(
      db,
      tenant,
      {
        source: "api",
        idempotencyKey: "pix-parcela-1",
        invoiceId: first.invoiceId,
        amountCents: first.amountCents,
        method: "pix",
        paidAt: new Date("2026-11-23T13:00:00Z"),
      },
      dashboard.clock.now(),
    );
    const email = `leitura@${dashboard.tenant.slug}.com.br`;
    await createOperator(db, tenant.id, {
      email,
      name: "Vera Leitora",
      role: "viewer",
      password: OPERATOR_PASSWORD,
    });
    const context = await browser.newContext();
    const viewerPage = await context.newPage();
    await signIn(
      viewerPage,
      { ...dashboard, operator: { id: "", email, password: OPERATOR_PASSWORD } },
      `clientes/${debtor.customerId}`,
    );
    await viewerPage.getByRole("heading", { name: "Marina Acordo", level: 1 }).waitFor();
    await viewerPage.getByTestId("customer-agreements").getByRole("link", { name: "Acordo nº 2" }).waitFor();
    expect(await viewerPage.getByRole("button", { name: "Negociar as faturas vencidas" }).count()).toBe(0);
    expect(await viewerPage.getByRole("heading", { name: "Fazer acordo" }).count()).toBe(0);
    // the payment on the timeline names the installment, not its generated code
    await viewerPage
      .getByTestId("timeline")
      .getByText(`Pagamento de ${brl(first.amountCents)} (Acordo nº 2 — parcela 1/2)`, { exact: false })
      .waitFor({ timeout: 15_000 });

    await viewerPage.goto(dashboard.url(`acordos/${proposed.id}`));
    await viewerPage.getByRole("heading", { name: "Acordo nº 2", level: 1 }).waitFor();
    expect(clean(await viewerPage.getByTestId("agreement-status").textContent())).toBe("Ativo");
    expect(await viewerPage.getByTestId("agreement-history").locator("li").allInnerTexts()).toEqual([
      "Proposto em 23/11/2026",
      "Ativo em 23/11/2026",
    ]);
    const payments = viewerPage.getByTestId("agreement-payments").locator("tbody tr");
    expect((await payments.allInnerTexts()).map(clean)).toEqual([
      `23/11/2026 parcela 1/2 Pix ${brl(first.amountCents)}`,
    ]);
    expect(await viewerPage.getByRole("button", { name: "Cancelar acordo" }).count()).toBe(0);
    expect(await viewerPage.getByLabel("Motivo do cancelamento").count()).toBe(0);
    await context.close();
  });
});
