import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { customerFilter, type ReportFilters } from "./report.ts";

export interface AgreementBreakRow {
  period: string;
  activated: number;
  broken: number;
  completed: number;
  active: number;
  /** broken ÷ activated, in basis points (1% = 100) */
  breakRate: number;
}

/**
 * Agreements by the month they became active (their first payment arrived; lapsed proposals never
 * did and are left out): how many of each cohort broke, completed or are still running today.
 */
export async function agreementBreakRows(db: Executor, filters: ReportFilters): Promise<AgreementBreakRow[]> {
  const result = await sql<AgreementBreakRow>`
    select date_trunc('month', (a.activated_at at time zone ${filters.timeZone})::date)::date as "period",
           count(*) as "activated",
           count(*) filter (where a.status = 'broken') as "broken",
           count(*) filter (where a.status = 'completed') as "completed",
           count(*) filter (where a.status = 'active') as "active",
           round(count(*) filter (where a.status = 'broken') * 10000.0 / count(*))::integer as "breakRate"
    from agreements a
    join customers c on c.tenant_id = a.tenant_id and c.id = a.customer_id
    where a.tenant_id = ${filters.tenantId}
      and a.activated_at is not null
      and (a.activated_at at time zone ${filters.timeZone})::date between ${filters.from}::date and ${filters.to}::date
      ${customerFilter(filters)}
    group by 1
    order by 1`.execute(db);
  return result.rows;
}
