import { afterAll, beforeAll, expect, it } from "vitest";
import { type BulkJobLoop, startBulkJobLoop } from "../../src/jobs/bulk-jobs.job.ts";
import { apiTenant } from "../support/api-fixtures.ts";
import { launchBrowser, type TestBrowser } from "../support/browser.ts";
import { insertDebtor } from "../support/message-fixtures.ts";
import { type Dashboard, seriousAxeViolations, signedInPage, startDashboard } from "./support.ts";

/**
 * Long work from the customer list, in a real Chromium: every customer of the filter selected
 * across pages, letters for all of them as a job whose bar fills to 100 %, and a double click
 * that makes one batch.
 */
const DEBTORS = 130; // more than the list's page of 100
let dashboard: Dashboard;
let browser: TestBrowser;
let bulkJobs: BulkJobLoop;

beforeAll(async () => {
  dashboard = await startDashboard({
    seed: async (handle) => {
      const tenant = await apiTenant(handle);
      for (let index = 1; index <= DEBTORS; index += 1) {
        await insertDebtor(handle.db, tenant.id, {
          name: `Devedora ${String(index).padStart(3, "0")}`,
          phone: "+5511911112222",
          invoices: [{ description: "Mensalidade outubro", amountCents: 150_00, dueDate: "2026-10-20" }],
        });
      }
      // up to date: the filter leaves her out
      await insertDebtor(handle.db, tenant.id, {
        name: "Zélia Em Dia",
        phone: "+5511933334444",
        invoices: [{ description: "Mensalidade dezembro", amountCents: 80_00, dueDate: "2026-12-10" }],
      });
      return tenant;
    },
  });
  // the worker's loop, in small chunks so that the bar moves in steps
  bulkJobs = startBulkJobLoop(dashboard.handle, { clock: dashboard.clock, chunkSize: 10, idleMs: 200 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await bulkJobs?.stop();
  await browser?.close();
  await dashboard?.close();
});

it("selects all N of the filter, issues their letters as one job with a progress bar to 100 %, once for a double click", async () => {
  const { context, page } = await signedInPage(browser, dashboard, "clientes");
  await page.getByRole("heading", { name: "Clientes", level: 1 }).waitFor();
  await page.getByLabel("Dias de atraso, de").fill("1");
  // the unfiltered list shows 100 rows too: wait for the filtered page and its selection
  await Promise.all([
    page.waitForResponse((response) => /customer-overview\?.*minDaysOverdue=1/.test(response.url())),
    page.waitForResponse((response) =>
      /customer-overview\/selection\?.*minDaysOverdue=1/.test(response.url()),
    ),
    page.getByRole("button", { name: "Filtrar" }).click(),
  ]);
  await expect.poll(() => page.locator("tbody tr").count()).toBe(100);

  // the page's checkbox takes the 100 loaded rows; the server's resolution of the filter takes all
  await page.getByRole("checkbox", { name: "Selecionar todos desta página" }).check();
  await page.getByRole("heading", { name: "Ações em lote: 100 clientes selecionados" }).waitFor();
  await page.getByRole("button", { name: `Selecionar todos os ${DEBTORS} clientes do filtro` }).click();
  await page.getByRole("heading", { name: `Ações em lote: ${DEBTORS} clientes selecionados` }).waitFor();
  await page.getByText(`Todos os ${DEBTORS} clientes do filtro estão selecionados.`).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);

  const generate = page.getByRole("button", { name: /^(Gerar cartas em PDF|Enviando…)$/ });
  // every value the bar shows, sampled in the page from the click on
  await page.evaluate(`(() => {
    const seen = [];
    window.barValues = seen;
    setInterval(() => {
      const bar = document.querySelector("progress");
      if (bar && seen.at(-1) !== bar.value) seen.push(bar.value);
    }, 20);
  })()`);
  await generate.dblclick();
  const bar = page.getByRole("progressbar", { name: "Cartas" });
  await bar.waitFor();
  // off while the job runs: no second batch from a third click either
  expect(await generate.isDisabled()).toBe(true);
  await expect
    .poll(() => bar.evaluate((element) => Number(element.getAttribute("value"))), {
      timeout: 120_000,
      interval: 100,
    })
    .toBe(100);
  // the bar moved in steps on the way to 100 %
  const values = (await page.evaluate("window.barValues")) as number[];
  expect(values.at(-1)).toBe(100);
  expect(values.filter((value) => value > 0 && value < 100).length).toBeGreaterThan(0);
  expect(values).toEqual([...values].sort((a, b) => a - b));
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.getByText(`Cartas: ${DEBTORS} de ${DEBTORS} — Concluído`).waitFor();
  await page
    .getByRole("status")
    .getByText(`${DEBTORS} cartas geradas e registradas como enviadas.`)
    .waitFor();
  const download = page.getByRole("link", { name: "Baixar o arquivo" });
  const file = await context.request.get(
    new URL((await download.getAttribute("href"))!, dashboard.url()).href,
  );
  expect(file.headers()["content-type"]).toBe("application/pdf");
  expect((await file.body()).subarray(0, 4).toString()).toBe("%PDF");
  // the list reloads with nothing selected; a new selection finds the button on again
  await page.getByText("Selecione clientes na tabela para agir em lote.").waitFor();
  await page.getByRole("checkbox", { name: "Selecionar Devedora 001" }).check();
  expect(await generate.isDisabled()).toBe(false);

  // one job, one batch, one letter per customer on file
  const jobs = await dashboard.handle.db
    .selectFrom("bulk_jobs")
    .select(["id", "total", "done"])
    .where("tenant_id", "=", dashboard.tenant.id)
    .execute();
  expect(jobs).toEqual([{ id: expect.any(String), total: DEBTORS, done: DEBTORS }]);
  const letters = await dashboard.handle.db
    .selectFrom("messages")
    .select(["customer_id", "group_key"])
    .where("tenant_id", "=", dashboard.tenant.id)
    .where("channel", "=", "letter")
    .where("state", "=", "sent")
    .execute();
  expect(letters).toHaveLength(DEBTORS);
  expect(new Set(letters.map((letter) => letter.customer_id)).size).toBe(DEBTORS);
  expect(letters.every((letter) => letter.group_key.startsWith(`batch:${jobs[0]!.id}:`))).toBe(true);
  await context.close();
  // 130 letters drawn into one PDF take tens of seconds on a loaded machine
}, 240_000);

it("exports a report in the background from the reports page, with its bar and file", async () => {
  const { context, page } = await signedInPage(browser, dashboard, "relatorios");
  await page.getByRole("heading", { name: "Relatórios", level: 1 }).waitFor();
  const start = page.getByRole("button", { name: "Exportar Excel em segundo plano" });
  await start.dblclick();
  const bar = page.getByRole("progressbar", { name: "Exportação de relatório" });
  await bar.waitFor();
  await page.getByText("Exportação de relatório: 1 de 1 — Concluído").waitFor({ timeout: 60_000 });
  expect(await bar.getAttribute("value")).toBe("100");
  await page
    .getByRole("status")
    .getByText(/^Relatório exportado: \d+ linhas\./)
    .waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  const href = await page.getByRole("link", { name: "Baixar o arquivo" }).getAttribute("href");
  const file = await context.request.get(new URL(href!, dashboard.url()).href);
  expect(file.headers()["content-type"]).toBe(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  );
  // one export for the double click
  const exports = await dashboard.handle.db
    .selectFrom("bulk_jobs")
    .select("id")
    .where("tenant_id", "=", dashboard.tenant.id)
    .where("kind", "=", "report_export")
    .execute();
  expect(exports).toHaveLength(1);
  await context.close();
}, 120_000);
