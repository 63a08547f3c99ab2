import { type Kysely, sql } from "kysely";
import type { Database } from "../src/db/database.ts";
import { getPanel } from "../src/modules/dashboard/panel.service.ts";
import type { Panel } from "../src/modules/dashboard/panel.ts";
import { getOpenDebt } from "../src/modules/open-debt/open-debt.service.ts";
import type { Tenant } from "../src/modules/tenants/tenant.ts";
import { median } from "./figure.ts";

/** The latency under which `share` of the samples fall (0.95 → p95), nearest rank. */
export function percentile(samples: number[], share: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)]!;
}

/**
 * Times `work` once per item after `warmup` untimed calls; milliseconds. With `budgetMs`, stops
 * once that much time went on timed calls and at least `minimum` (default 5) samples were taken,
 * so that a read that takes seconds on a huge portfolio still ends (the note says how many).
 */
export async function sampleLatency<T>(
  items: T[],
  warmup: number,
  work: (item: T, timed: boolean) => Promise<unknown>,
  budget?: { budgetMs: number; minimum?: number },
): Promise<number[]> {
  for (const item of items.slice(0, warmup)) await work(item, false);
  const samples: number[] = [];
  let spent = 0;
  for (const item of items.slice(warmup)) {
    if (budget && spent > budget.budgetMs && samples.length >= (budget.minimum ?? 5)) break;
    const started = performance.now();
    await work(item, true);
    samples.push(performance.now() - started);
    spent += samples.at(-1)!;
  }
  return samples;
}

/**
 * The delinquency panel in steady use: the closed weeks' recovery is computed by a first load
 * (timed apart, from empty rollups), then `runs` loads after `warmup`.
 */
export async function measurePanel(
  db: Kysely<Database>,
  tenant: Tenant,
  today: string,
  options: { warmup: number; runs: number; budgetMs?: number },
): Promise<{ p95: number; median: number; samples: number; firstLoad: number; panel: Panel }> {
  await sql`delete from dashboard_recovery_days where tenant_id = ${tenant.id}`.execute(db);
  await sql`delete from dashboard_recovery_checks where tenant_id = ${tenant.id}`.execute(db);
  const started = performance.now();
  let panel = await getPanel(db, tenant, today);
  const firstLoad = performance.now() - started;
  const runs = Array.from({ length: options.warmup + options.runs }, (_, run) => run);
  const samples = await sampleLatency(
    runs,
    options.warmup,
    async () => {
      panel = await getPanel(db, tenant, today);
    },
    options.budgetMs ? { budgetMs: options.budgetMs } : undefined,
  );
  return {
    p95: percentile(samples, 0.95),
    median: median(samples),
    samples: samples.length,
    firstLoad,
    panel,
  };
}

/**
 * What one customer owes today (the open-debt read model of a customer page), for customers
 * `c<n>` picked across the portfolio by a fixed stride, so every run reads the same ones.
 */
export async function measureOpenDebt(
  db: Kysely<Database>,
  tenant: Tenant,
  today: string,
  options: { customers: number; warmup: number; runs: number },
): Promise<{ p95: number; median: number; samples: number; invoices: number }> {
  const externalIds = Array.from(
    { length: options.warmup + options.runs },
    (_, n) => `c${((n * 7919) % options.customers) + 1}`,
  );
  const found = await sql<{ id: string }>`
    select id from customers where tenant_id = ${tenant.id}::uuid and external_id = any(${externalIds}::text[])`.execute(
    db,
  );
  let invoices = 0;
  const samples = await sampleLatency(
    found.rows.map((row) => row.id),
    options.warmup,
    async (id, timed) => {
      const debt = await getOpenDebt(db, tenant, id, today);
      if (timed) invoices += debt.invoices.length;
    },
  );
  return { p95: percentile(samples, 0.95), median: median(samples), samples: samples.length, invoices };
}
