import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPOSITORY_ROOT } from "../../scripts/build-web.ts";
import { normalizeDocument } from "../../src/domain/documents.ts";
import { proposeAgreement } from "../../src/modules/agreements/agreement.service.ts";
import { createCampaign } from "../../src/modules/campaigns/campaign.service.ts";
import { createContract } from "../../src/modules/contracts/contract.service.ts";
import { loadDemo } from "../../src/modules/demo/demo.service.ts";
import { startExperiment } from "../../src/modules/experiments/experiment.service.ts";
import { addMember, createGroup } from "../../src/modules/groups/group.service.ts";
import { createInvoice } from "../../src/modules/invoices/invoice.service.ts";
import { listPolicies } from "../../src/modules/policies/policy.service.ts";
import { mintPortalLink } from "../../src/modules/portal/portal.service.ts";
import { createTicket } from "../../src/modules/tickets/ticket.service.ts";
import { launchBrowser, type TestBrowser } from "../support/browser.ts";
import { type Dashboard, seriousAxeViolations, signIn, startDashboard } from "./support.ts";

/**
 * Every screen the product serves — each dashboard route of the one route table, the sign-in page,
 * each portal page a debtor opens (the reviews shown after a form included), the API's /docs — at 1366, 768 and 390 px in a real Chromium: axe-core finds no
 * serious or critical violation, and at 768 px (a tablet) nothing scrolls sideways. The page list
 * is read from the route table and the portal's route files, so a new page without an entry here
 * fails the test instead of going unchecked.
 */
const TODAY = "2026-11-23";
const WIDTHS = [1366, 768, 390] as const;
const OVERFLOW_WIDTH = 768;

let dashboard: Dashboard;
let browser: TestBrowser;
/** Concrete values for each route parameter, from the demo and the fixtures made here. */
const ids: Record<string, string> = {};
let portalEntry: { path: string; answer: string };

