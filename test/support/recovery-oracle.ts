import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../../src/db/database.ts";
import type {
  RecoveryFigures,
  RecoveryOptions,
  RecoveryRow,
} from "../../src/modules/reports/recovery.sql.ts";
import {
  customerFilter,
  type RecoveryDimension,
  type ReportFilters,
} from "../../src/modules/reports/report.ts";

const DIMENSION_SQL: Record<RecoveryDimension, RawBuilder<unknown>> = {
  segment: sql`c.kind`,
  policy: sql`a.policy_id::text`,
  step: sql`a.step_name`,
  channel: sql`m.channel`,
  band: sql`coalesce(sc.band, 'unscored')`,
  phase: sql`case when a.offset_days <= 0 then 'pre_due' else 'post_due' end`,
};

/**
 * The test's oracle: the recovery report computed directly from messages, actions and payments on
 * each call, as src/ did before the rollup (so the rollup is checked against an independent
 * reading of the rule, not against itself). Its denominator takes the most an invoice owed in the
 * group, which is what it owed at the group's first message while the open principal only falls
 * (payments lower it; the generated portfolios plan each action on what was still open).
 *
 * The recovery report (docs/effectiveness.md, "Recovery metrics"). The cohort is the messages of
 * the régua that left (sent or delivered) in the period, on the tenant's days. Attribution is last
 * touch: a payment goes whole to the one message about its invoice sent last before it (whether or
 * not that message is in the period), if it went out at most `days` days earlier; it is credited
 * to the group of that message's action for the paid invoice. The denominator of a group is what
 * its invoices owed when the group first wrote about them (the action's open amount at planning),
 * each invoice once per group. Messages, cost, clicks and opens count each message once, in the group of
 * the action it was sent for. One statement; the last row (every dimension null) is the total.
 */
