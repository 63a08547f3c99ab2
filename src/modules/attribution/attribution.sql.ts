import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../../db/database.ts";

/**
 * Glossary: a *touch* is a message of the régua that left (sent or delivered) × an action of its
 * group that was sent — the message "wrote about" that action's invoice. A payment's *last touch*
 * is the touch of its invoice sent last at or before it; it is *credited* when it went out at most
 * the report's window (`days`) before the payment. A *grouping* is a bit set of the dimensions that
 * can differ between the touches of one invoice (policy, step, channel, phase); segment and band
 * are the invoice's own. A customer is *stale* when something its touches or credits are made of
 * changed since the last refresh (the triggers of migration 0043 mark it).
 *
 * This file is the one home of last-touch attribution (docs/effectiveness.md § Recovery metrics):
 * it turns messages, actions, payments, customers and scores into the facts and daily sums of the
 * rollup, which the recovery report (`reports/recovery.sql.ts`) only reads.
 */

/** The dimensions that differ between the touches of one invoice, as bits of a grouping. */
export const VARYING_DIMENSIONS = { policy: 1, step: 2, channel: 4, phase: 8 } as const;
export type VaryingDimension = keyof typeof VARYING_DIMENSIONS;
const GROUPINGS = Array.from({ length: 16 }, (_, grouping) => grouping);

const PHASE = sql`case when offset_days <= 0 then 'pre_due' else 'post_due' end`;

/** The partition of a grouping: the invoice's touches that share the grouping's dimensions. */
function partitionOf(grouping: number): RawBuilder<unknown> {
  const columns = [sql`invoice_id`];
  if (grouping & VARYING_DIMENSIONS.policy) columns.push(sql`policy_id`);
  if (grouping & VARYING_DIMENSIONS.step) columns.push(sql`step_name`);
  if (grouping & VARYING_DIMENSIONS.channel) columns.push(sql`channel`);
  if (grouping & VARYING_DIMENSIONS.phase) columns.push(PHASE);
  return sql.join(columns);
}

/** How many stale customers one refresh transaction takes: short transactions, set-based work. */
export const REFRESH_BATCH = 5_000;

const TOUCH_KEY = sql`sent_on, segment, band, policy_id, step_name, offset_days, channel`;

/**
 * Takes up to `limit` stale customers of the tenant (waiting for those another refresh holds, so
 * a report that refreshes first reads what that refresh wrote) and computes their touches and
 * credits again, moving the daily sums by the difference. Runs in the caller's transaction; returns
 * how many customers it took (0: nothing was stale).
 */
