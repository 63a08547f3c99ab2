import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { openInvoicesRelation, overdueByCustomer } from "../open-debt/open-debt.sql.ts";
import type { StandingName, TCustomerOverviewQuery } from "./work-queue.ts";

export interface WorkQueueRow {
  customer_id: string;
  external_id: string;
  name: string;
  overdue_cents: number;
  overdue_invoices: number;
  days_overdue: number;
  promised_on: string | null;
  promised_cents: number | null;
  open_tasks: number;
  amount_points: number;
  days_points: number;
  promise_points: number;
  task_points: number;
  score: number;
  /** Σ probability × balance over the customer's scored overdue invoices; null when none is scored */
  expected_cents: number | null;
  /** expected ÷ the scored balance: the chance of the scored debt, weighted by amount */
  probability: number | null;
  /** the score reasons of the invoice with the largest expected recovery ('+late_share', …) */
  reasons: string[] | null;
}

/**
 * ORDER of the work queue: customers with a scored overdue invoice first, by EXPECTED RECOVERY
 * (Σ probability of payment × balance over those invoices, src/modules/scores; the call that
 * recovers most first), ties by points; then the customers without a score (never scored, or only
 * a task or a promise) by the points formula below — the documented fallback. An overdue invoice
 * not scored yet (created since the daily rescoring) adds nothing to its customer's expected figure.
 *
 * PRIORITY (points) of a customer, highest first — a sum of points, each capped so
 * that no single part drowns the others:
 *   amount   1 point per R$ 100 overdue (principal still owed), at most 500 (R$ 50.000);
 *   days     1 point per day the oldest overdue invoice is late, at most 180;
 *   promise  200 when a promise to pay falls due today or fell due in the last 7 days and the
 *            debt is still open (a call now keeps or rescues it);
 *   tasks    100 per open analyst task of the régua due today or earlier, at most 3.
 * Ties: larger amount overdue first, then external id. Customers appear when they owe something
 * overdue or have an open task due. Invoices in an agreement in force (proposed or active) are
 * not overdue here: the agreement's installments are. A customer whose collection is paused
 * (`customer_pauses`, kind pause) appears only with an open task due or a promise falling due.
 * One statement for the whole portfolio.
 */
export async function findWorkQueue(
  db: Executor,
  tenantId: string,
  today: string,
  /** The open-debt rule's overdue cut-off (overdueCutoffOf). */
  overdueDueOnOrBefore: string,
  limit: number,
): Promise<WorkQueueRow[]> {
  const result = await sql<WorkQueueRow>`
    with debt as ${overdueByCustomer(tenantId, overdueDueOnOrBefore)},
    -- the scored overdue invoices, each with what it is expected to bring (probability × balance)
    scored_debt as (
      select o.customer_id, o.id, o.balance_cents, s.probability, s.reasons,
        s.probability * o.balance_cents as expected
      from ${openInvoicesRelation(tenantId, overdueDueOnOrBefore, { onlyOverdue: true })} o
      join invoice_scores s on s.tenant_id = o.tenant_id and s.invoice_id = o.id
    ),
    expected as (
      select customer_id, round(sum(expected))::bigint as expected_cents,
        (sum(expected) / nullif(sum(balance_cents), 0))::float8 as probability
      from scored_debt group by customer_id
    ),
    -- why: the reasons of the invoice that weighs most in the customer's expected recovery
    top_reasons as (
      select distinct on (customer_id) customer_id, reasons
      from scored_debt order by customer_id, expected desc, id
    ),
    paused as (
      select distinct cp.customer_id from customer_pauses cp
      where cp.tenant_id = ${tenantId} and cp.kind = 'pause' and cp.released_at is null
        and cp.until >= ${today}::date
    ),
    tasks as (
      select t.customer_id, count(*)::int as open_tasks
      from analyst_tasks t
      where t.tenant_id = ${tenantId} and t.status = 'open' and t.due_on <= ${today}::date
      group by t.customer_id
    ),
    promises as (
      select distinct on (p.customer_id) p.customer_id, p.promised_on, p.promised_cents
      from customer_interactions p
      where p.tenant_id = ${tenantId} and p.promised_on is not null
        and p.promised_on between ${today}::date - 7 and ${today}::date
      order by p.customer_id, p.promised_on desc, p.created_at desc
    ),
    -- a paused customer is not chased for the debt alone, only for a task or a promise due
    candidates as (
      select customer_id from debt where customer_id not in (select customer_id from paused)
      union select customer_id from tasks
      union select d.customer_id from debt d join promises p on p.customer_id = d.customer_id
    ),
    scored as (
      select c.id as customer_id, c.external_id, c.name,
        coalesce(d.overdue_cents, 0)::bigint as overdue_cents,
        coalesce(d.overdue_invoices, 0)::int as overdue_invoices,
        coalesce(${today}::date - d.oldest_due, 0)::int as days_overdue,
        p.promised_on::text as promised_on, p.promised_cents,
        coalesce(t.open_tasks, 0)::int as open_tasks,
        least(coalesce(d.overdue_cents, 0) / 10000, 500)::int as amount_points,
        least(coalesce(${today}::date - d.oldest_due, 0), 180)::int as days_points,
        (case when p.customer_id is not null and d.customer_id is not null then 200 else 0 end)::int as promise_points,
        (100 * least(coalesce(t.open_tasks, 0), 3))::int as task_points,
        e.expected_cents, e.probability, r.reasons
      from candidates k
      join customers c on c.tenant_id = ${tenantId} and c.id = k.customer_id
      left join debt d on d.customer_id = k.customer_id
      left join tasks t on t.customer_id = k.customer_id
      left join promises p on p.customer_id = k.customer_id
      left join expected e on e.customer_id = k.customer_id
      left join top_reasons r on r.customer_id = k.customer_id
      where c.anonymized_at is null
    )
    select *, (amount_points + days_points + promise_points + task_points)::int as score
    from scored
    order by expected_cents desc nulls last, score desc, overdue_cents desc, external_id
    limit ${limit}`.execute(db);
  return result.rows;
}

