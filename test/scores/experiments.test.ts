import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { planDay } from "../../src/modules/actions/planner.ts";
import { assignCustomers } from "../../src/modules/experiments/experiment.repository.ts";
import {
  experimentResults,
  startExperiment,
  stopExperiment,
} from "../../src/modules/experiments/experiment.service.ts";
import { createTenant } from "../../src/modules/onboarding/onboarding.service.ts";
import { ensureDefaultPolicy, listPolicies } from "../../src/modules/policies/policy.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { AppError } from "../../src/shared/errors.ts";
import { payShareOfEachArm } from "../support/experiment-fixtures.ts";
import { openTestDatabase } from "../support/test-database.ts";

/**
 * An experiment of the default régua against a 20% holdout over 2,000 customers: assignment stable
 * and balanced, the planner holding the holdout's messages back, results with their interval.
 */
const START = "2026-06-01";
const clock = new FixedClock(`${START}T12:00:00Z`);
const CUSTOMERS = 2_000;

let handle: DatabaseHandle;
let tenant: Tenant;
let experimentId: string;

beforeAll(async () => {
  handle = await openTestDatabase();
  tenant = await createTenant(handle.db, {
    slug: "experimentos",
    legalName: "Experimentos Ltda",
    document: "11.222.333/0001-81",
    address: "Av. Paulista, 1000, São Paulo/SP, 01310-100",
  });
  await ensureDefaultPolicy(handle.db, tenant.id);
  await sql`
    insert into customers (tenant_id, external_id, name, document, kind)
    select ${tenant.id}::uuid, 'c' || n, 'Cliente ' || n, lpad(n::text, 11, '0'), 'person'
    from generate_series(1, ${CUSTOMERS}) as n`.execute(handle.db);
  await sql`
    insert into contacts (tenant_id, customer_id, channel, value)
    select c.tenant_id, c.id, 'email', c.external_id || '@exemplo.com.br' from customers c
    where c.tenant_id = ${tenant.id}::uuid`.execute(handle.db);
}, 300_000);

afterAll(async () => {
  await handle?.close();
});

describe("an experiment with a holdout", () => {
  it("assigns every customer once, stably, in the stated proportions", async () => {
    const [policy] = await listPolicies(handle.db, tenant.id);
    const experiment = await startExperiment(
      handle.db,
      tenant,
      { name: "Régua contra nada", controlPolicyId: policy!.id, holdoutPercent: 20 },
      clock,
    );
    experimentId = experiment.id;
    expect(experiment.assigned).toBe(CUSTOMERS);
    const before = await handle.db
      .selectFrom("experiment_assignments")
      .select(["customer_id", "arm"])
      .where("experiment_id", "=", experiment.id)
      .execute();
    // assigning again adds no one and moves no one
    expect(await assignCustomers(handle.db, tenant.id, experiment.id, START)).toBe(0);
    const after = await handle.db
      .selectFrom("experiment_assignments")
      .select(["customer_id", "arm"])
      .where("experiment_id", "=", experiment.id)
      .execute();
    const arms = new Map(before.map((row) => [row.customer_id, row.arm]));
    for (const row of after) expect(row.arm).toBe(arms.get(row.customer_id));
    // balanced: 20% ± 3 points held out (binomial sd at n=2000 is 0.9 point)
    const held = before.filter((row) => row.arm === "holdout").length / CUSTOMERS;
    expect(held).toBeGreaterThan(0.17);
    expect(held).toBeLessThan(0.23);
  });

  it("the planner sends the holdout nothing and the others their reminders", async () => {
    // one invoice each, due in 3 days: the default régua's pre-due e-mail falls on the start day
    const dueDate = "2026-06-04";
    await sql`
      insert into invoices (tenant_id, external_id, customer_id, amount_cents, issue_date, due_date)
      select c.tenant_id, c.external_id || '-1', c.id, 10000, '2026-05-20', ${dueDate}::date from customers c
      where c.tenant_id = ${tenant.id}::uuid`.execute(handle.db);
    await planDay(handle.db, tenant, START);
    const rows = await sql<{ arm: string; status: string; skip_reason: string | null; count: number }>`
      select ea.arm, a.status, a.skip_reason, count(*)::int as count from dunning_actions a
      join experiment_assignments ea on ea.tenant_id = a.tenant_id and ea.customer_id = a.customer_id
      where a.tenant_id = ${tenant.id}::uuid and a.channel = 'email'
      group by 1, 2, 3`.execute(handle.db);
    const holdout = rows.rows.filter((row) => row.arm === "holdout");
    const control = rows.rows.filter((row) => row.arm === "control");
    expect(holdout.length).toBeGreaterThan(0);
    expect(holdout.every((row) => row.skip_reason === "experiment_holdout")).toBe(true);
    expect(control.some((row) => row.status === "planned")).toBe(true);
    expect(control.every((row) => row.skip_reason !== "experiment_holdout")).toBe(true);
  });

  it("measures the régua against the holdout with a confidence interval, and stops", async () => {
    // planted effect: reminded customers pay 60% within 30 days, the held out 30%
    await payShareOfEachArm(handle.db, tenant.id, "2026-06-10T15:00:00Z", { control: 6, holdout: 3 });
    const later = new FixedClock("2026-07-20T12:00:00Z");
    const results = await experimentResults(handle.db, tenant, experimentId, later);
    const comparison = results.comparisons.find((c) => c.name === "control_vs_holdout")!;
    expect(comparison.rate.difference).toBeGreaterThan(0.2);
    expect(comparison.rate.low).toBeGreaterThan(0);
    expect(comparison.rate.significant).toBe(true);
    expect(comparison.amountPerInvoiceCents.low).toBeGreaterThan(0);
    expect(comparison.note).toMatch(/faturas/);
    // the smaller arm (the holdout, ~400 invoices) lacks what a 5-point change needs, and the note says how many
    const smaller = Math.min(...results.arms.map((arm) => arm.invoices));
    expect(comparison.detectableEffect).toBe(0.05);
    expect(comparison.missingPerArm).toBe(comparison.neededPerArm - smaller);
    expect(comparison.missingPerArm).toBeGreaterThan(0);
    expect(comparison.note).toContain(`faltam ${comparison.missingPerArm} faturas`);
    const stopped = await stopExperiment(handle.db, tenant, experimentId, later);
    expect(stopped.status).toBe("stopped");
    await expect(stopExperiment(handle.db, tenant, experimentId, later)).rejects.toBeInstanceOf(AppError);
  });
});
