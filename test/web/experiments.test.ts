import { sql } from "kysely";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { experimentResults, startExperiment } from "../../src/modules/experiments/experiment.service.ts";
import { createOperator } from "../../src/modules/operators/operator.service.ts";
import { listPolicies } from "../../src/modules/policies/policy.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { apiTenant } from "../support/api-fixtures.ts";
import { launchBrowser, type TestBrowser } from "../support/browser.ts";
import { payShareOfEachArm } from "../support/experiment-fixtures.ts";
import {
  type Dashboard,
  OPERATOR_PASSWORD,
  seriousAxeViolations,
  signIn,
  startDashboard,
} from "./support.ts";

/**
 * An admin opens the experiments page on 2026-11-23: "Régua contra nada" started on 2026-09-01 with a
 * 20% holdout over 1,000 customers, one R$ 100,00 invoice each due on 2026-09-10, and a planted
 * effect — the reminded pay 60%, the held out 30%. The page shows both arms, an uplift of about
 * +30 p.p. whose 95% interval excludes zero (and +R$ 30 per invoice), the sample-size note, and the
 * stop; a refused start shows its reason beside the field. A viewer sees neither stop nor form.
 */
const CUSTOMERS = 1_000;
let dashboard: Dashboard;
let browser: TestBrowser;
let page: Page;
let tenant: Tenant;
let experimentId: string;

const clean = (value: string | null) => (value ?? "").replace(/\s/g, " ").trim();
const points = new Intl.NumberFormat("pt-BR", {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
  signDisplay: "exceptZero",
});
const pp = (difference: number) => `${points.format(difference * 100)} p.p.`;

beforeAll(async () => {
  dashboard = await startDashboard({
    seed: async (handle) => {
      tenant = await apiTenant(handle);
      await sql`
        insert into customers (tenant_id, external_id, name, document, kind)
        select ${tenant.id}::uuid, 'c' || n, 'Cliente ' || n, lpad(n::text, 11, '0'), 'person'
        from generate_series(1, ${CUSTOMERS}) as n`.execute(handle.db);
      const [policy] = await listPolicies(handle.db, tenant.id);
      const experiment = await startExperiment(
        handle.db,
        tenant,
        { name: "Régua contra nada", controlPolicyId: policy!.id, holdoutPercent: 20 },
        new FixedClock("2026-09-01T12:00:00Z"),
      );
      experimentId = experiment.id;
      await sql`
        insert into invoices (tenant_id, external_id, customer_id, amount_cents, issue_date, due_date)
        select c.tenant_id, c.external_id || '-1', c.id, 10000, '2026-08-20', '2026-09-10' from customers c
        where c.tenant_id = ${tenant.id}::uuid`.execute(handle.db);
      await payShareOfEachArm(handle.db, tenant.id, "2026-09-15T15:00:00Z", { control: 6, holdout: 3 });
      return tenant;
    },
  });
  browser = await launchBrowser();
  const context = await browser.newContext();
  page = await context.newPage();
  await signIn(page, dashboard, "experimentos");
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
});