/** The dashboard's paths as the route table declares them (web/src/app/routes.tsx), plus sign-in. */
function dashboardRoutePatterns(): string[] {
  const table = readFileSync(join(REPOSITORY_ROOT, "web/src/app/routes.tsx"), "utf8");
  const paths = [...table.matchAll(/\{\s*path:\s*"([^"]+)"/g)].map((match) => match[1]!);
  const router = readFileSync(join(REPOSITORY_ROOT, "web/src/app/router.tsx"), "utf8");
  const outside = [...router.matchAll(/\{\s*path:\s*"([^"]+)",\s*element/g)].map((match) => match[1]!);
  // "*" is the not-found page, swept under a path no route has
  return [...paths, ...outside.filter((path) => path !== "/" && path !== "*")];
}

/** The portal's GET pages as its route files register them (files, PDFs and calendars left out). */
function portalRoutePatterns(): string[] {
  const directory = join(REPOSITORY_ROOT, "src/portal");
  const found = new Set<string>();
  for (const file of readdirSync(directory).filter((name) => name.endsWith(".ts"))) {
    const source = readFileSync(join(directory, file), "utf8");
    for (const match of source.matchAll(/\.get(?:<[^>]*>)?\(\s*"(\/portal[^"]*)"/g)) found.add(match[1]!);
  }
  return [...found].filter((path) => !/\/static\/|\.pdf$|\.ics$/.test(path)).sort();
}

/** A pattern with its parameters filled from `ids`; a parameter nobody provides fails loudly. */
function concrete(pattern: string, scope: string): string {
  return pattern.replace(/:(\w+)/g, (_whole, name: string) => {
    const value = ids[`${scope}:${name}`] ?? ids[name];
    if (!value) throw new Error(`no id for :${name} in ${pattern}: add one to the sweep's fixtures`);
    return value;
  });
}

beforeAll(async () => {
  dashboard = await startDashboard({
    seed: async (handle, clock) => {
      // with three weeks of régua: timelines with messages, agreements, a recovery chart (the
      // default's twelve weeks would only make the sweep slower)
      const demo = await loadDemo(handle.db, { customers: 40, today: TODAY, historyDays: 21 });
      const tenant = demo.tenant;
      const { db } = handle;
      // a person with overdue invoices: the customer page, the agreement, the portal
      const debtor = await sql<{ id: string; document: string }>`
        select c.id, c.document from customers c
        where c.tenant_id = ${tenant.id}::uuid and c.kind = 'person' and exists (
          select 1 from invoices i where i.tenant_id = c.tenant_id and i.customer_id = c.id
            and i.status = 'open' and i.due_date < ${TODAY}::date - 10)
          and not exists (select 1 from agreements a where a.tenant_id = c.tenant_id and a.customer_id = c.id)
          and exists (select 1 from messages m where m.tenant_id = c.tenant_id and m.customer_id = c.id)
        order by c.external_id limit 1`.execute(db);
      const customer = debtor.rows[0]!;
      ids.customerId = customer.id;
      const overdue = await sql<{ id: string }>`
        select id from invoices where tenant_id = ${tenant.id}::uuid and customer_id = ${customer.id}::uuid
          and status = 'open' and due_date < ${TODAY}::date - 10 order by due_date`.execute(db);
      const agreement = await proposeAgreement(
        db,
        tenant,
        {
          customerId: customer.id,
          terms: { invoiceIds: [overdue.rows[0]!.id], installments: 3 },
          actor: { kind: "api_key", id: "sweep" },
        },
        clock,
      );
      ids.agreementId = agreement.id;
      ids["/portal/acordos:id"] = agreement.id;
      // an offer for this very debtor (no holdout) on an invoice the agreement does not cover: the
      // campaign page and the portal's offer page
      await createInvoice(
        db,
        tenant,
        {
          externalId: "varredura-oferta",
          customerId: customer.id,
          amountCents: 350_00,
          issueDate: "2026-10-20",
          dueDate: "2026-11-03",
        },
        { today: TODAY },
      );
      const campaign = await createCampaign(
        db,
        tenant,
        {
          name: "Quitação de atrasados",
          selection: { daysOverdueFrom: 20, daysOverdueTo: 20 },
          offer: { installments: 0, principalDiscountBps: 500, waiveFine: true, waiveInterest: true },
          channels: ["email"],
          validUntil: "2026-12-10",
          holdoutPercent: 0,
        },
        { kind: "api_key", id: "sweep" },
        clock,
      );
      ids.campaignId = campaign.campaign!.id;
      ids["/portal/ofertas:id"] = campaign.campaign!.id;
      const open = await sql<{ id: string }>`
        select id from invoices where tenant_id = ${tenant.id}::uuid and customer_id = ${customer.id}::uuid
          and status = 'open' order by due_date desc limit 1`.execute(db);
      ids["/portal/faturas:id"] = open.rows[0]!.id;
      const actor = { kind: "system" as const, id: null };
      ids.ticketId = (
        await createTicket(
          db,
          tenant.id,
          { title: "Ligar para o cliente", customerId: customer.id },
          actor,
          TODAY,
        )
      ).id;
      const group = await createGroup(db, tenant.id, { name: "Protesto de novembro", purpose: "protest" });
      await addMember(db, tenant, group.id, customer.id, actor, clock);
      ids.groupId = group.id;
      const [policy] = await listPolicies(db, tenant.id);
      ids.experimentId = (
        await startExperiment(
          db,
          tenant,
          { name: "Régua contra nada", controlPolicyId: policy!.id, holdoutPercent: 10 },
          clock,
        )
      ).id;
      // a contract: the plan page offers another payment method, reviewed before it is asked
      await createContract(db, tenant.id, {
        externalId: "varredura-contrato",
        customerId: customer.id,
        plan: "Fibra 300",
      });
      const link = await mintPortalLink(db, tenant.id, customer.id, { kind: "home" }, clock.now(), 7);
      const url = new URL(link.url);
      portalEntry = {
        path: `${url.pathname}${url.search}`,
        answer: normalizeDocument(customer.document).slice(0, 5),
      };
      return tenant;
    },
  });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
});

interface Finding {
  page: string;
  width: number;
  problem: string;
}

/** What axe and the overflow check find on the page as it is now, at `width`. */
async function findingsHere(page: Page, label: string, width: number): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const violation of await seriousAxeViolations(page)) {
    findings.push({
      page: label,
      width,
      problem: `axe ${violation.impact} ${violation.id}: ${violation.help} — ${violation.targets.slice(0, 3).join(", ")}`,
    });
  }
  if (width === OVERFLOW_WIDTH) {
    const scrollWidth = await page.evaluate(
      // biome-ignore lint/suspicious/noExplicitAny: runs in the page, whose globals the test's types lack
      () => (globalThis as any).document.documentElement.scrollWidth as number,
    );
    if (scrollWidth > width) {
      findings.push({ page: label, width, problem: `scrolls sideways: ${scrollWidth} px wide` });
    }
  }
  return findings;
}

/**
 * What axe and the overflow check find on the page as it is, at each width in turn: the page is
 * loaded once and the window resized, as the dashboard's and the portal's layouts answer to the
 * width through CSS alone (no script reads the window's size when a page mounts), so a page
 * loaded at 390 px and one resized to it are laid out alike.
 */
async function findingsAtEachWidth(page: Page, label: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    // one frame, so the layout of the new width is the one checked
    await page.evaluate(
      // biome-ignore lint/suspicious/noExplicitAny: runs in the page, whose globals the test's types lack
      () => new Promise((resolve) => (globalThis as any).requestAnimationFrame(resolve)),
    );
    findings.push(...(await findingsHere(page, label, width)));
  }
  return findings;
}

/** Opens `path` and returns what axe and the overflow check found at each width. */
async function sweep(page: Page, path: string, ready: () => Promise<void>): Promise<Finding[]> {
  await page.setViewportSize({ width: WIDTHS[0], height: 900 });
  const response = await page.goto(`${dashboard.server.url}${path}`);
  if (response?.status() !== 200) {
    return [{ page: path, width: WIDTHS[0], problem: `answered ${response?.status()}` }];
  }
  try {
    await ready();
    await page.waitForLoadState("networkidle");
  } catch {
    return [{ page: path, width: WIDTHS[0], problem: "no level-1 heading within 15 s" }];
  }
  return findingsAtEachWidth(page, path);
}

