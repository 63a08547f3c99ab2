import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, type TestBrowser } from "../support/browser.ts";
import { type Dashboard, seriousAxeViolations, signIn, startDashboard } from "./support.ts";

let dashboard: Dashboard;
let browser: TestBrowser;

beforeAll(async () => {
  dashboard = await startDashboard();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
});

it("serves the app at /app/ with long caching for hashed assets and index.html for app paths", async () => {
  const index = await fetch(dashboard.url("clientes/qualquer"));
  expect(index.status).toBe(200);
  expect(index.headers.get("content-type")).toContain("text/html");
  expect(index.headers.get("cache-control")).toBe("no-cache");
  const html = await index.text();
  expect(html).toContain('lang="pt-BR"');
  const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeDefined();
  const asset = await fetch(`${dashboard.server.url}${script}`);
  expect(asset.headers.get("content-type")).toContain("text/javascript");
  expect(asset.headers.get("cache-control")).toContain("immutable");
  expect((await fetch(dashboard.url("assets/nao-existe.js"))).status).toBe(404);
  expect((await fetch(dashboard.url("..%2f..%2fpackage.json"))).headers.get("content-type")).toContain(
    "text/html",
  );
});

it("sends a signed-out visitor to the sign-in page, which has no serious accessibility problem", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(dashboard.url(""));
  await page.getByRole("heading", { name: "Entrar no painel" }).waitFor();
  expect(new URL(page.url()).pathname).toBe("/app/login");
  expect(await seriousAxeViolations(page)).toEqual([]);
  await context.close();
});

it("refuses a wrong password with the server's message and signs in with the right one", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(dashboard.url("login"));
  await page.getByLabel("Credor (slug)").fill(dashboard.tenant.slug);
  await page.getByLabel("E-mail").fill(dashboard.operator.email);
  await page.getByLabel("Senha").fill("senha-errada-000");
  await page.getByRole("button", { name: "Entrar" }).click();
  // a wrong password costs the server a slow hash and a throttle record: give it time to answer
  await expect
    .poll(() => page.getByRole("alert").textContent(), { timeout: 15_000 })
    .toContain("Não foi possível entrar");

  await signIn(page, dashboard);
  await page.getByText("Ana Operadora (administrador)").waitFor();
  // the session survives a reload (cookie) and sign-out ends it
  await page.reload();
  await page.getByRole("button", { name: "Sair" }).click();
  await page.getByRole("heading", { name: "Entrar no painel" }).waitFor();
  await page.goto(dashboard.url(""));
  await page.getByRole("heading", { name: "Entrar no painel" }).waitFor();
  await context.close();
});
