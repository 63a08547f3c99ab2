import { type RawBuilder, sql } from "kysely";
import {
  contactFlags,
  contactSkip,
  lacksUsableChannel,
} from "../contact-eligibility/contact-eligibility.sql.ts";
import { experimentPolicy, heldOutCustomers } from "../experiments/planner-hook.sql.ts";
import { governingPolicy, type PolicyMatcher } from "../policies/governing-policy.sql.ts";
import { inScoreBands } from "../scores/score-bands.sql.ts";

/**
 * The planner's one SQL pass. Open invoices whose due date makes one of their policy's steps fall
 * on a planned day × that step × each of its channels become `dunning_actions` rows, planned or
 * skipped with a reason, in one INSERT … SELECT; the unique key (invoice, step, channel) with
 * ON CONFLICT DO NOTHING makes planning a day twice a no-op, even with two planners at once.
 *
 * The calendar work was done in TypeScript and arrives as small arrays:
 * - targets (step_id, planned_on, due_date, deadline): which due dates each step falls on for
 *   each planned day, and the last day a reminder still makes sense;
 * - windows (state, window_key, send_on, start, end): the first day with contact hours for each
 *   state (and step window), on or after the run day.
 */
export interface PlannerParameters {
  tenantId: string;
  /** The day the run happens (catch-up actions go out on this day at the earliest). */
  runDate: string;
  targets: { stepId: string; plannedOn: string; dueDate: string; deadline: string | null }[];
  windows: { state: string; windowKey: string; sendOn: string; start: string; end: string }[];
  /** States with a window of their own; customers elsewhere use '*'. */
  states: string[];
  matcher: PolicyMatcher;
  /** Whether any policy caps messages per week (the cap then reads the six days before). */
  weeklyCap: boolean;
  /** Whether messages are already planned or sent in the days the cap reads (see existingMessages). */
  hasExistingMessages: boolean;
  /** Restricts the pass to one invoice or one customer (preview). */
  invoiceId?: string | undefined;
  customerId?: string | undefined;
}

/**
 * Invoices that left the régua because an agreement in force (proposed or active) replaces them;
 * they come back when it lapses, breaks or is cancelled. An uncorrelated subquery for NOT IN.
 */
export function invoicesInAgreement(tenantId: string): RawBuilder<unknown> {
  return sql`(select ao.invoice_id from agreement_invoices ao
      join agreements a on a.tenant_id = ao.tenant_id and a.id = ao.agreement_id
      where ao.tenant_id = ${tenantId}::uuid and a.status in ('proposed', 'active'))`;
}

