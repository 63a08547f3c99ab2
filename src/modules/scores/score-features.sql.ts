import { type RawBuilder, sql } from "kysely";
import { type PaymentModel, SCORE_FEATURES } from "../../domain/payment-model.ts";

/**
 * The one home of the payment model's features: for each scoring day `d` and each invoice open at
 * the end of `d`, what was known on `d` — nothing after it leaks in (payments, messages, contacts,
 * agreements and standing are all read as of `d`; contacts count unless opted out by `d`, since
 * a contact's creation date is the day it was imported, not the day the debtor had it). Training reads it over past days with the
 * outcome (`paid`: settled within the horizon after `d`); scoring reads it for today.
 *
 * Columns: snapshot, invoice_id, customer_id, outstanding_cents, paid, and one `f_<feature>` per
 * SCORE_FEATURES entry, in that order.
 */
export interface FeatureQuery {
  tenantId: string;
  timeZone: string;
  snapshots: string[];
  horizonDays: number;
  /** Scoring today: only invoices open now (status 'open'), outstanding net of partial payments. */
  current: boolean;
  invoiceId?: string | undefined;
  /** Keeps about one invoice in `sampleEvery` (by a hash of its id), for training on large histories. */
  sampleEvery?: number | undefined;
}

export function featureRows(query: FeatureQuery): RawBuilder<unknown> {
  const { tenantId, timeZone } = query;
  const paidOn = sql`(i.paid_at at time zone ${timeZone})::date`;
  const invoiceFilter = query.invoiceId ? sql`and i.id = ${query.invoiceId}::uuid` : sql``;
  const sample =
    query.sampleEvery && query.sampleEvery > 1
      ? sql`and abs(hashtext(i.id::text)) % ${query.sampleEvery}::int = 0`
      : sql``;
  const openNow = query.current
    ? sql`and i.status = 'open' and i.amount_cents > i.paid_cents`
    : sql`and i.status <> 'cancelled'
          and (i.paid_at is null or ${paidOn} > s.d)`;
  return sql`
    with snapshots as (select unnest(${query.snapshots}::date[]) as d),
    open_at as materialized (
      select s.d, i.id as invoice_id, i.customer_id, i.due_date, i.amount_cents,
        i.amount_cents - ${query.current ? sql`i.paid_cents` : sql`0`} as outstanding_cents,
        case when i.status = 'paid' then ${paidOn} end as paid_on
      from snapshots s
      join invoices i on i.tenant_id = ${tenantId}::uuid and i.issue_date <= s.d ${openNow}
      where true ${invoiceFilter} ${sample}
    ),
    debtors as materialized (select distinct d, customer_id from open_at),
    -- the customer's invoices due before d: how they paid (as known on d)
    history as materialized (
      select b.d, b.customer_id,
        count(*) as prior_invoices,
        count(*) filter (where h.paid_on is null or h.paid_on > b.d or h.paid_on > h.due_date) as late,
        avg(least(h.paid_on - h.due_date, 90)) filter (where h.paid_on <= b.d and h.paid_on > h.due_date)
          as avg_days_late,
        count(*) filter (where (h.paid_on is null or h.paid_on > b.d) and h.status <> 'cancelled')
          as overdue_invoices
      from debtors b
      join (
        select i.customer_id, i.due_date, i.status, case when i.status = 'paid' then ${paidOn} end as paid_on
        from invoices i
        where i.tenant_id = ${tenantId}::uuid and i.status <> 'cancelled'
          and i.customer_id in (select customer_id from debtors)
      ) h on h.customer_id = b.customer_id and h.due_date < b.d
      group by b.d, b.customer_id
    ),
    engagement as materialized (
      select b.d, b.customer_id,
        count(*) filter (where m.delivered_at is not null and (m.delivered_at at time zone ${timeZone})::date <= b.d)
          as delivered,
        count(*) filter (where m.clicked_at is not null and (m.clicked_at at time zone ${timeZone})::date <= b.d)
          as clicked,
        count(*) filter (where m.opened_at is not null and (m.opened_at at time zone ${timeZone})::date <= b.d)
          as opened
      from debtors b
      join messages m on m.tenant_id = ${tenantId}::uuid and m.customer_id = b.customer_id
        and m.sent_at is not null
        and (m.sent_at at time zone ${timeZone})::date between b.d - 90 and b.d
      group by b.d, b.customer_id
    ),
    reach as materialized (
      select b.d, b.customer_id, count(*) as usable
      from debtors b
      join contacts k on k.tenant_id = ${tenantId}::uuid and k.customer_id = b.customer_id
        and (k.opted_out_at is null or (k.opted_out_at at time zone ${timeZone})::date > b.d)
        and k.unusable_reason is null
      group by b.d, b.customer_id
    ),
    promises as materialized (
      select b.d, b.customer_id,
        count(*) filter (where a.status in ('broken', 'lapsed')) as broken,
        count(*) filter (where a.status = 'completed') as kept
      from debtors b
      join agreements a on a.tenant_id = ${tenantId}::uuid and a.customer_id = b.customer_id
        and a.ended_at is not null and (a.ended_at at time zone ${timeZone})::date <= b.d
      group by b.d, b.customer_id
    ),
    standing_at as materialized (
      select distinct on (b.d, b.customer_id) b.d, b.customer_id,
        case t.to_standing when 'warning' then 1 when 'suspended' then 2 when 'cancelled' then 3 else 0 end
          as level
      from debtors b
      join standing_transitions t on t.tenant_id = ${tenantId}::uuid and t.customer_id = b.customer_id
        and t.subject_kind = 'customer' and t.effective_on <= b.d
      order by b.d, b.customer_id, t.effective_on desc, t.at desc
    )
    select o.d as snapshot, o.invoice_id, o.customer_id, o.outstanding_cents,
      (o.paid_on is not null and o.paid_on > o.d and o.paid_on <= o.d + ${query.horizonDays}::int) as paid,
      least(greatest(o.d - o.due_date, -60), 365)::float8 as f_days_overdue,
      ln(1 + o.amount_cents / 100.0)::float8 as f_log_amount,
      ln(1 + coalesce(h.prior_invoices, 0))::float8 as f_prior_invoices,
      coalesce(h.late::float8 / nullif(h.prior_invoices, 0), 0)::float8 as f_late_share,
      coalesce(h.avg_days_late, 0)::float8 as f_avg_days_late,
      ln(1 + coalesce(h.overdue_invoices, 0))::float8 as f_overdue_invoices,
      coalesce(p.broken, 0)::float8 as f_agreements_broken,
      coalesce(p.kept, 0)::float8 as f_agreements_kept,
      least(coalesce(r.usable, 0), 5)::float8 as f_usable_contacts,
      ln(1 + coalesce(e.delivered, 0))::float8 as f_messages_delivered,
      ln(1 + coalesce(e.clicked, 0))::float8 as f_messages_clicked,
      ln(1 + coalesce(e.opened, 0))::float8 as f_messages_opened,
      coalesce(st.level, 0)::float8 as f_standing,
      (c.kind = 'company')::int::float8 as f_company
    from open_at o
    join customers c on c.tenant_id = ${tenantId}::uuid and c.id = o.customer_id
    left join history h on h.d = o.d and h.customer_id = o.customer_id
    left join engagement e on e.d = o.d and e.customer_id = o.customer_id
    left join reach r on r.d = o.d and r.customer_id = o.customer_id
    left join promises p on p.d = o.d and p.customer_id = o.customer_id
    left join standing_at st on st.d = o.d and st.customer_id = o.customer_id`;
}

/** The columns of featureRows holding the features, in SCORE_FEATURES order. */
export const FEATURE_COLUMNS = SCORE_FEATURES.map((feature) => `f_${feature}`);

/**
 * The model's log-odds contributions as SQL over a row `f` of featureRows, one per feature in
 * SCORE_FEATURES order — the same arithmetic as `contributions` in the domain (parity tested).
 */
export function contributionSql(model: PaymentModel, row: string): RawBuilder<number>[] {
  return SCORE_FEATURES.map(
    (feature) =>
      sql<number>`(${model.coefficients[feature]}::float8 * ((${sql.ref(`${row}.f_${feature}`)} - ${model.means[feature]}::float8) / ${model.scales[feature]}::float8))`,
  );
}
