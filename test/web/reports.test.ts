import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { addCustomer, addInvoice } from "../scenarios/regua-support.ts";
import { apiTenant } from "../support/api-fixtures.ts";
import { launchBrowser, type TestBrowser } from "../support/browser.ts";
import { parseCsv } from "../support/csv.ts";
import { type Dashboard, seriousAxeViolations, signedInPage, startDashboard } from "./support.ts";

let dashboard: Dashboard;
let browser: TestBrowser;

beforeAll(async () => {
  dashboard = await startDashboard({
    seed: async (handle) => {
      const tenant = await apiTenant(handle);
      const customer = await addCustomer(handle.db, tenant);
      await addInvoice(handle.db, tenant, customer, "2026-10-15", 300_00);
      // Wednesday the 18th: overdue on the 23rd (the 20th, a national holiday, would be payable
      // until Monday the 23rd and not overdue yet — Lei 7.089/1983)
      await addInvoice(handle.db, tenant, customer, "2026-11-18", 45_50);
      return tenant;
    },
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
});

it("shows the oldest charges first and exports them as CSV and XLSX that read back the same", async () => {
  const { context, page } = await signedInPage(browser, dashboard, "relatorios");
  await page.getByRole("heading", { name: "Relatórios", level: 1 }).waitFor();
  await page.getByLabel("Relatório").selectOption({ label: "Cobranças mais antigas" });
  const table = page.getByRole("table");
  await table.getByRole("cell", { name: "39" }).waitFor();
  // Intl writes "R$" and the amount apart with a no-break space
  const rows = (await table.locator("tbody tr").allTextContents()).map((row) =>
    row.replaceAll("\u00a0", " "),
  );
  expect(rows[0]).toContain("15/10/2026");
  expect(rows[0]).toContain("R$ 300,00");
  expect(rows[1]).toContain("18/11/2026");
  expect(await seriousAxeViolations(page)).toEqual([]);

  const [csvDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Baixar CSV" }).click(),
  ]);
  expect(csvDownload.suggestedFilename()).toMatch(
    /^relatorio-cobrancas-mais-antigas-\d{4}-\d{2}-\d{2}-a-\d{4}-\d{2}-\d{2}\.csv$/,
  );
  const bytes = readFileSync((await csvDownload.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csv = parseCsv(bytes.subarray(3).toString("utf8"));
  const header = csv[0]!;
  expect(csv[1]![header.indexOf("Vencimento")]).toBe("15/10/2026");
  expect(csv[1]![header.indexOf("Dias de atraso")]).toBe("39");
  expect(csv[1]![header.indexOf("Em aberto (principal)")]).toBe("300,00");
  expect(csv[2]![header.indexOf("Em aberto (principal)")]).toBe("45,50");

  const [xlsxDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Baixar Excel (XLSX)" }).click(),
  ]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync((await xlsxDownload.path())!) as never);
  const sheet = workbook.worksheets[0]!;
  const headings = (sheet.getRow(1).values as unknown[]).slice(1);
  const dueColumn = headings.indexOf("Vencimento") + 1;
  const openColumn = headings.indexOf("Em aberto (principal)") + 1;
  expect(sheet.getRow(2).getCell(dueColumn).value).toEqual(new Date("2026-10-15T00:00:00Z"));
  expect(sheet.getRow(2).getCell(openColumn).value).toBe(300);
  expect(sheet.getRow(3).getCell(openColumn).value).toBe(45.5);
  expect(sheet.getRow(3).getCell(openColumn).numFmt).toContain("R$");
  await context.close();
});

it("groups the recovery report as chosen: unchecking the step and checking the score band", async () => {
  const { context, page } = await signedInPage(browser, dashboard, "relatorios");
  await page.getByRole("heading", { name: "Relatórios", level: 1 }).waitFor();
  await page.getByLabel("Relatório").selectOption({ label: "Recuperação" });
  const groupings = page.getByRole("group", { name: "Agrupar por" });
  await groupings.waitFor();
  expect(await groupings.getByLabel("Passo").isChecked()).toBe(true);
  expect(await groupings.getByLabel("Canal").isChecked()).toBe(true);
  await groupings.getByLabel("Passo").uncheck();
  await groupings.getByLabel("Faixa de score").check();
  // the last grouping left cannot be unchecked: a report with none would be its total alone
  await groupings.getByLabel("Canal").uncheck();
  expect(await groupings.getByLabel("Faixa de score").isDisabled()).toBe(true);
  await groupings.getByLabel("Canal").check();
  await page.getByRole("button", { name: "Atualizar" }).click();
  const table = page.getByRole("table");
  await table.getByRole("columnheader", { name: "Faixa de score" }).waitFor({ timeout: 15_000 });
  const headers = await table.getByRole("columnheader").allTextContents();
  // in the order chosen: the band, then the channel checked again
  expect(headers.slice(0, 3)).toEqual(["Faixa de score", "Canal", "Mensagens enviadas"]);
  expect(headers).toContain("Taxa de recuperação");
  expect(headers).not.toContain("Passo");
  expect(await seriousAxeViolations(page)).toEqual([]);
  // the download carries the same grouping
  const csvLink = page.getByRole("link", { name: "Baixar CSV" });
  expect(await csvLink.getAttribute("href")).toContain("groupBy=band%2Cchannel");
  await context.close();
});