export async function directRecoveryRows(
  db: Executor,
  filters: ReportFilters,
  options: RecoveryOptions,
): Promise<{ rows: RecoveryRow[]; total: RecoveryFigures }> {
  const dimensions = [...new Set(options.groupBy)];
  const needsCustomer = dimensions.includes("segment") || filters.groupId !== null || filters.tag !== null;
  const customerJoin = needsCustomer
    ? sql`join customers c on c.tenant_id = m.tenant_id and c.id = m.customer_id ${customerFilter(filters)}`
    : sql``;
  const scoreJoin = dimensions.includes("band")
    ? sql`left join invoice_scores sc on sc.tenant_id = a.tenant_id and sc.invoice_id = a.invoice_id`
    : sql``;
  const selected = dimensions.map((dimension) => sql`${DIMENSION_SQL[dimension]} as ${sql.ref(dimension)}`);
  const touchColumns = selected.length > 0 ? sql`${sql.join(selected)},` : sql``;
  const names = dimensions.map((dimension) => sql.ref(dimension));
  const groupNames = names.length > 0 ? sql`${sql.join(names)},` : sql``;
  // grouping sets: the groups, then the total (every dimension null)
  const groupSets = names.length > 0 ? sql`grouping sets ((${sql.join(names)}), ())` : sql`()`;
  const isTotal = names.length > 0 ? sql`grouping(${sql.join(names)}) > 0` : sql`true`;
  const joinOn = (left: string, right: string) =>
    dimensions.length > 0
      ? sql.join(
          dimensions.map(
            (dimension) =>
              sql`${sql.ref(`${left}.${dimension}`)} is not distinct from ${sql.ref(`${right}.${dimension}`)}`,
          ),
          sql` and `,
        )
      : sql`true`;
  const dimensionOut =
    dimensions.length > 0
      ? sql`${sql.join(dimensions.map((dimension) => sql`coalesce(${sql.join(["ms", "iv", "py"].map((alias) => sql.ref(`${alias}.${dimension}`)))}) as ${sql.ref(dimension)}`))},`
      : sql``;
  const stepOrder = dimensions.includes("step")
    ? sql`coalesce(ms.step_offset, iv.step_offset, py.step_offset) as step_offset,`
    : sql``;
  // bands from low to high, pre-due before post-due, policies by name, the rest by code
  const orderOf: Record<RecoveryDimension, RawBuilder<unknown>> = {
    segment: sql`o.segment`,
    policy: sql`pol.name`,
    step: sql`o.step`,
    channel: sql`o.channel`,
    band: sql`array_position(array['low', 'medium', 'high', 'unscored'], o.band)`,
    phase: sql`array_position(array['pre_due', 'post_due'], o.phase)`,
  };
  const order =
    dimensions.length > 0 ? sql`, ${sql.join(dimensions.map((dimension) => orderOf[dimension]))}` : sql``;
  const start = sql`(${filters.from}::date::timestamp at time zone ${filters.timeZone})`;
  const end = sql`((${filters.to}::date + 1)::timestamp at time zone ${filters.timeZone})`;

  const result = await sql<Record<string, unknown>>`
    with touches as materialized (
      -- every invoice of every message that could be a payment's last touch: sent from the
      -- period's first day to the window's end after its last
      select ${touchColumns} m.id as message_id, m.sent_at, a.invoice_id, a.amount_cents, a.offset_days,
        a.id = m.action_id as own, m.cost_cents, m.clicked_at is not null as clicked,
        m.opened_at is not null as opened,
        m.sent_at < ${end} as in_cohort
      from messages m
      join dunning_actions a on a.tenant_id = m.tenant_id and a.group_key = m.group_key
        and a.status in ('sent', 'delivered')
      ${customerJoin}
      ${scoreJoin}
      where m.tenant_id = ${filters.tenantId}
        and m.state in ('sent', 'delivered')
        and m.sent_at >= ${start}
        and m.sent_at < ${end} + ${options.days} * interval '1 day'
    ),
    credited as (
      -- each payment's last touch, if inside the window: candidates are the touches of its
      -- invoice at most \`days\` before it, the latest wins (a later message takes the credit)
      select distinct on (p.id) t.*, p.amount_cents as paid_cents,
        (p.paid_at at time zone ${filters.timeZone})::date - (t.sent_at at time zone ${filters.timeZone})::date as days_to_pay
      from payments p
      join touches t on t.invoice_id = p.invoice_id
        and t.sent_at <= p.paid_at and t.sent_at >= p.paid_at - ${options.days} * interval '1 day'
      where p.tenant_id = ${filters.tenantId}
        and p.paid_at >= ${start} and p.paid_at < ${end} + ${options.days} * interval '1 day'
      order by p.id, t.sent_at desc, t.message_id desc
    ),
    ms as (
      select ${groupNames} ${isTotal} as total, min(offset_days) as step_offset,
        count(*) as messages, sum(cost_cents) as cost_cents, count(*) filter (where clicked) as clicks,
        count(*) filter (where opened) as opens
      from touches where in_cohort and own
      group by ${groupSets}
    ),
    invoice_touches as (
      -- an invoice once per group, at what it owed when the group first wrote about it
      select ${groupNames} invoice_id, max(amount_cents) as amount_cents, min(offset_days) as offset_days
      from touches where in_cohort
      group by ${groupNames} invoice_id
    ),
    iv as (
      ${
        names.length > 0
          ? sql`select ${groupNames} false as total, min(offset_days) as step_offset, count(*) as invoices,
                  sum(amount_cents) as due_cents
                from invoice_touches group by ${sql.join(names)}
                union all`
          : sql``
      }
      -- the total counts an invoice once, at the most it owed when any group wrote about it
      select ${sql.join([...dimensions.map((dimension) => sql`null as ${sql.ref(dimension)}`), sql`true as total`])},
        null::int as step_offset, count(*) as invoices, sum(amount_cents) as due_cents
      from (select invoice_id, max(amount_cents) as amount_cents from invoice_touches group by invoice_id) x
    ),
    py as (
      select ${groupNames} ${isTotal} as total,
        min(offset_days) as step_offset, count(*) as payments, sum(paid_cents) as recovered_cents,
        percentile_disc(0.5) within group (order by days_to_pay) as median_days
      from credited where in_cohort
      group by ${groupSets}
    ),
    o as (
      select ${dimensionOut} coalesce(ms.total, iv.total, py.total) as total, ${stepOrder}
        coalesce(ms.messages, 0) as messages, coalesce(ms.cost_cents, 0) as cost_cents,
        coalesce(ms.clicks, 0) as clicks, coalesce(ms.opens, 0) as opens,
        coalesce(iv.invoices, 0) as invoices,
        coalesce(iv.due_cents, 0) as due_cents, coalesce(py.payments, 0) as payments,
        coalesce(py.recovered_cents, 0) as recovered_cents, py.median_days
      from ms
      full join iv on iv.total = ms.total and ${joinOn("iv", "ms")}
      full join py on py.total = coalesce(ms.total, iv.total) and ${
        dimensions.length > 0
          ? sql.join(
              dimensions.map(
                (dimension) =>
                  sql`${sql.ref(`py.${dimension}`)} is not distinct from coalesce(${sql.ref(`ms.${dimension}`)}, ${sql.ref(`iv.${dimension}`)})`,
              ),
              sql` and `,
            )
          : sql`true`
      }
    )
    select o.*, ${dimensions.includes("policy") ? sql`coalesce(pol.name, o.policy)` : sql`null`} as "policyName",
      o.total as "total", ${dimensions.includes("step") ? sql`o.step_offset` : sql`null`} as "stepOffset",
      o.cost_cents as "costCents", o.due_cents as "dueCents", o.recovered_cents as "recoveredCents",
      o.median_days as "medianDaysToPay",
      case when o.due_cents > 0 then round(o.recovered_cents * 10000.0 / o.due_cents) end as "recoveryRate",
      case when o.recovered_cents > 0 then round(o.cost_cents * 10000.0 / o.recovered_cents) end as "costPerRecovered"
    from o
    ${dimensions.includes("policy") ? sql`left join policies pol on pol.tenant_id = ${filters.tenantId} and pol.id::text = o.policy` : sql``}
    -- the total last; steps in the régua's order (D-5 before D+6), the rest by code
    order by o.total${dimensions.includes("step") ? sql`, o.step_offset` : sql``}${order}`.execute(db);
  const rows = result.rows.map((row) => figuresOf(row, dimensions));
  const totalIndex = result.rows.findIndex((row) => row.total);
  const total = totalIndex >= 0 ? rows[totalIndex]! : emptyFigures();
  return { rows: rows.filter((_, index) => index !== totalIndex), total };
}

function emptyFigures(): RecoveryFigures {
  return {
    messages: 0,
    costCents: 0,
    clicks: 0,
    opens: 0,
    invoices: 0,
    dueCents: 0,
    payments: 0,
    recoveredCents: 0,
    recoveryRate: null,
    medianDaysToPay: null,
    costPerRecovered: null,
  };
}

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function figuresOf(row: Record<string, unknown>, dimensions: RecoveryDimension[]): RecoveryRow {
  const out: RecoveryRow = {
    messages: Number(row.messages),
    costCents: Number(row.costCents),
    clicks: Number(row.clicks),
    opens: Number(row.opens),
    invoices: Number(row.invoices),
    dueCents: Number(row.dueCents),
    payments: Number(row.payments),
    recoveredCents: Number(row.recoveredCents),
    recoveryRate: nullableNumber(row.recoveryRate),
    medianDaysToPay: nullableNumber(row.medianDaysToPay),
    costPerRecovered: nullableNumber(row.costPerRecovered),
  };
  for (const dimension of dimensions) out[dimension] = String(row[dimension]);
  if (dimensions.includes("policy")) out.policyName = String(row.policyName);
  return out;
}
