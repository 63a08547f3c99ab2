import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { startWorker, type Worker } from "../../src/jobs/worker.ts";
import { dueDays, listRuns, runTenantDay } from "../../src/modules/daily-run/daily-run.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { addCustomer, addInvoice, tenantWithDefaultRegua } from "../scenarios/regua-support.ts";
import { openTestDatabase } from "../support/test-database.ts";

let handle: DatabaseHandle;
let worker: Worker | undefined;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => {
  await worker?.stop();
  await handle?.close();
});

/** A tenant with one debtor whose invoice is due 2026-11-28: D-5 (an e-mail) on Monday 2026-11-23. */
async function tenantWithReminderDue(): Promise<Tenant> {
  const tenant = await tenantWithDefaultRegua(handle.db);
  const customer = await addCustomer(handle.db, tenant);
  await addInvoice(handle.db, tenant, customer, "2026-11-28");
  return tenant;
}

/**
 * A policy row broken behind the API's back: the D-5 step sends e-mail but names no e-mail
 * template, so the planner's insert violates dunning_actions.template's NOT NULL.
 */
async function breakReminderStep(tenant: Tenant): Promise<void> {
  await sql`update policy_steps set templates = templates - 'email'
    where tenant_id = ${tenant.id} and name = 'D-5'`.execute(handle.db);
}

async function repairReminderStep(tenant: Tenant): Promise<void> {
  await sql`update policy_steps set templates = templates || '{"email": "email.d-5"}'::jsonb
    where tenant_id = ${tenant.id} and name = 'D-5'`.execute(handle.db);
}

async function plannedTemplates(tenant: Tenant): Promise<string[]> {
  const rows = await handle.db
    .selectFrom("dunning_actions")
    .select("template")
    .where("tenant_id", "=", tenant.id)
    .execute();
  return rows.map((row) => row.template);
}

async function waitFor(condition: () => Promise<boolean>, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await condition()) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 250));
}

describe("the daily run: one job per tenant and date", () => {
  it("is due for a São Paulo tenant from 06:00 local time until its day is done", async () => {
    const tenant = await tenantWithReminderDue();
    const ours = (days: Awaited<ReturnType<typeof dueDays>>) =>
      days.filter((day) => day.tenantId === tenant.id).map((day) => day.date);

    expect(ours(await dueDays(handle.db, new Date("2026-11-23T08:30:00Z")))).toEqual([]); // 05:30 in SP
    expect(ours(await dueDays(handle.db, new Date("2026-11-23T09:05:00Z")))).toEqual(["2026-11-23"]);

    await runTenantDay(handle.db, tenant, "2026-11-23", new Date("2026-11-23T09:05:00Z"));
    expect(await plannedTemplates(tenant)).toEqual(["email.d-5"]);
    expect(ours(await dueDays(handle.db, new Date("2026-11-23T15:00:00Z")))).toEqual([]);
    const [run] = await listRuns(handle.db, tenant.id, { limit: 5 });
    expect(run).toMatchObject({ date: "2026-11-23", status: "done", attempts: 1, error: null });
    expect(run?.summary).toMatchObject({ actions: 1, plannedDays: expect.arrayContaining(["2026-11-23"]) });
  });

  it("a failing day is rolled back whole and recorded failed with its reason, and stays due", async () => {
    const tenant = await tenantWithReminderDue();
    await breakReminderStep(tenant);
    const at = new Date("2026-11-23T09:05:00Z");
    await expect(runTenantDay(handle.db, tenant, "2026-11-23", at)).rejects.toThrow(/template/);

    expect(await plannedTemplates(tenant)).toEqual([]);
    const planned = await handle.db
      .selectFrom("planner_runs")
      .select("day")
      .where("tenant_id", "=", tenant.id)
      .execute();
    expect(planned).toEqual([]); // the planner's own record rolled back with the day
    const [run] = await listRuns(handle.db, tenant.id, { limit: 5 });
    expect(run).toMatchObject({ date: "2026-11-23", status: "failed", attempts: 1, summary: null });
    expect(run?.error).toMatch(/null value in column "template"/);
    expect((await dueDays(handle.db, at)).map((day) => day.tenantId)).toContain(tenant.id);
  });

  it("on the worker, a tenant whose run throws does not block the others, is retried and shows why", {
    timeout: 90_000,
  }, async () => {
    const broken = await tenantWithReminderDue();
    const healthy = await tenantWithReminderDue();
    await breakReminderStep(broken);
    worker = await startWorker(handle, {
      clock: new FixedClock("2026-11-23T06:05:00-03:00"),
      dailyRunRetryDelaySeconds: 2,
      pollingIntervalSeconds: 0.5,
    });
    const latest = async (tenant: Tenant) => (await listRuns(handle.db, tenant.id, { limit: 1 }))[0];

    await waitFor(
      async () => (await latest(healthy))?.status === "done" && (await latest(broken))?.status === "failed",
      40,
    );
    expect(await latest(healthy)).toMatchObject({ date: "2026-11-23", status: "done" });
    expect(await plannedTemplates(healthy)).toEqual(["email.d-5"]);
    const failed = await latest(broken);
    expect(failed).toMatchObject({ date: "2026-11-23", status: "failed" });
    expect(failed?.error).toMatch(/null value in column "template"/);

    // the operator repairs the step; the job's next retry completes the day
    await repairReminderStep(broken);
    await waitFor(async () => (await latest(broken))?.status === "done", 40);
    const done = await latest(broken);
    expect(done).toMatchObject({ date: "2026-11-23", status: "done", error: null });
    expect(done?.attempts).toBeGreaterThanOrEqual(2);
    expect(await plannedTemplates(broken)).toEqual(["email.d-5"]);
  });
});
