import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { BusinessCalendar } from "../../domain/calendar.ts";
import { addDays, type IsoDate, todayIn } from "../../domain/dates.ts";
import { reminderDeadline } from "../../domain/dunning-schedule.ts";
import { listPolicies, loadContactWindows } from "../policies/policy.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { contactSlots, DEFAULT_CATCH_UP_DAYS } from "./planner.ts";

export interface CatchUpResult {
  /** actions moved to the next contact window */
  moved: number;
  /** pre-due reminders whose next window falls on or after the due date: skipped, moment_passed */
  skipped: number;
}

/**
 * Actions planned but never sent because their contact window passed while nothing ran (a night
 * of downtime, a worker stopped) would otherwise be skipped by the dispatcher as `window_closed`.
 * Those planned for a day inside the catch-up period go out in the next window still open at
 * `now` (the planner's own slots, per state and step window); a pre-due reminder whose next
 * window falls after its deadline stays skipped, with the planner's reason (`moment_passed`).
 * Actions already turned into a message are the dispatcher's. One set-based UPDATE.
 */
export async function catchUpMissedWindows(
  db: Executor,
  tenant: Tenant,
  now: Date,
  catchUpDays = DEFAULT_CATCH_UP_DAYS,
): Promise<CatchUpResult> {
  const since = addDays(todayIn(tenant.timeZone, now), -catchUpDays);
  const missed = await sql<{ due_date: IsoDate; offset_days: number }>`
    select distinct i.due_date, a.offset_days
    from dunning_actions a
    join invoices i on i.tenant_id = a.tenant_id and i.id = a.invoice_id
    where ${missedAction(tenant.id, now, since)}`.execute(db);
  if (missed.rows.length === 0) return { moved: 0, skipped: 0 };

  const [policies, windows] = await Promise.all([
    listPolicies(db, tenant.id),
    loadContactWindows(db, tenant.id),
  ]);
  const today = todayIn(tenant.timeZone, now);
  const slots = contactSlots(
    tenant,
    policies.flatMap((policy) => policy.steps),
    windows,
    today,
    now,
  );
  const calendar = new BusinessCalendar(tenant.extraHolidays);
  const deadlines = missed.rows.map((row) => ({
    dueDate: row.due_date,
    offsetDays: row.offset_days,
    deadline: reminderDeadline(row.due_date, row.offset_days, calendar),
  }));
  const result = await sql<{ status: string }>`
    with windows as (
      select * from unnest(
        ${slots.rows.map((slot) => slot.state)}::text[],
        ${slots.rows.map((slot) => slot.windowKey)}::text[],
        ${slots.rows.map((slot) => slot.sendOn)}::date[],
        ${slots.rows.map((slot) => slot.start)}::time[],
        ${slots.rows.map((slot) => slot.end)}::time[]
      ) as w (state, window_key, send_on, start_time, end_time)
    ),
    deadlines as (
      select * from unnest(
        ${deadlines.map((row) => row.dueDate)}::date[],
        ${deadlines.map((row) => row.offsetDays)}::integer[],
        ${deadlines.map((row) => row.deadline)}::date[]
      ) as d (due_date, offset_days, deadline)
    ),
    next_slot as (
      select a.id, w.send_on, d.deadline,
        (w.send_on + w.start_time) at time zone c.time_zone as scheduled_for,
        (w.send_on + w.end_time) at time zone c.time_zone as send_until
      from dunning_actions a
      join invoices i on i.tenant_id = a.tenant_id and i.id = a.invoice_id
      join customers c on c.tenant_id = a.tenant_id and c.id = a.customer_id
      join policy_steps s on s.tenant_id = a.tenant_id and s.id = a.step_id
      join windows w
        on w.state = case when c.address_state::text = any(${slots.states}::text[])
                       then c.address_state::text else '*' end
        and w.window_key = case when s.window_start is null then '' else s.id::text end
      left join deadlines d on d.due_date = i.due_date and d.offset_days = a.offset_days
      where ${missedAction(tenant.id, now, since)}
    )
    update dunning_actions a
    set send_on = n.send_on, scheduled_for = n.scheduled_for, send_until = n.send_until,
      status = case when n.deadline is not null and n.send_on > n.deadline then 'skipped' else 'planned' end,
      skip_reason = case when n.deadline is not null and n.send_on > n.deadline then 'moment_passed' end,
      updated_at = ${now}
    from next_slot n
    where a.tenant_id = ${tenant.id}::uuid and a.id = n.id
    returning a.status`.execute(db);
  const skipped = result.rows.filter((row) => row.status === "skipped").length;
  return { moved: result.rows.length - skipped, skipped };
}

/** A planned action of the catch-up period whose window ended unsent, with no message yet. */
function missedAction(tenantId: string, now: Date, since: IsoDate) {
  return sql`a.tenant_id = ${tenantId}::uuid and a.status = 'planned' and a.send_until < ${now}
      and a.send_on >= ${since}::date
      and a.channel in ('email', 'sms', 'whatsapp', 'letter', 'task')
      and not exists (select 1 from messages m where m.tenant_id = a.tenant_id and m.group_key = a.group_key)`;
}
