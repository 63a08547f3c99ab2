import { mkdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { buildWebIfStale, REPOSITORY_ROOT, webBuildReason } from "../../scripts/build-web.ts";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { createOperator } from "../../src/modules/operators/operator.service.ts";
import { type Clock, FixedClock } from "../../src/shared/clock.ts";
import type { TestBrowser } from "../support/browser.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { startServer, type TestServer } from "../support/http.ts";
import { openTestDatabase } from "../support/test-database.ts";

/**
 * The dashboard's browser tests: the app built once per run (only when web/dist is older than its
 * sources; test files in parallel wait for one build), the real server on a test database, an
 * operator signed in through the real sign-in page, and axe-core run inside the page.
 */
const BUILD_LOCK = join(REPOSITORY_ROOT, ".test-cache", "web-build.lock");
const LOCK_STALE_MS = 180_000;

export async function ensureWebBuilt(): Promise<void> {
  mkdirSync(join(REPOSITORY_ROOT, ".test-cache"), { recursive: true });
  for (;;) {
    if (webBuildReason() === null) return;
    try {
      mkdirSync(BUILD_LOCK);
    } catch {
      // another test file is building: wait for it (or take over a lock left by a killed run)
      const age = Date.now() - (statSafe(BUILD_LOCK) ?? Date.now());
      if (age > LOCK_STALE_MS) rmSync(BUILD_LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    try {
      await buildWebIfStale();
      return;
    } finally {
      rmSync(BUILD_LOCK, { recursive: true, force: true });
    }
  }
}

function statSafe(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

export const OPERATOR_PASSWORD = "senha-forte-123";

export interface Dashboard {
  handle: DatabaseHandle;
  server: TestServer;
  clock: Clock;
  tenant: { id: string; slug: string };
  operator: { id: string; email: string; password: string };
  /** `/app/…` on the test server. */
  url(path?: string): string;
  close(): Promise<void>;
}

export interface DashboardOptions {
  /** Defaults to 2026-11-23 15:00 UTC. */
  clock?: Clock;
  /** Prepare the data (demo, fixtures) before the server starts; returns the tenant to sign in to. */
  seed?: (handle: DatabaseHandle, clock: Clock) => Promise<{ id: string; slug: string }>;
  role?: "admin" | "analyst" | "viewer";
}

/** Builds the app if needed, opens a test database, seeds it, starts the server and makes an operator. */
export async function startDashboard(options: DashboardOptions = {}): Promise<Dashboard> {
  await ensureWebBuilt();
  const clock = options.clock ?? new FixedClock("2026-11-23T15:00:00Z");
  const handle = await openTestDatabase();
  const tenant = options.seed ? await options.seed(handle, clock) : await insertTestTenant(handle.db);
  const email = `operadora@${tenant.slug}.com.br`;
  const operator = await createOperator(handle.db, tenant.id, {
    email,
    name: "Ana Operadora",
    role: options.role ?? "admin",
    password: OPERATOR_PASSWORD,
  });
  const server = await startServer(handle, clock);
  return {
    handle,
    server,
    clock,
    tenant: { id: tenant.id, slug: tenant.slug },
    operator: { id: operator.id, email, password: OPERATOR_PASSWORD },
    url: (path = "") => `${server.url}/app/${path.replace(/^\//, "")}`,
    close: async () => {
      await server.close();
      await handle.close();
    },
  };
}

/** Signs in through the real sign-in page, as an operator would, and waits for the panel. */
export async function signIn(page: Page, dashboard: Dashboard, next = ""): Promise<void> {
  const target = next ? `login?next=${encodeURIComponent(`/${next.replace(/^\//, "")}`)}` : "login";
  await page.goto(dashboard.url(target));
  await page.getByLabel("Credor (slug)").fill(dashboard.tenant.slug);
  await page.getByLabel("E-mail").fill(dashboard.operator.email);
  await page.getByLabel("Senha").fill(dashboard.operator.password);
  await page.getByRole("button", { name: "Entrar" }).click();
  await page.getByRole("button", { name: "Sair" }).waitFor();
}

/** A fresh browser context (no other test's cookies) with the operator signed in and sent to `next`. */
export async function signedInPage(
  browser: TestBrowser,
  dashboard: Dashboard,
  next = "",
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, dashboard, next);
  return { context, page };
}

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

const axeSource = (createRequire(import.meta.url)("axe-core") as { source: string }).source;

/** axe-core inside the page (WCAG 2.x A/AA rules); only serious and critical violations are returned. */
export async function seriousAxeViolations(page: Page): Promise<AxeFinding[]> {
  // evaluated through the DevTools protocol, not as an inline <script>: the dashboard's
  // Content-Security-Policy (script-src 'self') stays enforced in every browser test
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    // runs in the page: axe and document are the page's globals (the test's types have no DOM)
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global
    const page = globalThis as any;
    const result = await page.axe.run(page.document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
      resultTypes: ["violations"],
    });
    return (
      result.violations as {
        id: string;
        impact: string;
        help: string;
        nodes: { target: string[] }[];
      }[]
    )
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.join(" ")),
      }));
  });
}
