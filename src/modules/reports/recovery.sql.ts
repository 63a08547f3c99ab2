import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { VARYING_DIMENSIONS, type VaryingDimension } from "../attribution/attribution.sql.ts";
import { customerFilter, type RecoveryDimension, type ReportFilters } from "./report.ts";

export interface RecoveryOptions {
  /** a payment counts for a message sent at most this many days before it */
  days: number;
  /** in the order given; none is one row for everything */
  groupBy: readonly RecoveryDimension[];
}

/** The figures of a group of messages (or of all of them). */
export interface RecoveryFigures {
  messages: number;
  costCents: number;
  clicks: number;
  /** messages whose e-mail tracking image was loaded (docs/messages.md § Opens) */
  opens: number;
  /** invoices the group's messages were about */
  invoices: number;
  /** Σ over those invoices of what was open when the group first wrote about it (the denominator) */
  dueCents: number;
  payments: number;
  recoveredCents: number;
  /** recovered ÷ due, basis points; null with nothing due */
  recoveryRate: number | null;
  /** median of the days between a credited payment and its message (tenant's days); null with none */
  medianDaysToPay: number | null;
  /** cost ÷ recovered in basis points (150 = R$ 0,015 per real recovered); null with nothing recovered */
  costPerRecovered: number | null;
}

export type RecoveryRow = RecoveryFigures & {
  segment?: string;
  policy?: string;
  policyName?: string;
  step?: string;
  channel?: string;
  band?: string;
  phase?: string;
};

/** Each grouping over the rollup's columns (the same in its daily sums and in its facts). */
const DIMENSION_SQL: Record<RecoveryDimension, RawBuilder<unknown>> = {
  segment: sql`segment`,
  policy: sql`policy_id::text`,
  step: sql`step_name`,
  channel: sql`channel`,
  band: sql`band`,
  phase: sql`case when offset_days <= 0 then 'pre_due' else 'post_due' end`,
};

/**
 * The recovery report (docs/effectiveness.md, "Recovery metrics"), read from the attribution
 * rollup that `attribution/attribution.sql.ts` keeps (the home of the rule; the caller refreshes it
 * first, `refreshAttribution`, on the primary). The cohort is the messages of the régua that left
 * in the period, on the tenant's days; a payment goes whole to its last touch if that message went
 * out at most `days` days before it; an invoice counts once per group, at what it owed when the
 * group first wrote about it in the period. Without a customer filter it reads the daily sums; with
 * a group or tag, the facts of the customers in it. One statement; the last row is the total.
 */
export async function recoveryRows(
  db: Executor,
  filters: ReportFilters,
  options: RecoveryOptions,
): Promise<{ rows: RecoveryRow[]; total: RecoveryFigures }> {
  const dimensions = [...new Set(options.groupBy)];
  const grouping = dimensions.reduce(
    (bits, dimension) => bits | (VARYING_DIMENSIONS[dimension as VaryingDimension] ?? 0),
    0,
  );
  const tenant = sql`${filters.tenantId}::uuid`;
  const inPeriod = sql`sent_on between ${filters.from}::date and ${filters.to}::date`;
  const filtered = filters.groupId !== null || filters.tag !== null;
  const customers = sql`join customers c on c.tenant_id = f.tenant_id and c.id = f.customer_id ${customerFilter(filters)}`;
  const messagesOf = filtered
    ? sql`(select f.*, 1 as messages, case when f.clicked then 1 else 0 end as clicks,
          case when f.opened then 1 else 0 end as opens
        from recovery_touches f ${customers} where f.tenant_id = ${tenant} and f.own and f.sent_on between ${filters.from}::date and ${filters.to}::date)`
    : sql`(select * from recovery_message_days where tenant_id = ${tenant} and ${inPeriod})`;
  // the invoices a grouping counts: at their first touch in the period (the previous one before it)
  const invoicesOf = (bits: number) =>
    filtered
      ? sql`(select f.*, 1 as invoices, f.amount_cents as due_cents
          from recovery_touches f ${customers}
          where f.tenant_id = ${tenant} and f.sent_on between ${filters.from}::date and ${filters.to}::date
            and coalesce(f.since_on[${bits + 1}], '-infinity') < ${filters.from}::date)`
      : sql`(select * from recovery_invoice_days where tenant_id = ${tenant} and grouping = ${bits}
          and ${inPeriod} and since_on < ${filters.from}::date)`;
  const creditsOf = filtered
    ? sql`(select f.*, 1 as payments, f.paid_cents as recovered_cents
        from recovery_credits f ${customers}
        where f.tenant_id = ${tenant} and f.sent_on between ${filters.from}::date and ${filters.to}::date
          and f.window_days <= ${options.days})`
    : sql`(select * from recovery_credit_days where tenant_id = ${tenant} and ${inPeriod}
        and window_days <= ${options.days})`;
  const selected = dimensions.map((dimension) => sql`${DIMENSION_SQL[dimension]} as ${sql.ref(dimension)}`);
  const dimensionColumns = selected.length > 0 ? sql`${sql.join(selected)},` : sql``;
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
  const dayGroups =
    names.length > 0
      ? sql`grouping sets ((${sql.join(names)}, days_to_pay), (days_to_pay))`
      : sql`days_to_pay`;
  const partition = names.length > 0 ? sql`total, ${sql.join(names)}` : sql`total`;

  const result = await sql<Record<string, unknown>>`
    with ms as (
      select ${groupNames} ${isTotal} as total, min(offset_days) as step_offset,
        sum(messages) as messages, sum(cost_cents) as cost_cents, sum(clicks) as clicks, sum(opens) as opens
      from (select ${dimensionColumns} offset_days, messages, cost_cents, clicks, opens from ${messagesOf} s) m
      group by ${groupSets}
    ),
    iv as (
      ${
        names.length > 0
          ? sql`select ${groupNames} false as total, min(offset_days) as step_offset, sum(invoices) as invoices,
                  sum(due_cents) as due_cents
                from (select ${dimensionColumns} offset_days, invoices, due_cents from ${invoicesOf(grouping)} s) i
                group by ${sql.join(names)}
                union all`
          : sql``
      }
      -- the total counts an invoice once, at its first touch in the period
      select ${sql.join([...dimensions.map((dimension) => sql`null as ${sql.ref(dimension)}`), sql`true as total`])},
        null::int as step_offset, coalesce(sum(invoices), 0) as invoices, sum(due_cents) as due_cents
      from ${invoicesOf(0)} i
    ),
    py_days as (
      select ${groupNames} ${names.length > 0 ? isTotal : sql`true`} as total, days_to_pay,
        min(offset_days) as step_offset, sum(payments) as payments, sum(recovered_cents) as recovered_cents
      from (select ${dimensionColumns} offset_days, days_to_pay, payments, recovered_cents from ${creditsOf} s) c
      group by ${dayGroups}
    ),
    py as (
      -- the median (percentile_disc 0.5): the first days whose running count reaches half
      select ${groupNames} total, min(step_offset) as step_offset, sum(payments) as payments,
        sum(recovered_cents) as recovered_cents, min(days_to_pay) filter (where 2 * running >= everything) as median_days
      from (
        select *, sum(payments) over (partition by ${partition} order by days_to_pay) as running,
          sum(payments) over (partition by ${partition}) as everything
        from py_days
      ) d
      group by ${partition}
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