export interface CustomerOverviewRow {
  id: string;
  external_id: string;
  name: string;
  document: string;
  tags: string[];
  standing: StandingName | null;
  overdue_cents: number;
  overdue_invoices: number;
  days_overdue: number;
  groups: string[];
}

/**
 * A page of customers by external id with their overdue figures, filtered (one statement). The
 * standing is the decided one (standing.sql.ts `decidedCustomerStandings`), joined when given —
 * needed to filter by it; without it the column is null and the caller decides the page's.
 */
export async function findCustomerOverviewPage(
  db: Executor,
  tenantId: string,
  today: string,
  /** The open-debt rule's overdue cut-off (overdueCutoffOf). */
  overdueDueOnOrBefore: string,
  filter: TCustomerOverviewQuery,
  options: { limit: number; afterExternalId?: string },
  decidedStandings: RawBuilder<{ customer_id: string; standing: string }> | null,
): Promise<CustomerOverviewRow[]> {
  const standing = filter.standing;
  const result = await sql<CustomerOverviewRow>`
    select c.id, c.external_id, c.name, c.document, c.tags,
      ${decidedStandings ? sql`coalesce(s.standing, 'ok')` : sql`null`} as standing,
      coalesce(d.overdue_cents, 0)::bigint as overdue_cents,
      coalesce(d.overdue_invoices, 0)::int as overdue_invoices,
      coalesce(${today}::date - d.oldest_due, 0)::int as days_overdue,
      coalesce((select array_agg(g.name order by g.name) from customer_group_members m
        join customer_groups g on g.tenant_id = m.tenant_id and g.id = m.group_id
        where m.tenant_id = c.tenant_id and m.customer_id = c.id and m.removed_at is null), '{}') as groups
    from customers c
    ${decidedStandings ? sql`left join ${decidedStandings} s on s.customer_id = c.id` : sql``}
    left join lateral (
      select sum(o.balance_cents)::bigint as overdue_cents, min(o.due_date) as oldest_due,
             count(*)::int as overdue_invoices
      from ${openInvoicesRelation(tenantId, overdueDueOnOrBefore, { customerColumn: sql`c.id`, onlyOverdue: true })} o
    ) d on true
    where c.tenant_id = ${tenantId} and c.anonymized_at is null
      ${options.afterExternalId !== undefined ? sql`and c.external_id > ${options.afterExternalId}` : sql``}
      ${filter.tag ? sql`and c.tags @> array[${filter.tag}]::text[]` : sql``}
      ${standing && decidedStandings ? sql`and coalesce(s.standing, 'ok') = ${standing}` : sql``}
      ${filter.minDaysOverdue !== undefined ? sql`and coalesce(${today}::date - d.oldest_due, 0) >= ${filter.minDaysOverdue}` : sql``}
      ${filter.maxDaysOverdue !== undefined ? sql`and coalesce(${today}::date - d.oldest_due, 0) <= ${filter.maxDaysOverdue}` : sql``}
      ${
        filter.groupId
          ? sql`and exists (select 1 from customer_group_members m where m.tenant_id = c.tenant_id
              and m.group_id = ${filter.groupId} and m.customer_id = c.id and m.removed_at is null)`
          : sql``
      }
      ${filter.search ? searchCondition(filter.search) : sql``}
    order by c.external_id
    limit ${options.limit}`.execute(db);
  return result.rows;
}

/**
 * A customer found by what an analyst types: name or external id without regard to accents or
 * case (search_fold, migration 0023), an e-mail, or the digits of a CPF/CNPJ or phone however
 * they are punctuated. The typed text is matched literally (% and _ are not wildcards).
 */
function searchCondition(search: string) {
  const pattern = `%${escapeLike(search)}%`;
  const digits = search.replace(/[^0-9A-Za-z]/g, "").toUpperCase();
  const byDigits = /\d/.test(digits) ? `%${digits}%` : null;
  return sql`and (search_fold(c.name) like search_fold(${pattern})
      or search_fold(c.external_id) like search_fold(${pattern})
      or (${byDigits}::text is not null and c.document like ${byDigits})
      or exists (select 1 from contacts k where k.tenant_id = c.tenant_id and k.customer_id = c.id
        and (lower(k.value) like lower(${pattern})
          or (${byDigits}::text is not null and k.channel <> 'email'
              and regexp_replace(k.value, '[^0-9]', '', 'g') like ${byDigits}))))`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
