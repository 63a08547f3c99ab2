import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { customerFilter, type ReportFilters } from "./report.ts";

export interface MessageCostRow {
  period: string;
  channel: string;
  provider: string;
  messages: number;
  segments: number;
  costCents: number;
}

/**
 * Messages that left (sent or delivered, by the day they were sent in the tenant's time zone) by
 * month, channel and provider, with the cost the provider reported (messages.cost_cents) and the
 * SMS parts billed.
 */
export async function messageCostRows(db: Executor, filters: ReportFilters): Promise<MessageCostRow[]> {
  const result = await sql<MessageCostRow>`
    select date_trunc('month', (m.sent_at at time zone ${filters.timeZone})::date)::date as "period",
           m.channel as "channel",
           coalesce(m.provider, '') as "provider",
           count(*) as "messages",
           coalesce(sum(m.segments), 0) as "segments",
           coalesce(sum(m.cost_cents), 0) as "costCents"
    from messages m
    join customers c on c.tenant_id = m.tenant_id and c.id = m.customer_id
    where m.tenant_id = ${filters.tenantId}
      and m.state in ('sent', 'delivered')
      and (m.sent_at at time zone ${filters.timeZone})::date between ${filters.from}::date and ${filters.to}::date
      ${customerFilter(filters)}
    group by 1, 2, 3
    order by 1, 2, 3`.execute(db);
  return result.rows;
}