/**
 * A page shown in answer to a form (a review before a confirmation): `path` is opened, the form
 * `submit` chooses is sent, and the page it answers with is checked at each width.
 */
async function sweepAnswer(
  page: Page,
  label: string,
  path: string,
  submit: () => Promise<void>,
): Promise<Finding[]> {
  await page.setViewportSize({ width: WIDTHS[0], height: 900 });
  await page.goto(`${dashboard.server.url}${path}`);
  const answered = page.waitForResponse((response) => response.request().method() === "POST");
  await submit();
  const response = await answered;
  if (response.status() !== 200) {
    return [{ page: label, width: WIDTHS[0], problem: `answered ${response.status()}` }];
  }
  await page.waitForLoadState("networkidle");
  await heading(page)();
  return findingsAtEachWidth(page, label);
}

const heading = (page: Page) => () =>
  page.getByRole("heading", { level: 1 }).first().waitFor({ timeout: 15_000 });

it("finds a fixture for every page the route table and the portal's route files declare", () => {
  const dashboardPaths = dashboardRoutePatterns();
  expect(dashboardPaths).toEqual(expect.arrayContaining(["/", "/clientes/:customerId", "/login"]));
  for (const pattern of dashboardPaths) expect(() => concrete(pattern, "app")).not.toThrow();
  const portalPaths = portalRoutePatterns();
  expect(portalPaths).toEqual(expect.arrayContaining(["/portal", "/portal/entrar", "/portal/faturas/:id"]));
  for (const pattern of portalPaths) {
    expect(() => concrete(pattern, pattern.replace(/\/:\w+$/, ""))).not.toThrow();
  }
});

it("every dashboard page passes axe at 1366, 768 and 390 px and fits a 768 px screen", async () => {
  const findings: Finding[] = [];
  const signedOut = await browser.newContext();
  const loginPage = await signedOut.newPage();
  findings.push(...(await sweep(loginPage, "/app/login", heading(loginPage))));
  await signedOut.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, dashboard);
  const pages = dashboardRoutePatterns().filter((pattern) => pattern !== "/login");
  for (const pattern of [...pages, "/pagina-que-nao-existe"]) {
    const path = `/app${concrete(pattern, "app")}`;
    findings.push(...(await sweep(page, path, heading(page))));
  }
  await context.close();
  expect(findings).toEqual([]);
}, 600_000);

it("every portal page passes axe at 1366, 768 and 390 px and fits a 768 px screen", async () => {
  const findings: Finding[] = [];
  const context: BrowserContext = await browser.newContext();
  const page = await context.newPage();
  // the identity check, before the session exists
  findings.push(...(await sweep(page, portalEntry.path, heading(page))));
  await page.locator("#resposta").fill(portalEntry.answer);
  await page.locator("form button[type=submit]").first().click();
  await page.waitForURL(/\/portal(\?|$|\/)/);
  await page.locator("a[href='/portal/contato'], a[href='/portal/negociar']").first().waitFor();
  for (const pattern of portalRoutePatterns().filter((path) => path !== "/portal/entrar")) {
    const path = concrete(pattern, pattern.replace(/\/:\w+$/, ""));
    findings.push(...(await sweep(page, path, heading(page))));
  }
  // the reviews shown after a form, before anything is confirmed
  findings.push(
    ...(await sweepAnswer(page, "POST /portal/negociar (revisão do acordo)", "/portal/negociar", () =>
      page.locator("form[action='/portal/negociar'] button[type=submit]").click(),
    )),
    ...(await sweepAnswer(
      page,
      "POST /portal/preferencias (revisão do descadastro)",
      "/portal/preferencias",
      () =>
        page
          .locator("form[action='/portal/preferencias']:has(input[name=receive][value=no]) button")
          .first()
          .click(),
    )),
    ...(await sweepAnswer(
      page,
      "POST /portal/contato/revisar (revisão do contato)",
      "/portal/contato",
      async () => {
        const form = page.locator(
          "form[action='/portal/contato/revisar']:has(input[name=channel][value=email])",
        );
        await form.locator("input[name=value]").fill("novo.endereco@exemplo.com.br");
        await form.locator("button[type=submit]").click();
      },
    )),
    ...(await sweepAnswer(page, "POST /portal/plano (revisão da troca)", "/portal/plano", async () => {
      const form = page.locator("form[action='/portal/plano']").first();
      await form.locator("input[type=radio]").first().check();
      await form.locator("button[type=submit]").click();
    })),
  );
  await context.close();
  expect(findings).toEqual([]);
}, 600_000);

it("the API's documentation page passes axe at 1366, 768 and 390 px and fits a 768 px screen", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const findings = await sweep(page, "/docs", heading(page));
  await context.close();
  expect(findings).toEqual([]);
}, 300_000);
