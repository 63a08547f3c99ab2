import { type Kysely, sql } from "kysely";
import type { Database, Executor } from "../src/db/database.ts";
import { plannerParameters } from "../src/modules/actions/planner.ts";
import { loadPolicyMatcher } from "../src/modules/policies/governing-policy.sql.ts";
import { listPolicies, loadContactWindows } from "../src/modules/policies/policy.service.ts";
import type { Tenant } from "../src/modules/tenants/tenant.ts";

/**
 * SQL floors: the same rows read and written by bare set-based statements, no policy logic. A use
 * case is measured against the floor of the same run, so a slower or busier machine moves both.
 */

/** The due dates whose invoices the policy's steps reach on `date` (what the planner must read). */
export async function stepDueDates(db: Executor, tenant: Tenant, date: string): Promise<string[]> {
  const policies = await listPolicies(db, tenant.id);
  const windows = await loadContactWindows(db, tenant.id);
  const matcher = await loadPolicyMatcher(db, tenant.id, policies);
  const targets = plannerParameters(tenant, policies, windows, [date], date, matcher).targets;
  return [...new Set(targets.map((target) => target.dueDate))];
}

/**
 * Writes `rows` rows into a fresh copy of dunning_actions (same columns and indexes). "scan": the
 * first `rows` open invoices of a sequential scan (the cheapest possible read). "same invoices": the
 * invoices due on the day's step dates, the very rows the planner must read, two rows each.
 */
export async function timeActionsFloor(
  db: Executor,
  tenant: Tenant,
  date: string,
  rows: number,
  source: "scan" | "same invoices",
  dueDates: string[],
): Promise<number> {
  const step = await db
    .selectFrom("policy_steps")
    .select(["id", "policy_id"])
    .where("tenant_id", "=", tenant.id)
    .executeTakeFirstOrThrow();
  const filter = source === "scan" ? sql`true` : sql`i.due_date = any(${dueDates}::date[])`;
  await sql`drop table if exists bench_baseline`.execute(db);
  await sql`create table bench_baseline (like dunning_actions including all)`.execute(db);
  const started = performance.now();
  await sql`
    insert into bench_baseline (tenant_id, invoice_id, customer_id, policy_id, step_id, step_name, offset_days,
      channel, template, group_key, status, planned_on, send_on, scheduled_for, send_until, amount_cents)
    select i.tenant_id, i.id, i.customer_id, ${step.policy_id}::uuid, ${step.id}::uuid, 'D0', 0, ch.channel,
      'email.d0', i.customer_id::text, 'planned', ${date}::date, ${date}::date, now(), now(),
      i.amount_cents - i.paid_cents
    from invoices i
    cross join (values ('email'), ('sms')) as ch (channel)
    where i.tenant_id = ${tenant.id}::uuid and i.status = 'open' and ${filter}
    limit ${rows}`.execute(db);
  const elapsed = performance.now() - started;
  await sql`drop table if exists bench_baseline`.execute(db);
  return elapsed;
}

class Rollback extends Error {}

/**
 * Runs `work` in a transaction that is rolled back, so that a floor (or a measured run) writing
 * into the product's tables leaves them as they were; returns what `work` returned.
 */
export async function rolledBack<T>(db: Kysely<Database>, work: (trx: Executor) => Promise<T>): Promise<T> {
  let result: { value: T } | undefined;
  try {
    await db.transaction().execute(async (trx) => {
      result = { value: await work(trx) };
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return result!.value;
}

/**
 * The overdue announcement's floor: the same writes with no rule — `rows` open invoices not yet
 * announced and due before `date` marked announced, and an event each (the invoice's id) written
 * into a copy of domain_events (same indexes); rolled back afterwards.
 */
export async function timeOverdueEventsFloor(
  db: Kysely<Database>,
  tenantId: string,
  date: string,
  rows: number,
): Promise<number> {
  return rolledBack(db, async (trx) => {
    await sql`create table bench_events_baseline (like domain_events including all)`.execute(trx);
    const started = performance.now();
    await sql`
      with marked as (
        update invoices set overdue_announced_on = ${date}::date
        where tenant_id = ${tenantId}::uuid and id in (
          select id from invoices
          where tenant_id = ${tenantId}::uuid and status = 'open' and overdue_announced_on is null
            and due_date < ${date}::date
          limit ${rows})
        returning tenant_id, id, customer_id
      )
      insert into bench_events_baseline (tenant_id, type, customer_id, payload, occurred_at)
      select tenant_id, 'invoice.overdue', customer_id, json_build_object('id', id), now()
      from marked`.execute(trx);
    return performance.now() - started;
  });
}

/**
 * Standing's floor: the read every whole-tenant standing pass needs, the oldest overdue due date
 * and the amount owed of each customer, over every open invoice due before `date`.
 */
export async function timeStandingFloor(db: Executor, tenantId: string, date: string): Promise<number> {
  const started = performance.now();
  await sql`
    select count(*) from (
      select customer_id, min(due_date), sum(amount_cents - paid_cents)
      from invoices
      where tenant_id = ${tenantId}::uuid and status = 'open' and due_date < ${date}::date
      group by customer_id
    ) owed`.execute(db);
  return performance.now() - started;
}
