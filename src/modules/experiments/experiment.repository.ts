import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { inHoldout, secondHalf } from "./assignment.sql.ts";
import type { ExperimentArm, ExperimentRow } from "./experiment.table.ts";

export async function insertExperiment(
  db: Executor,
  values: {
    tenantId: string;
    name: string;
    controlPolicyId: string;
    variantPolicyId: string | null;
    holdoutBps: number;
    horizonDays: number;
    startedOn: string;
  },
): Promise<ExperimentRow> {
  return db
    .insertInto("experiments")
    .values({
      tenant_id: values.tenantId,
      name: values.name,
      control_policy_id: values.controlPolicyId,
      variant_policy_id: values.variantPolicyId,
      holdout_bps: values.holdoutBps,
      horizon_days: values.horizonDays,
      started_on: values.startedOn,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Assigns every customer of the tenant not yet in the experiment, set-based (assignment.sql.ts):
 * the first `holdout_bps` buckets of (experiment, customer) go to the holdout; the hash's second
 * slice splits the rest evenly between control and variant (all control without a variant). The
 * same customer always lands in the same arm.
 */
export async function assignCustomers(
  db: Executor,
  tenantId: string,
  experimentId: string,
  today: string,
): Promise<number> {
  const result = await sql<{ assigned: number }>`
    with written as (
      insert into experiment_assignments (tenant_id, experiment_id, customer_id, arm, assigned_on)
      select e.tenant_id, e.id, c.id,
        case
          when ${inHoldout(sql`e.id`, sql`c.id`, sql`e.holdout_bps`)} then 'holdout'
          when e.variant_policy_id is not null and ${secondHalf(sql`e.id`, sql`c.id`)} then 'variant'
          else 'control'
        end,
        ${today}::date
      from experiments e
      join customers c on c.tenant_id = e.tenant_id and c.anonymized_at is null
      where e.tenant_id = ${tenantId}::uuid and e.id = ${experimentId}::uuid
      on conflict do nothing
      returning 1
    )
    select count(*)::int as assigned from written`.execute(db);
  return result.rows[0]?.assigned ?? 0;
}

export async function findExperiment(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<ExperimentRow | undefined> {
  return db
    .selectFrom("experiments")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function listExperimentRows(db: Executor, tenantId: string): Promise<ExperimentRow[]> {
  return db
    .selectFrom("experiments")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .orderBy("created_at", "desc")
    .execute();
}

export async function stopExperimentRow(
  db: Executor,
  tenantId: string,
  id: string,
  today: string,
): Promise<ExperimentRow | undefined> {
  return db
    .updateTable("experiments")
    .set({ status: "stopped", stopped_on: today })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .where("status", "=", "running")
    .returningAll()
    .executeTakeFirst();
}

export async function findArmOf(
  db: Executor,
  tenantId: string,
  experimentId: string,
  customerId: string,
): Promise<ExperimentArm | undefined> {
  const row = await db
    .selectFrom("experiment_assignments")
    .select("arm")
    .where("tenant_id", "=", tenantId)
    .where("experiment_id", "=", experimentId)
    .where("customer_id", "=", customerId)
    .executeTakeFirst();
  return row?.arm;
}

export interface ArmRow {
  arm: ExperimentArm;
  customers: number;
  invoices: number;
  recovered: number;
  amount_cents: number;
  recovered_cents: number;
  recovered_cents_squares: number;
  messages: number;
  message_cost_cents: number;
}

/**
 * Per arm: the invoices of its customers that fell due from the start until `until` − horizon (their
 * horizon has passed by `until`), how many were paid within the horizon after the due date and
 * how much that recovered (with the sum of squares for the interval), and the messages sent to the
 * arm's customers in the period with their cost.
 */
export async function armRows(
  db: Executor,
  tenantId: string,
  experiment: ExperimentRow,
  until: string,
): Promise<ArmRow[]> {
  const result = await sql<ArmRow>`
    with arms as (
      select ea.arm, ea.customer_id from experiment_assignments ea
      where ea.tenant_id = ${tenantId}::uuid and ea.experiment_id = ${experiment.id}::uuid
    ),
    measured as (
      select a.arm, i.amount_cents,
        case when i.status = 'paid' and i.paid_at is not null
          and i.paid_at::date <= i.due_date + ${experiment.horizon_days}::int then i.amount_cents else 0 end as recovered_cents
      from arms a
      join invoices i on i.tenant_id = ${tenantId}::uuid and i.customer_id = a.customer_id
      where i.due_date >= ${experiment.started_on}::date
        and i.due_date <= ${until}::date - ${experiment.horizon_days}::int
        and i.status <> 'cancelled'
    ),
    sent as (
      select a.arm, count(*)::int as messages, coalesce(sum(m.cost_cents), 0)::bigint as cost
      from arms a
      join messages m on m.tenant_id = ${tenantId}::uuid and m.customer_id = a.customer_id
        and m.sent_at is not null and m.sent_at::date between ${experiment.started_on}::date and ${until}::date
      group by a.arm
    )
    select a.arm, count(distinct a.customer_id)::int as customers,
      coalesce(x.invoices, 0)::int as invoices, coalesce(x.recovered, 0)::int as recovered,
      coalesce(x.amount_cents, 0)::bigint as amount_cents, coalesce(x.recovered_cents, 0)::bigint as recovered_cents,
      coalesce(x.squares, 0)::float8 as recovered_cents_squares,
      coalesce(s.messages, 0)::int as messages, coalesce(s.cost, 0)::bigint as message_cost_cents
    from arms a
    left join (
      select arm, count(*) as invoices, count(*) filter (where recovered_cents > 0) as recovered,
        sum(amount_cents) as amount_cents, sum(recovered_cents) as recovered_cents,
        sum(recovered_cents::float8 * recovered_cents::float8) as squares
      from measured group by arm
    ) x on x.arm = a.arm
    left join sent s on s.arm = a.arm
    group by a.arm, x.invoices, x.recovered, x.amount_cents, x.recovered_cents, x.squares, s.messages, s.cost
    order by a.arm`.execute(db);
  return result.rows.map((row) => ({
    ...row,
    customers: Number(row.customers),
    invoices: Number(row.invoices),
    recovered: Number(row.recovered),
    amount_cents: Number(row.amount_cents),
    recovered_cents: Number(row.recovered_cents),
    recovered_cents_squares: Number(row.recovered_cents_squares),
    messages: Number(row.messages),
    message_cost_cents: Number(row.message_cost_cents),
  }));
}
