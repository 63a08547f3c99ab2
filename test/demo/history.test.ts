import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { addDays } from "../../src/domain/dates.ts";
import { listAgreements } from "../../src/modules/agreements/agreement.service.ts";
import { getPanel } from "../../src/modules/dashboard/panel.service.ts";
import { generateDemoPortfolio } from "../../src/modules/demo/demo.generator.ts";
import { type DemoLoadResult, loadDemo } from "../../src/modules/demo/demo.service.ts";
import { DEMO_HISTORY_DAYS } from "../../src/modules/demo/demo-history.ts";
import { openTestDatabase } from "../support/test-database.ts";

/**
 * The demo as `npm start` loads it: six weeks of régua lived before today through the product's
 * own paths, so the chart shows payments credited to the régua's messages in every week it lived (not one grey "sem mensagem" bar), and the daily runs, clicks and agreements exist.
 */
const TODAY = "2026-11-23";
const OPTIONS = { customers: 150, seed: 5, today: TODAY, historyDays: DEMO_HISTORY_DAYS };

let handle: DatabaseHandle;
let loaded: DemoLoadResult;

beforeAll(async () => {
  handle = await openTestDatabase();
  loaded = await loadDemo(handle.db, OPTIONS);
}, 300_000);

afterAll(async () => {
  await handle?.close();
});

const tenantId = () => loaded.tenant.id;

describe("the demo's weeks of régua", () => {
  it("imports every payment the generator made, each on its day, without a failure", () => {
    let generated = 0;
    for (const chunk of generateDemoPortfolio(OPTIONS)) generated += chunk.payments.length;
    expect(loaded.errors).toEqual([]);
    expect(loaded.payments).toMatchObject({ total: generated, inserted: generated, failed: 0 });
    expect(loaded.history).toMatchObject({ days: DEMO_HISTORY_DAYS });
  });

  it("shows on the panel recovery credited to the régua's messages in every week of the chart", async () => {
    const panel = await getPanel(handle.db, loaded.tenant, TODAY);
    const attributed = panel.recovery.weeks.map((week) =>
      Object.entries(week.byChannel)
        .filter(([channel]) => channel !== "none")
        .reduce((sum, [, cents]) => sum + cents, 0),
    );
    expect(attributed.filter((cents) => cents > 0).length).toBeGreaterThanOrEqual(3);
    // every full week the history lived has recovery credited to the régua
    const lived = panel.recovery.weeks
      .map((week, index) => ({ week, credited: attributed[index]! }))
      .filter(({ week }) => week.weekStart >= addDays(TODAY, -DEMO_HISTORY_DAYS) && week.weekEnd < TODAY);
    // the weeks the history lived but the current one (not over) and the first (begun before it)
    expect(lived.length).toBeGreaterThanOrEqual(DEMO_HISTORY_DAYS / 7 - 2);
    for (const { week, credited } of lived) expect(credited, week.weekStart).toBeGreaterThan(0);
  });

  it("ran each past day as the worker does, and the messages went out, some of them clicked", async () => {
    const runs = await sql<{ days: number; done: number; first: string }>`
      select count(*)::int as days, count(*) filter (where status = 'done')::int as done,
        min(day)::text as first
      from daily_runs where tenant_id = ${tenantId()}::uuid`.execute(handle.db);
    expect(runs.rows[0]).toEqual({
      days: DEMO_HISTORY_DAYS,
      done: DEMO_HISTORY_DAYS,
      first: addDays(TODAY, -DEMO_HISTORY_DAYS),
    });
    const messages = await sql<{ weeks: number; sent: number; clicked: number; late: number }>`
      select count(distinct date_trunc('week', sent_at))::int as weeks, count(*)::int as sent,
        count(clicked_at)::int as clicked, count(*) filter (where sent_at >= ${TODAY}::date)::int as late
      from messages where tenant_id = ${tenantId()}::uuid and state in ('sent', 'delivered')`.execute(
      handle.db,
    );
    const row = messages.rows[0]!;
    expect(row.weeks).toBeGreaterThanOrEqual(Math.floor(DEMO_HISTORY_DAYS / 7));
    expect(row.late).toBe(0);
    expect(row.clicked).toBeGreaterThan(0);
    expect(row.clicked).toBeLessThan(row.sent);
  });

  it("has debtors who negotiated in the portal and paid their first installment", async () => {
    const agreements = await listAgreements(handle.db, tenantId(), {});
    expect(agreements.length).toBeGreaterThanOrEqual(2);
    for (const agreement of agreements) {
      expect(agreement.createdBy).toMatch(/^portal:/);
      expect(["active", "completed"]).toContain(agreement.status);
      expect(agreement.paidCents).toBeGreaterThan(0);
    }
  });

  it("lives the history once: loading again adds no message, click or run", async () => {
    const before = await counts();
    const again = await loadDemo(handle.db, OPTIONS);
    expect(again.history).toBeNull();
    expect(again.payments.inserted).toBe(0);
    expect(await counts()).toEqual(before);
  });
});

async function counts() {
  const result = await sql<{ messages: number; clicks: number; runs: number }>`
    select (select count(*)::int from messages where tenant_id = ${tenantId()}::uuid) as messages,
      (select coalesce(sum(clicks), 0)::int from short_links where tenant_id = ${tenantId()}::uuid) as clicks,
      (select count(*)::int from daily_runs where tenant_id = ${tenantId()}::uuid) as runs`.execute(
    handle.db,
  );
  return result.rows[0];
}