/** The candidate actions with their decided status, as a SELECT (shared by planning and preview). */
export function decidedActions(parameters: PlannerParameters): RawBuilder<unknown> {
  const { tenantId, targets, windows } = parameters;
  const dueDates = [...new Set(targets.map((target) => target.dueDate))];
  const sendDays = windows.map((window) => window.sendOn).sort();
  const earliestSend = sendDays[0] ?? parameters.runDate;
  const latestSend = sendDays[sendDays.length - 1] ?? parameters.runDate;
  const invoiceFilter = parameters.invoiceId ? sql`and i.id = ${parameters.invoiceId}::uuid` : sql``;
  const customerFilter = parameters.customerId
    ? sql`and i.customer_id = ${parameters.customerId}::uuid`
    : sql``;
  return sql`
    with targets as (
      select * from unnest(
        ${targets.map((target) => target.stepId)}::uuid[],
        ${targets.map((target) => target.plannedOn)}::date[],
        ${targets.map((target) => target.dueDate)}::date[],
        ${targets.map((target) => target.deadline)}::date[]
      ) as t (step_id, planned_on, due_date, deadline)
    ),
    windows as (
      select * from unnest(
        ${windows.map((window) => window.state)}::text[],
        ${windows.map((window) => window.windowKey)}::text[],
        ${windows.map((window) => window.sendOn)}::date[],
        ${windows.map((window) => window.start)}::time[],
        ${windows.map((window) => window.end)}::time[]
      ) as w (state, window_key, send_on, start_time, end_time)
    ),
    governed as materialized (
      select
        i.id as invoice_id, i.customer_id, i.due_date, i.amount_cents - i.paid_cents as outstanding,
        c.time_zone,
        c.address_street is not null and c.address_postal_code is not null as has_address,
        case when c.address_state::text = any(${parameters.states}::text[]) then c.address_state::text else '*' end
          as window_state,
        ${experimentPolicy(tenantId, governingPolicy(parameters.matcher))} as policy_id
      from invoices i
      join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id
      left join contracts ct on ct.tenant_id = i.tenant_id and ct.id = i.contract_id
      where i.tenant_id = ${tenantId}::uuid and i.status = 'open' and i.amount_cents > i.paid_cents
        and i.due_date = any(${dueDates}::date[])
        and i.id not in ${invoicesInAgreement(tenantId)}
        ${invoiceFilter} ${customerFilter}
    ),
    -- pauses and disputes in force (few rows)
    held as materialized (
      select cp.customer_id, cp.invoice_id, cp.kind from customer_pauses cp
      where cp.tenant_id = ${tenantId}::uuid and cp.released_at is null
        and (cp.kind = 'dispute' or cp.until >= ${parameters.runDate}::date)
    ),
    -- per customer, one aggregate over its contacts: which channels it may be contacted on
    -- (src/modules/contact-eligibility, the rule the dispatcher applies too)
    contact_flags as materialized (${contactFlags(tenantId, sql`(select customer_id from governed)`)}),
    -- the few (step, channel) pairs falling on each target due date with their policy's settings,
    -- joined once here rather than per invoice below
    step_targets as materialized (
      select t.planned_on, t.due_date, t.deadline,
        s.id as step_id, s.name as step_name, s.offset_days, s.policy_id, ch.channel,
        s.templates ->> ch.channel as template,
        case when s.window_start is null then '' else s.id::text end as window_key,
        s.min_amount_cents, s.max_amount_cents, s.verified_contacts_only, s.only_without_channel,
        s.only_if_step, s.only_if_outcome, s.score_bands,
        p.max_messages_per_channel_per_day as cap_day, p.max_messages_per_channel_per_week as cap_week,
        p.group_by_customer
      from targets t
      join policy_steps s on s.tenant_id = ${tenantId}::uuid and s.id = t.step_id
      join policies p on p.tenant_id = s.tenant_id and p.id = s.policy_id
      cross join lateral unnest(s.channels) as ch (channel)
    ),
    candidates as (
      select
        g.invoice_id, g.customer_id, g.outstanding, g.time_zone, s.planned_on,
        s.step_id, s.step_name, s.offset_days, s.policy_id, s.channel, s.template,
        w.send_on, w.start_time, w.end_time, s.cap_day, s.cap_week,
        case when s.group_by_customer
          then concat_ws('/', g.customer_id, s.step_id, s.channel, s.planned_on)
          else concat_ws('/', g.invoice_id, s.step_id, s.channel)
        end as group_key,
        case when s.group_by_customer then null else g.invoice_id end as ungrouped_invoice_id,
        case
          when s.deadline is not null and w.send_on > s.deadline then 'moment_passed'
          when g.customer_id in (select h.customer_id from held h where h.kind = 'pause') then 'paused'
          when g.invoice_id in (select h.invoice_id from held h where h.kind = 'dispute') then 'disputed'
          when g.customer_id in ${heldOutCustomers(tenantId)} and s.channel <> 'task' then 'experiment_holdout'
          when s.channel in ('email', 'sms', 'whatsapp')
            then ${contactSkip(sql`s.channel`, sql`s.verified_contacts_only`, "f")}
          when s.channel = 'letter' and not g.has_address then 'no_address'
        end as pre_skip
      from governed g
      join step_targets s on s.due_date = g.due_date and s.policy_id = g.policy_id
      join windows w on w.state = g.window_state and w.window_key = s.window_key
      left join contact_flags f on f.customer_id = g.customer_id
      where (s.min_amount_cents is null or g.outstanding >= s.min_amount_cents)
        and (s.max_amount_cents is null or g.outstanding <= s.max_amount_cents)
        and (s.only_without_channel is null or ${lacksUsableChannel(sql`s.only_without_channel`, "f")})
        -- score bands (src/modules/scores): an invoice not scored yet gets the step
        and ${inScoreBands(sql`${tenantId}::uuid`, sql`g.invoice_id`, sql`s.score_bands`)}
        and (s.only_if_step is null or exists (
          select 1 from dunning_actions a
          where a.tenant_id = ${tenantId}::uuid and a.invoice_id = g.invoice_id and a.policy_id = s.policy_id
            and a.step_name = s.only_if_step
            and (case s.only_if_outcome
                   when 'succeeded' then a.status in ('sent', 'delivered')
                   else a.status in ('failed', 'skipped') end)))
    ),
${existingMessages(parameters, earliestSend, latestSend)}
    ranked as (
      select z.*,
        -- one rank per message: a group is (step, planned day), or (step, invoice) when not grouped;
        -- ordered by ids, not by the group_key text, whose collation-aware sort is slow
        dense_rank() over (
          partition by z.customer_id, z.channel, z.send_on, z.capped
          order by z.offset_days desc, z.step_id, z.planned_on, z.ungrouped_invoice_id
        ) as message_rank
      from counted z
    )
    select
      r.invoice_id, r.customer_id, r.policy_id, r.step_id, r.step_name, r.offset_days,
      r.channel, r.template, r.group_key, r.planned_on, r.send_on, r.outstanding as amount_cents,
      (r.send_on + r.start_time) at time zone r.time_zone as scheduled_for,
      (r.send_on + r.end_time) at time zone r.time_zone as send_until,
      coalesce(r.pre_skip, case
        when r.capped and (r.sent_that_day + r.message_rank > r.cap_day
          or (r.cap_week is not null and r.sent_that_week + r.message_rank > r.cap_week))
        then 'frequency_cap' end) as skip_reason
    from ranked r`;
}