describe("the experiments pages", () => {
  it("lists the experiment with its status and its régua", async () => {
    await page.getByRole("heading", { name: "Experimentos", level: 1 }).waitFor();
    const row = page.getByRole("row", { name: /Régua contra nada/ });
    await row.waitFor({ timeout: 15_000 });
    expect(clean(await row.textContent())).toContain("Em andamento");
    expect(clean(await row.textContent())).toContain("20%");
    expect(clean(await row.textContent())).toContain("01/09/2026");
    for (const width of [1366, 390]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await seriousAxeViolations(page)).toEqual([]);
    }
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it("shows the arms, the uplift with its 95% interval and the sample-size note", async () => {
    await page.getByRole("link", { name: "Régua contra nada" }).click();
    await page.getByRole("heading", { name: "Régua contra nada", level: 1 }).waitFor({ timeout: 15_000 });
    const expected = await experimentResults(dashboard.handle.db, tenant, experimentId, dashboard.clock);
    const comparison = expected.comparisons.find((entry) => entry.name === "control_vs_holdout")!;
    // the planted effect (30 points) is detected: the interval excludes zero
    expect(comparison.rate.low).toBeGreaterThan(0.15);
    const arms = page.getByRole("table", { name: "Recuperação por grupo" });
    const control = expected.arms.find((arm) => arm.arm === "control")!;
    const controlRow = clean(await arms.getByRole("row", { name: /Controle/ }).textContent());
    expect(controlRow).toContain(String(control.invoices));
    expect(controlRow).toContain(`R$ ${(control.recoveredCents / 100).toLocaleString("pt-BR")},00`);
    expect(await arms.getByRole("row", { name: /Holdout/ }).count()).toBe(1);

    const card = page.getByTestId("comparison-control_vs_holdout");
    const rate = clean(await card.getByTestId("rate-uplift").textContent());
    expect(rate).toContain(pp(comparison.rate.difference));
    expect(rate).toContain(`IC 95%: ${pp(comparison.rate.low)} a ${pp(comparison.rate.high)}`);
    expect(rate).toContain("p < 0,001");
    expect(rate).toContain("diferença significativa");
    expect(rate).not.toContain("sem diferença");
    const amount = clean(await card.getByTestId("amount-uplift").textContent());
    expect(amount).toMatch(/^\+R\$ \d+,\d\d \(IC 95%: \+R\$ \d+,\d\d a \+R\$ \d+,\d\d\)/);
    expect(clean(await card.getByTestId("sample-note").textContent())).toBe(comparison.note);
    expect(comparison.note).toMatch(/faturas/);
  });

  it("reads at 1366 and 390 px with no serious accessibility problem", async () => {
    for (const width of [1366, 390]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await seriousAxeViolations(page)).toEqual([]);
    }
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it("an admin stops it: the status turns to Encerrado and the button goes away", async () => {
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Encerrar experimento" }).click();
    await page.getByRole("status").filter({ hasText: "Experimento encerrado." }).waitFor({ timeout: 15_000 });
    await page.getByText("Encerrado", { exact: true }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole("button", { name: "Encerrar experimento" }).count()).toBe(0);
    const row = await dashboard.handle.db
      .selectFrom("experiments")
      .select(["status", "stopped_on"])
      .where("tenant_id", "=", tenant.id)
      .where("id", "=", experimentId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "stopped", stopped_on: "2026-11-23" });
  });

  it("refuses a holdout over 50% beside the field, then starts a valid experiment", async () => {
    await page.getByRole("link", { name: "Voltar aos experimentos" }).click();
    await page.getByRole("heading", { name: "Novo experimento" }).waitFor({ timeout: 15_000 });
    await page.getByLabel("Nome").fill("Holdout grande");
    await page.getByLabel(/^Holdout/).fill("60");
    await page.getByRole("button", { name: "Iniciar experimento" }).click();
    const error = page.locator("#holdoutPercent-error");
    await error.waitFor({ timeout: 15_000 });
    expect(clean(await error.textContent())).toBe("use de 0 a 50");
    expect(await page.getByLabel(/^Holdout/).getAttribute("aria-invalid")).toBe("true");
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByLabel(/^Holdout/).fill("10");
    await page.getByRole("button", { name: "Iniciar experimento" }).click();
    await page
      .getByText(`Experimento "Holdout grande" iniciado com ${CUSTOMERS} clientes sorteados.`)
      .waitFor({ timeout: 15_000 });
    await page.getByRole("row", { name: /Holdout grande/ }).waitFor({ timeout: 15_000 });
    expect(await page.locator("#holdoutPercent-error").count()).toBe(0);
  });

  it("a viewer sees the results but neither the stop nor the form", async () => {
    const running = await dashboard.handle.db
      .selectFrom("experiments")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .where("status", "=", "running")
      .executeTakeFirstOrThrow();
    const email = `leitora@${dashboard.tenant.slug}.com.br`;
    await createOperator(dashboard.handle.db, tenant.id, {
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
      `experimentos/${running.id}`,
    );
    await viewerPage.getByRole("heading", { name: "Holdout grande", level: 1 }).waitFor({ timeout: 15_000 });
    await viewerPage.getByText("Em andamento", { exact: true }).waitFor();
    expect(await viewerPage.getByRole("button", { name: "Encerrar experimento" }).count()).toBe(0);
    await viewerPage.getByRole("link", { name: "Voltar aos experimentos" }).click();
    await viewerPage.getByRole("row", { name: /Régua contra nada/ }).waitFor({ timeout: 15_000 });
    expect(await viewerPage.getByRole("heading", { name: "Novo experimento" }).count()).toBe(0);
    await context.close();
  });
});