export async function refreshStaleCustomers(trx: Executor, tenantId: string, limit: number): Promise<number> {
  const claimed = await sql<{ customer_id: string }>`
    delete from recovery_stale
    where tenant_id = ${tenantId}::uuid and customer_id in (
      select customer_id from recovery_stale where tenant_id = ${tenantId}::uuid
      order by customer_id limit ${limit} for update)
    returning customer_id`.execute(trx);
  if (claimed.rows.length === 0) return 0;
  const customers = sql`${claimed.rows.map((row) => row.customer_id)}::uuid[]`;
  const zone = sql`(select time_zone from tenants where id = ${tenantId}::uuid)`;
  const sinceColumns = sql.join(
    GROUPINGS.map(
      (grouping) =>
        // ties (one message about two actions of an invoice) count the larger amount first
        sql`lag(sent_on) over (partition by ${partitionOf(grouping)} order by sent_at, amount_cents desc, action_id)`,
    ),
  );

  // the touches as they are now
  await sql`
    create temp table recovery_new_touches on commit drop as
    select t.*, array[${sinceColumns}]::date[] as since_on
    from (
      select m.tenant_id, a.id as action_id, m.customer_id, a.invoice_id, m.id as message_id, m.sent_at,
        (m.sent_at at time zone ${zone})::date as sent_on, c.kind as segment,
        coalesce(sc.band, 'unscored') as band, a.policy_id, a.step_name, a.offset_days, m.channel,
        a.amount_cents, a.id = m.action_id as own, m.cost_cents::bigint as cost_cents,
        m.clicked_at is not null as clicked, m.opened_at is not null as opened
      from messages m
      join dunning_actions a on a.tenant_id = m.tenant_id and a.group_key = m.group_key
        and a.status in ('sent', 'delivered')
      join customers c on c.tenant_id = m.tenant_id and c.id = m.customer_id
      left join invoice_scores sc on sc.tenant_id = a.tenant_id and sc.invoice_id = a.invoice_id
      where m.tenant_id = ${tenantId}::uuid and m.customer_id = any(${customers})
        and m.state in ('sent', 'delivered') and m.sent_at is not null
    ) t`.execute(trx);

  // each payment of those invoices goes whole to its last touch: the latest at or before it
  await sql`
    create temp table recovery_new_credits on commit drop as
    select distinct on (p.id) p.tenant_id, p.id as payment_id, t.customer_id, t.invoice_id, t.action_id,
      t.sent_on, t.segment, t.band, t.policy_id, t.step_name, t.offset_days, t.channel,
      -- the smallest whole number of days n with sent_at ≥ paid_at − n days: credited when n ≤ days
      ceil(extract(epoch from p.paid_at - t.sent_at) / 86400)::int as window_days,
      (p.paid_at at time zone ${zone})::date - t.sent_on as days_to_pay,
      p.amount_cents as paid_cents
    from payments p
    join recovery_new_touches t on t.tenant_id = p.tenant_id and t.invoice_id = p.invoice_id
      and t.sent_at <= p.paid_at
    where p.tenant_id = ${tenantId}::uuid
      and p.invoice_id in (select invoice_id from recovery_new_touches)
    order by p.id, t.sent_at desc, t.message_id desc, t.action_id desc`.execute(trx);

  const oldTouches = sql`(select * from recovery_touches where tenant_id = ${tenantId}::uuid and customer_id = any(${customers}))`;
  const oldCredits = sql`(select * from recovery_credits where tenant_id = ${tenantId}::uuid and customer_id = any(${customers}))`;

  // the daily sums move by (new − old); a sum that falls to nothing is removed
  await sql`
    create temp table recovery_message_delta on commit drop as
    select ${TOUCH_KEY}, sum(sign) as messages, sum(sign * cost_cents) as cost_cents,
      sum(sign) filter (where clicked) as clicks, sum(sign) filter (where opened) as opens
    from (
      select *, -1 as sign from ${oldTouches} o where own
      union all
      select *, 1 as sign from recovery_new_touches where own
    ) d
    group by ${TOUCH_KEY}`.execute(trx);
  await sql`
    insert into recovery_message_days (tenant_id, ${TOUCH_KEY}, messages, cost_cents, clicks, opens)
    select ${tenantId}::uuid, ${TOUCH_KEY}, messages, cost_cents, coalesce(clicks, 0), coalesce(opens, 0)
    from recovery_message_delta
    where messages <> 0 or cost_cents <> 0 or clicks <> 0 or opens <> 0
    on conflict (tenant_id, sent_on, segment, band, policy_id, step_name, offset_days, channel) do update set
      messages = recovery_message_days.messages + excluded.messages,
      cost_cents = recovery_message_days.cost_cents + excluded.cost_cents,
      clicks = recovery_message_days.clicks + excluded.clicks,
      opens = recovery_message_days.opens + excluded.opens`.execute(trx);
  await sql`
    delete from recovery_message_days r using recovery_message_delta d
    where r.tenant_id = ${tenantId}::uuid and r.messages = 0
      and (r.sent_on, r.segment, r.band, r.policy_id, r.step_name, r.offset_days, r.channel)
        = (d.sent_on, d.segment, d.band, d.policy_id, d.step_name, d.offset_days, d.channel)`.execute(trx);

  await sql`
    create temp table recovery_invoice_delta on commit drop as
    select g.grouping::smallint as grouping, ${TOUCH_KEY}, coalesce(d.since_on[g.grouping + 1], '-infinity') as since_on,
      sum(sign) as invoices, sum(sign * amount_cents) as due_cents
    from (
      select *, -1 as sign from ${oldTouches} o
      union all
      select *, 1 as sign from recovery_new_touches
    ) d
    cross join generate_series(0, 15) as g (grouping)
    group by g.grouping, ${TOUCH_KEY}, coalesce(d.since_on[g.grouping + 1], '-infinity')`.execute(trx);
  await sql`
    insert into recovery_invoice_days (tenant_id, grouping, since_on, ${TOUCH_KEY}, invoices, due_cents)
    select ${tenantId}::uuid, grouping, since_on, ${TOUCH_KEY}, invoices, due_cents
    from recovery_invoice_delta where invoices <> 0 or due_cents <> 0
    on conflict (tenant_id, grouping, sent_on, since_on, segment, band, policy_id, step_name, offset_days, channel)
    do update set invoices = recovery_invoice_days.invoices + excluded.invoices,
      due_cents = recovery_invoice_days.due_cents + excluded.due_cents`.execute(trx);
  await sql`
    delete from recovery_invoice_days r using recovery_invoice_delta d
    where r.tenant_id = ${tenantId}::uuid and r.invoices = 0 and r.grouping = d.grouping and r.since_on = d.since_on
      and (r.sent_on, r.segment, r.band, r.policy_id, r.step_name, r.offset_days, r.channel)
        = (d.sent_on, d.segment, d.band, d.policy_id, d.step_name, d.offset_days, d.channel)`.execute(trx);

  await sql`
    create temp table recovery_credit_delta on commit drop as
    select ${TOUCH_KEY}, window_days, days_to_pay, sum(sign) as payments, sum(sign * paid_cents) as recovered_cents
    from (
      select *, -1 as sign from ${oldCredits} o
      union all
      select *, 1 as sign from recovery_new_credits
    ) d
    group by ${TOUCH_KEY}, window_days, days_to_pay`.execute(trx);
  await sql`
    insert into recovery_credit_days (tenant_id, ${TOUCH_KEY}, window_days, days_to_pay, payments, recovered_cents)
    select ${tenantId}::uuid, ${TOUCH_KEY}, window_days, days_to_pay, payments, recovered_cents
    from recovery_credit_delta where payments <> 0 or recovered_cents <> 0
    on conflict (tenant_id, sent_on, segment, band, policy_id, step_name, offset_days, channel, window_days, days_to_pay)
    do update set payments = recovery_credit_days.payments + excluded.payments,
      recovered_cents = recovery_credit_days.recovered_cents + excluded.recovered_cents`.execute(trx);
  await sql`
    delete from recovery_credit_days r using recovery_credit_delta d
    where r.tenant_id = ${tenantId}::uuid and r.payments = 0
      and (r.sent_on, r.segment, r.band, r.policy_id, r.step_name, r.offset_days, r.channel, r.window_days, r.days_to_pay)
        = (d.sent_on, d.segment, d.band, d.policy_id, d.step_name, d.offset_days, d.channel, d.window_days, d.days_to_pay)`.execute(
    trx,
  );

  // the facts replaced
  await sql`delete from recovery_touches where tenant_id = ${tenantId}::uuid and customer_id = any(${customers})`.execute(
    trx,
  );
  await sql`delete from recovery_credits where tenant_id = ${tenantId}::uuid and customer_id = any(${customers})`.execute(
    trx,
  );
  await sql`insert into recovery_touches select * from recovery_new_touches`.execute(trx);
  await sql`insert into recovery_credits select * from recovery_new_credits`.execute(trx);
  await sql`drop table recovery_new_touches, recovery_new_credits, recovery_message_delta,
    recovery_invoice_delta, recovery_credit_delta`.execute(trx);
  return claimed.rows.length;
}

/** Whether the tenant has a stale customer. */
export async function hasStaleCustomers(db: Executor, tenantId: string): Promise<boolean> {
  const result = await sql<{ stale: boolean }>`
    select exists (select 1 from recovery_stale where tenant_id = ${tenantId}::uuid) as stale`.execute(db);
  return result.rows[0]?.stale === true;
}

/** How many of the tenant's customers are stale (counted only when a budgeted refresh left some). */
export async function countStaleCustomers(db: Executor, tenantId: string): Promise<number> {
  const result = await sql<{ count: number }>`
    select count(*)::int as count from recovery_stale where tenant_id = ${tenantId}::uuid`.execute(db);
  return Number(result.rows[0]?.count ?? 0);
}

/** The tenants with stale customers (the worker's tick refreshes each). */
export async function tenantsWithStaleAttribution(db: Executor): Promise<string[]> {
  const result = await sql<{ tenant_id: string }>`select distinct tenant_id from recovery_stale`.execute(db);
  return result.rows.map((row) => row.tenant_id);
}
