import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { openInvoicesRelation } from "../open-debt/open-debt.sql.ts";

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
 * A tenant's portfolio in one row: open counts and original amounts, payments, and what the
 * open-debt rule (open-debt.sql.ts) holds overdue (past the payable day, at the balance not yet
 * paid, an original an agreement replaces left out) — the panel's figures.
 */
export async function findPortfolioTotals(
  db: Executor,
  tenantId: string,
  /** The open-debt rule's overdue cut-off (overdueCutoffOf). */
  overdueDueOnOrBefore: string,
): Promise<PortfolioTotalsRow> {
  const overdue = openInvoicesRelation(tenantId, overdueDueOnOrBefore, { onlyOverdue: true });
  const result = await sql<PortfolioTotalsRow>`
    select
      (select count(*)::int from customers where tenant_id = ${tenantId}) as customers,
      count(*)::int as invoices,
      count(*) filter (where status = 'open')::int as open_invoices,
      coalesce(sum(amount_cents) filter (where status = 'open'), 0)::bigint as open_cents,
      (select count(*)::int from ${overdue} o) as overdue_invoices,
      (select coalesce(sum(o.balance_cents), 0)::bigint from ${overdue} o) as overdue_cents,
      (select count(distinct o.customer_id)::int from ${overdue} o) as overdue_customers,
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
