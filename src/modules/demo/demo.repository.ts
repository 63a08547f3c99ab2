import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";

export interface PortfolioTotalsRow {
  customers: number;
  invoices: number;
  open_invoices: number;
  open_cents: number;
  overdue_invoices: number;
  overdue_cents: number;
  overdue_customers: number;
  paid_invoices: number;
  payments: number;
  payments_cents: number;
}

/**
 * A tenant's portfolio in one row, as of `today`: open and overdue counts and principal (the
 * invoices' original amounts; late charges are computed per invoice elsewhere) and payments.
 */
export async function findPortfolioTotals(
  db: Executor,
  tenantId: string,
  today: string,
): Promise<PortfolioTotalsRow> {
  const result = await sql<PortfolioTotalsRow>`
    select
      (select count(*)::int from customers where tenant_id = ${tenantId}) as customers,
      count(*)::int as invoices,
      count(*) filter (where status = 'open')::int as open_invoices,
      coalesce(sum(amount_cents) filter (where status = 'open'), 0)::bigint as open_cents,
      count(*) filter (where status = 'open' and due_date < ${today}::date)::int as overdue_invoices,
      coalesce(sum(amount_cents) filter (where status = 'open' and due_date < ${today}::date), 0)::bigint as overdue_cents,
      count(distinct customer_id) filter (where status = 'open' and due_date < ${today}::date)::int as overdue_customers,
      count(*) filter (where status = 'paid')::int as paid_invoices,
      (select count(*)::int from payments where tenant_id = ${tenantId}) as payments,
      (select coalesce(sum(amount_cents), 0)::bigint from payments where tenant_id = ${tenantId}) as payments_cents
    from invoices
    where tenant_id = ${tenantId}
  `.execute(db);
  return result.rows[0]!;
}

/**
 * Refreshes the planner statistics of the tables a large load fills. Without it PostgreSQL keeps
 * planning the import's lookups for the nearly empty tables it saw at the start (autovacuum lags
 * behind a bulk load), and each chunk gets slower than the one before.
 */
export async function analyzePortfolioTables(db: Executor): Promise<void> {
  await sql`analyze customers, contacts, invoices, payments`.execute(db);
}
