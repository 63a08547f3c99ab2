import { sql } from "kysely";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaignResults } from "../../src/modules/campaigns/campaign.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { apiTenant } from "../support/api-fixtures.ts";
import { launchBrowser, type TestBrowser } from "../support/browser.ts";
import { type Dashboard, seriousAxeViolations, signIn, startDashboard } from "./support.ts";

/**
 * An admin opens the campaigns page on 2026-11-23 over 40 customers, each owing one R$ 500,00
 * invoice due on 2026-09-10: a date in the past and a discount beyond the admin's 30% are refused
 * beside their fields; a valid campaign is created and its page shows both arms and the uplift.
 */
const CUSTOMERS = 40;
let dashboard: Dashboard;
let browser: TestBrowser;
let page: Page;
let tenant: Tenant;

const clean = (value: string | null) => (value ?? "").replace(/\s/g, " ").trim();

beforeAll(async () => {
  dashboard = await startDashboard({
    seed: async (handle) => {
      tenant = await apiTenant(handle);
      await sql`
        insert into customers (tenant_id, external_id, name, document, kind)
        select ${tenant.id}::uuid, 'c' || n, 'Cliente ' || n, lpad(n::text, 11, '0'), 'person'
        from generate_series(1, ${CUSTOMERS}) as n`.execute(handle.db);
      await sql`
        insert into invoices (tenant_id, external_id, customer_id, amount_cents, issue_date, due_date)
        select c.tenant_id, c.external_id || '-1', c.id, 50000, '2026-08-20', '2026-09-10' from customers c
        where c.tenant_id = ${tenant.id}::uuid`.execute(handle.db);
      return tenant;
    },
  });
  browser = await launchBrowser();
  const context = await browser.newContext();
  page = await context.newPage();
  await signIn(page, dashboard, "campanhas");
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
});

describe("the campaigns pages", () => {
  it("refuses a date in the past and a discount beyond the limits beside the field, then creates the campaign", async () => {
    await page.getByRole("heading", { name: "Nova campanha" }).waitFor({ timeout: 15_000 });
    await page.getByLabel("Nome", { exact: true }).fill("Atrasados 60+");
    await page.getByLabel("Dias de atraso, de", { exact: true }).fill("60");
    await page.getByLabel("Desconto sobre o principal (%)").fill("20");
    await page.getByLabel("Válida até").fill("2026-11-20");
    await page.getByLabel("Grupo de controle, holdout (%)").fill("30");
    await page.getByRole("button", { name: "Criar e enviar" }).click();
    const dateError = page.locator('[id="validUntil-error"]');
    await dateError.waitFor({ timeout: 15_000 });
    // beside its field, the reason without the field's label (the label is right there)
    expect(clean(await dateError.textContent())).toBe("escolha uma data depois de hoje (23/11/2026)");
    expect(await page.getByLabel("Válida até").getAttribute("aria-invalid")).toBe("true");

    await page.getByLabel("Válida até").fill("2026-12-15");
    await page.getByLabel("Desconto sobre o principal (%)").fill("50");
    await page.getByRole("button", { name: "Criar e enviar" }).click();
    const discountError = page.locator('[id="offer.principalDiscountBps-error"]');
    await discountError.waitFor({ timeout: 15_000 });
    expect(clean(await discountError.textContent())).toMatch(/^desconto de no máximo 30%/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await dashboard.handle.db.selectFrom("campaigns").select("id").execute()).toEqual([]);

    await page.getByLabel("Desconto sobre o principal (%)").fill("20");
    await page.getByRole("button", { name: "Contar sem enviar" }).click();
    await page
      .getByText(`${CUSTOMERS} de ${CUSTOMERS} clientes recebem a oferta ou entram no holdout`)
      .waitFor({ timeout: 15_000 });
    await page.getByRole("button", { name: "Criar e enviar" }).click();
    await page.getByText(/^Campanha criada: oferta agendada para \d+ clientes/).waitFor({ timeout: 15_000 });
    const row = page.getByRole("row", { name: /Atrasados 60\+/ });
    await row.waitFor({ timeout: 15_000 });
    expect(clean(await row.textContent())).toContain(
      "pagamento à vista, 20% de desconto sobre o valor principal",
    );
    expect(clean(await row.textContent())).toContain("15/12/2026");
  });

  it("shows each arm and the uplift over the holdout with its 95% interval", async () => {
    await page.getByRole("link", { name: "Atrasados 60+" }).click();
    await page.getByRole("heading", { name: "Atrasados 60+", level: 1 }).waitFor({ timeout: 15_000 });
    const campaign = await dashboard.handle.db
      .selectFrom("campaigns")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .executeTakeFirstOrThrow();
    const expected = await campaignResults(dashboard.handle.db, tenant, campaign.id, dashboard.clock);
    const offer = expected.arms.find((arm) => arm.arm === "offer")!;
    const holdout = expected.arms.find((arm) => arm.arm === "holdout")!;
    expect(offer.customers + holdout.customers).toBe(CUSTOMERS);
    const arms = page.getByRole("table", { name: "Clientes, aceites e recuperação por grupo" });
    expect(clean(await arms.getByRole("row", { name: /^Oferta/ }).textContent())).toContain(
      String(offer.customers),
    );
    expect(clean(await arms.getByRole("row", { name: /^Holdout/ }).textContent())).toContain(
      String(holdout.customers),
    );
    const rate = clean(await page.getByTestId("rate-uplift").textContent());
    expect(rate).toContain("IC 95%");
    expect(rate).toContain("não significativo");
    for (const width of [1366, 390]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await seriousAxeViolations(page)).toEqual([]);
    }
  });
});
