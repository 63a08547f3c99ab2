import { sql } from "kysely";
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
 */
export async function announceOverdueInvoices(
  db: Executor,
  tenant: { id: string; timeZone: string; extraHolidays: ExtraHoliday[] },
  date: IsoDate,
  at?: Date,
): Promise<number> {
  const { overdueDueOnOrBefore } = standingCutoffs(
    { warningDays: 1, suspendedDays: 2, cancelledDays: 3, dayKind: "calendar", minimumCents: 0 },
    date,
    new BusinessCalendar(tenant.extraHolidays),
  );
  const occurredAt = at
    ? sql`${at}::timestamptz`
    : sql`(${date}::date::timestamp at time zone ${tenant.timeZone})`;
  const result = await sql<{ count: number }>`
    with announced as (
      update invoices set overdue_announced_on = ${date}::date
      where tenant_id = ${tenant.id} and status = 'open' and overdue_announced_on is null
        and due_date <= ${overdueDueOnOrBefore}::date
      returning id, external_id, customer_id, contract_id, description, amount_cents, paid_cents, due_date
    ),
    events as (
      insert into domain_events (tenant_id, type, customer_id, payload, occurred_at)
      select ${tenant.id}::uuid, 'invoice.overdue', customer_id,
        jsonb_build_object(
          'invoice', jsonb_build_object('id', id, 'externalId', external_id, 'customerId', customer_id,
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
