import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { BusinessCalendar, type ExtraHoliday } from "../../domain/calendar.ts";
import type { IsoDate } from "../../domain/dates.ts";
import { standingCutoffs } from "../../domain/standing.ts";

/**
 * `invoice.overdue`, once per invoice, on the first daily run that finds it overdue: the day after
 * its due date in the tenant's time zone — or, for a due date on a weekend or holiday, the day
 * after the next business day, until which it can be paid without charges (the standing's
 * payable-date rule, Lei 7.089/1983). One statement marks the invoices and writes their events to
 * the outbox; a second run of the same day finds them marked.
 *
 * Where it looks: after a done run of an earlier day, only at the invoices that became overdue
 * since (an index range of due dates) and at those of customers marked stale since (migration
 * 0045: an invoice written already overdue, reopened or moved to an earlier due date marks its
 * customer) — every other open invoice due before was announced by that run. Otherwise (the
 * first run, a past day, `everyInvoice`) at every open invoice. The mark itself touches no
 * indexed column, so that PostgreSQL updates the row in place (HOT) without writing to the
 * invoice's indexes.
 */
export async function announceOverdueInvoices(
  db: Executor,
  tenant: { id: string; timeZone: string; extraHolidays: ExtraHoliday[] },
  date: IsoDate,
  at?: Date,
  options: { everyInvoice?: boolean } = {},
): Promise<number> {
  const calendar = new BusinessCalendar(tenant.extraHolidays);
  const overdueCutoff = (day: IsoDate) =>
    standingCutoffs(
      { warningDays: 1, suspendedDays: 2, cancelledDays: 3, dayKind: "calendar", minimumCents: 0 },
      day,
      calendar,
    ).overdueDueOnOrBefore;
  const overdueDueOnOrBefore = overdueCutoff(date);
  const since = options.everyInvoice ? undefined : await lastAnnouncedDay(db, tenant.id, date);
  const occurredAt = at
    ? sql`${at}::timestamptz`
    : sql`(${date}::date::timestamp at time zone ${tenant.timeZone})`;
  const scope: RawBuilder<unknown> = since
    ? sql`and id in (
        select i.id from invoices i
        where i.tenant_id = ${tenant.id}::uuid and i.status = 'open'
          and i.due_date > ${overdueCutoff(since)}::date and i.due_date <= ${overdueDueOnOrBefore}::date
        union all
        select i.id from standing_stale_customers m
        join invoices i on i.tenant_id = m.tenant_id and i.customer_id = m.customer_id
        where m.tenant_id = ${tenant.id}::uuid)`
    : sql``;
  const result = await sql<{ count: number }>`
    with announced as (
      update invoices set overdue_announced_on = ${date}::date
      where tenant_id = ${tenant.id} and status = 'open' and overdue_announced_on is null
        and due_date <= ${overdueDueOnOrBefore}::date
        ${scope}
      returning id, external_id, customer_id, contract_id, description, amount_cents, paid_cents, due_date
    ),
    events as (
      insert into domain_events (tenant_id, type, customer_id, payload, occurred_at)
      select ${tenant.id}::uuid, 'invoice.overdue', customer_id,
        json_build_object(
          'invoice', json_build_object('id', id, 'externalId', external_id, 'customerId', customer_id,
            'contractId', contract_id, 'description', description, 'amountCents', amount_cents,
            'paidCents', paid_cents, 'dueDate', due_date, 'status', 'open'),
          'asOf', ${date}::date),
        ${occurredAt}
      from announced
      order by due_date, id
      returning 1
    )
    select count(*)::integer as count from events`.execute(db);
  return Number(result.rows[0]?.count ?? 0);
}

/**
 * The last earlier day whose run is done, provided the stale marks have been kept since (the
 * standing pass of that day or a later one recorded its decision): what it announced needs no
 * second look.
 */
async function lastAnnouncedDay(db: Executor, tenantId: string, date: IsoDate): Promise<IsoDate | undefined> {
  const row = await sql<{ day: string | null }>`
    select max(r.day)::text as day from daily_runs r
    join standing_decisions d on d.tenant_id = r.tenant_id and d.decided_on >= r.day
    where r.tenant_id = ${tenantId}::uuid and r.status = 'done' and r.day < ${date}::date`.execute(db);
  return row.rows[0]?.day ?? undefined;
}
