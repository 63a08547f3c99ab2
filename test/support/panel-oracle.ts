import { sql } from "kysely";
import type { Executor } from "../../src/db/database.ts";
import type { IsoDate } from "../../src/domain/dates.ts";
import { AGING_PHASES, SMALL_DELAY_DAYS } from "../../src/modules/dashboard/panel.ts";
import type { OverdueCustomersRow, PhaseRow } from "../../src/modules/dashboard/panel-rollup.sql.ts";
import { openInvoicesRelation } from "../../src/modules/open-debt/open-debt.sql.ts";

/**
 * The test's oracle: the panel's overdue figures computed directly from the open invoices on each
 * call (the open-debt rule's set-based form), as src/ did before the rollup of
 * src/modules/dashboard/panel-rollup.sql.ts, so the rollup is checked against a reading of the
 * invoices that keeps nothing.
 */
/** The overdue invoices by aging phase (1… in AGING_PHASES order): one scan of the open invoices. */
export async function directAgingPhases(
  db: Executor,
  tenantId: string,
  today: IsoDate,
  /** The open-debt rule's overdue cut-off (overdueCutoffOf): invoices replaced by an agreement are left out. */
  overdueDueOnOrBefore: IsoDate,
): Promise<PhaseRow[]> {
  const bounds = AGING_PHASES.map((phase) => phase.fromDays);
  const result = await sql<PhaseRow>`
    select width_bucket(${today}::date - o.due_date, ${bounds}::int[]) as phase,
      sum(o.balance_cents)::int8 as cents, count(*)::int8 as invoices
    from ${openInvoicesRelation(tenantId, overdueDueOnOrBefore, { onlyOverdue: true })} o
    group by 1`.execute(db);
  return result.rows;
}

/**
 * How many customers owe overdue invoices, with one overdue SMALL_DELAY_DAYS days or less, and with
 * one overdue longer: the same scan grouped by customer (their newest and oldest due dates).
 */
export async function directOverdueCustomers(
  db: Executor,
  tenantId: string,
  today: IsoDate,
  overdueDueOnOrBefore: IsoDate,
): Promise<OverdueCustomersRow> {
  const result = await sql<OverdueCustomersRow>`
    select count(*)::int8 as customers,
      count(*) filter (where newest_due >= ${today}::date - ${SMALL_DELAY_DAYS}::int)::int8 as small_customers,
      count(*) filter (where oldest_due < ${today}::date - ${SMALL_DELAY_DAYS}::int)::int8 as late_customers
    from (
      select min(o.due_date) as oldest_due, max(o.due_date) as newest_due
      from ${openInvoicesRelation(tenantId, overdueDueOnOrBefore, { onlyOverdue: true })} o
      group by o.customer_id
    ) as per_customer`.execute(db);
  return result.rows[0]!;
}
