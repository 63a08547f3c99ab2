import { type RawBuilder, sql } from "kysely";

/**
 * The open-debt rule in its set-based form, for readers over a whole portfolio (panel, customer
 * list, work queue, standing, reports, batch sends, expected recovery, the Pix worker): the same
 * definition as `openDebtOn` (open-debt.ts), read from the stored balances. One row per open invoice still owed directly — originals covered by a proposed
 * or active agreement are left out (their installments are owed) — with its balance (original −
 * paid) and whether it is overdue (due on or before `overdueDueOnOrBefore`, from
 * `lastOverdueDueDate`). Fine and interest need each invoice's payments replayed (Código Civil art.
 * 354), so they stay with the per-customer form; test/open-debt/cross-surface.test.ts proves
 * both forms agree on what they share (the customer list and the oldest-first report against each
 * customer's own debt, on random portfolios).
 *
 * Columns: id, tenant_id, customer_id, contract_id, due_date, amount_cents, balance_cents, overdue,
 * disputed, covered.
 * `covered` is always false unless `includeCovered` (standing may count covered invoices when the
 * tenant's agreement settings say so); `onlyOverdue` keeps the overdue rows only (an index range).
 */
export function openInvoicesRelation(
  tenantId: string,
  overdueDueOnOrBefore: string,
  options: {
    customerId?: string | undefined;
    /** Only these customers (the standing pass after a file of payments). */
    customerIds?: string[] | undefined;
    /** A column of the enclosing query naming the customer (a lateral join per customer). */
    customerColumn?: RawBuilder<unknown>;
    includeCovered?: boolean;
    onlyOverdue?: boolean;
  } = {},
): RawBuilder<unknown> {
  const customerFilter = options.customerIds
    ? sql`and i.customer_id = any(${options.customerIds}::uuid[])`
    : options.customerId
      ? sql`and i.customer_id = ${options.customerId}::uuid`
      : options.customerColumn
        ? sql`and i.customer_id = ${options.customerColumn}`
        : sql``;
  const covered = sql`i.id in (select ao.invoice_id from agreement_invoices ao
      join agreements a on a.tenant_id = ao.tenant_id and a.id = ao.agreement_id
      where ao.tenant_id = ${tenantId}::uuid and a.status in ('proposed', 'active'))`;
  return sql`(
    select i.id, i.tenant_id, i.customer_id, i.contract_id, i.due_date, i.amount_cents,
      i.amount_cents - i.paid_cents as balance_cents,
      i.due_date <= ${overdueDueOnOrBefore}::date as overdue,
      exists (select 1 from customer_pauses cp
        where cp.tenant_id = i.tenant_id and cp.customer_id = i.customer_id and cp.invoice_id = i.id
          and cp.kind = 'dispute' and cp.released_at is null) as disputed,
      ${options.includeCovered ? covered : sql`false`} as covered
    from invoices i
    where i.tenant_id = ${tenantId}::uuid and i.status = 'open' and i.amount_cents > i.paid_cents
      ${customerFilter}
      ${options.onlyOverdue ? sql`and i.due_date <= ${overdueDueOnOrBefore}::date` : sql``}
      ${options.includeCovered ? sql`` : sql`and not ${covered}`}
  )`;
}

/** Per customer: the overdue balance, the number of overdue invoices and the oldest overdue due date. */
export function overdueByCustomer(tenantId: string, overdueDueOnOrBefore: string): RawBuilder<unknown> {
  return sql`(
    select o.customer_id, sum(o.balance_cents)::bigint as overdue_cents, count(*)::int as overdue_invoices,
      min(o.due_date) as oldest_due
    from ${openInvoicesRelation(tenantId, overdueDueOnOrBefore, { onlyOverdue: true })} o
    group by o.customer_id
  )`;
}