/**
 * The frequency cap's view of messages already planned or sent in the week up to each send day,
 * and `counted`: each candidate with those counts and whether it would start a new message. When
 * the planner found no such messages (the usual first run of a day) the joins are left out.
 */
function existingMessages(
  parameters: PlannerParameters,
  earliestSend: string,
  latestSend: string,
): RawBuilder<unknown> {
  if (!parameters.hasExistingMessages) {
    return sql`counted as (
      select x.*, 0 as sent_that_day, 0 as sent_that_week,
        x.pre_skip is null and x.channel not in ('task', 'webhook') as capped
      from candidates x
    ),`;
  }
  return sql`    -- messages already planned or sent to these customers in the week up to each send day
    existing as materialized (
      select a.customer_id, a.channel, a.send_on, a.group_key
      from dunning_actions a
      where a.tenant_id = ${parameters.tenantId}::uuid and a.status in ('planned', 'sent', 'delivered')
        and a.send_on between ${parameters.weeklyCap ? sql`${earliestSend}::date - 6` : sql`${earliestSend}::date`}
          and ${latestSend}::date
      group by a.customer_id, a.channel, a.send_on, a.group_key
    ),
    existing_counts as materialized (
      select d.send_on, e.customer_id, e.channel,
        count(distinct e.group_key) filter (where e.send_on = d.send_on) as that_day,
        count(distinct e.group_key) as that_week
      from existing e
      join (select distinct send_on from windows) d on e.send_on between d.send_on - 6 and d.send_on
      group by d.send_on, e.customer_id, e.channel
    ),
    counted as (
      select x.*,
        coalesce(ec.that_day, 0) as sent_that_day,
        coalesce(ec.that_week, 0) as sent_that_week,
        -- debtor contact that would start a new message: subject to the frequency cap
        x.pre_skip is null and x.channel not in ('task', 'webhook') and joined.group_key is null as capped
      from candidates x
      left join existing_counts ec on ec.customer_id = x.customer_id and ec.channel = x.channel
        and ec.send_on = x.send_on
      -- the message this action would join already exists: it adds an invoice, not a message
      left join existing joined on joined.customer_id = x.customer_id and joined.channel = x.channel
        and joined.send_on = x.send_on and joined.group_key = x.group_key
    ),`;
}

/**
 * Writes the decided actions; returns counts per channel, status and reason of the rows written.
 * With `skipExisting`, rows whose key (invoice, step, channel) exists are left out (ON CONFLICT DO
 * NOTHING); without it such a row fails the statement with a unique violation (see planDay).
 */
export function insertPlannedActions(
  parameters: PlannerParameters,
  skipExisting: boolean,
): RawBuilder<{
  channel: string;
  status: string;
  skip_reason: string | null;
  count: number;
}> {
  return sql`
    with decided as (${decidedActions(parameters)}),
    written as (
      insert into dunning_actions (
        tenant_id, invoice_id, customer_id, policy_id, step_id, step_name, offset_days, channel, template,
        group_key, status, skip_reason, planned_on, send_on, scheduled_for, send_until, amount_cents)
      select
        ${parameters.tenantId}::uuid, d.invoice_id, d.customer_id, d.policy_id, d.step_id, d.step_name,
        d.offset_days, d.channel, d.template, d.group_key,
        case when d.skip_reason is null then 'planned' else 'skipped' end, d.skip_reason,
        d.planned_on, d.send_on, d.scheduled_for, d.send_until, d.amount_cents
      from decided d
      ${skipExisting ? sql`on conflict (tenant_id, invoice_id, step_id, channel) do nothing` : sql``}
      returning channel, status, skip_reason
    )
    select channel, status, skip_reason, count(*)::integer as count
    from written
    group by channel, status, skip_reason
    order by channel, status, skip_reason`;
}
