import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { customerFilter, type ReportFilters } from "./report.ts";

export interface RecoveryRow {
  step: string;
  channel: string;
  messages: number;
  payments: number;
  recoveredPaymentsCents: number;
}

/**
 * Recovery by step and channel, last touch: each payment received in the period goes whole to the
 * one message about its invoice sent last before it, if that message went out at most `days` days
 * earlier; payments with no such message count for no step. Beside it, the messages each step and
 * channel sent in the period.
 */
export async function recoveryRows(
  db: Executor,
  filters: ReportFilters,
  days: number,
): Promise<RecoveryRow[]> {
  const result = await sql<RecoveryRow>`
    with scoped as (
      select c.id from customers c where c.tenant_id = ${filters.tenantId} ${customerFilter(filters)}
    ),
    period_payments as (
      select p.id, p.invoice_id, p.amount_cents, p.paid_at
      from payments p
      join invoices i on i.tenant_id = p.tenant_id and i.id = p.invoice_id
      join scoped s on s.id = i.customer_id
      where p.tenant_id = ${filters.tenantId}
        and (p.paid_at at time zone ${filters.timeZone})::date between ${filters.from}::date and ${filters.to}::date
    ),
    attributed as (
      select p.amount_cents, touch.step_name, touch.channel
      from period_payments p
      cross join lateral (
        select a.step_name, m.channel
        from messages m
        join dunning_actions a
          on a.tenant_id = m.tenant_id and a.group_key = m.group_key and a.invoice_id = p.invoice_id
        where m.tenant_id = ${filters.tenantId}
          and m.state in ('sent', 'delivered')
          and m.sent_at <= p.paid_at
          and m.sent_at >= p.paid_at - ${days} * interval '1 day'
        order by m.sent_at desc, m.id desc
        limit 1
      ) touch
    ),
    credited as (
      select step_name, channel, count(*) as payments, sum(amount_cents) as cents
      from attributed group by 1, 2
    ),
    sent as (
      select a.step_name, m.channel, count(*) as messages
      from messages m
      join dunning_actions a on a.tenant_id = m.tenant_id and a.id = m.action_id
      join scoped s on s.id = m.customer_id
      where m.tenant_id = ${filters.tenantId}
        and m.state in ('sent', 'delivered')
        and (m.sent_at at time zone ${filters.timeZone})::date between ${filters.from}::date and ${filters.to}::date
      group by 1, 2
    )
    select coalesce(s.step_name, c.step_name) as "step",
           coalesce(s.channel, c.channel) as "channel",
           coalesce(s.messages, 0) as "messages",
           coalesce(c.payments, 0) as "payments",
           coalesce(c.cents, 0) as "recoveredPaymentsCents"
    from sent s
    full join credited c on c.step_name = s.step_name and c.channel = s.channel
    -- in the régua's order (D-5 before D+6 before D+12), not the text's
    order by substring(coalesce(s.step_name, c.step_name) from '^D([+-]?[0-9]+)$')::int, 1, 2`.execute(db);
  return result.rows;
}
