import { type RawBuilder, sql } from "kysely";
import { openInvoicesRelation } from "../open-debt/open-debt.sql.ts";
import { governingPolicy, type PolicyMatcher } from "../policies/governing-policy.sql.ts";

/**
 * The one standing decision, set-based: for every customer (and contract) with overdue invoices, a
 * standing other than ok or a reopening, compare the oldest overdue due date still owed (from the
 * open-debt relation; counted from the reopening when later) with the cut-offs that
 * `standingCutoffs` derived from the pure rule `evaluateStanding`. Disputed invoices do not count;
 * invoices an agreement in force covers do not count when the tenant's agreement settings say so
 * (`standingRecoversWhileActive`, default true); a pause never lets it worsen; cancelled stays
 * cancelled until reopened. The applicator writes its changes (`applyStandingStatement`); every
 * reader (banner, standing endpoint, customer view, portal) reads it (`decideStandingStatement`).
 */
export interface StandingParameters {
  tenantId: string;
  date: string;
  /** Start of the instant recorded on transitions and events. */
  at: Date;
  /** Invoices due on or before this day are overdue on `date` (payable-date rule). */
  overdueDueOnOrBefore: string;
  cutoffs: {
    policyId: string;
    warning: string;
    suspended: string;
    cancelled: string;
    minimumCents: number;
    warningDays: number;
    suspendedDays: number;
    cancelledDays: number;
  }[];
  customerId?: string | undefined;
  /** Restricts the pass to these customers (after the payments of a file). */
  customerIds?: string[] | undefined;
  matcher: PolicyMatcher;
  /**
   * The daily run's pass (standing-day.service.ts): it consumes the stale marks it reads
   * (standing_stale_customers) and, given `since`, decides only the customers that could have
   * changed; `since: null` decides every customer.
   */
  daily?: DailyScope | undefined;
}

/** A range of dates `(after, through]`. */
export interface DateRange {
  after: string;
  through: string;
}

/**
 * What moved since the last decided day: a customer can change only if marked stale, or if an open
 * invoice's due date or its reopening lies in a range a threshold (or the overdue cut-off) swept
 * over, or if a pause that held it ended.
 */
export interface DailyScope {
  since: {
    thresholdRanges: DateRange[];
    /** Pauses lasting until a day from `pausesEndedFrom` to the day before `date` ended. */
    pausesEndedFrom: string;
  } | null;
}

/** `column` in any of `ranges` (false for none). */
function inRanges(column: RawBuilder<unknown>, ranges: DateRange[]): RawBuilder<boolean> {
  if (ranges.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(
    ranges.map((range) => sql`(${column} > ${range.after}::date and ${column} <= ${range.through}::date)`),
    sql` or `,
  )})`;
}

/**
 * The stale marks of the tenant and the customers the daily pass decides: every one, or the
 * marked ones and those a threshold swept over (an index range of open invoices per range, read
 * from the index alone).
 */
function dailyCtes(parameters: StandingParameters, daily: DailyScope): RawBuilder<unknown> {
  const { tenantId, date } = parameters;
  const stale = sql`stale as materialized (
      select customer_id, marked_at from standing_stale_customers where tenant_id = ${tenantId}::uuid
    )`;
  if (!daily.since) return stale;
  const { thresholdRanges, pausesEndedFrom } = daily.since;
  const swept = thresholdRanges.map(
    (range) => sql`select i.customer_id from invoices i
      where i.tenant_id = ${tenantId}::uuid and i.status = 'open'
        and i.due_date > ${range.after}::date and i.due_date <= ${range.through}::date`,
  );
  return sql`${stale},
    candidates as materialized (
      select customer_id from stale
      ${sql.join(
        swept.map((select) => sql`union ${select}`),
        sql` `,
      )}
      union
      select s.customer_id from standings s
      where s.tenant_id = ${tenantId}::uuid and s.reopened_on is not null
        and ${inRanges(sql`s.reopened_on`, thresholdRanges)}
      union
      select cp.customer_id from customer_pauses cp
      where cp.tenant_id = ${tenantId}::uuid and cp.kind = 'pause' and cp.released_at is null
        and cp.until >= ${pausesEndedFrom}::date and cp.until < ${date}::date
    )`;
}

function decisionCtes(parameters: StandingParameters): RawBuilder<unknown> {
  const { tenantId, cutoffs, daily } = parameters;
  const onlyCandidates = daily?.since != null;
  const standingFilter = parameters.customerIds
    ? sql`and s.customer_id = any(${parameters.customerIds}::uuid[])`
    : parameters.customerId
      ? sql`and s.customer_id = ${parameters.customerId}::uuid`
      : onlyCandidates
        ? sql`and s.customer_id in (select customer_id from candidates)`
        : sql``;
  const counted = openInvoicesRelation(tenantId, parameters.overdueDueOnOrBefore, {
    customerId: parameters.customerId,
    customerIds: parameters.customerIds,
    includeCovered: true,
    onlyOverdue: true,
  });
  return sql`
    ${daily ? sql`${dailyCtes(parameters, daily)},` : sql``}
    cutoffs as (
      select * from unnest(
        ${cutoffs.map((cutoff) => cutoff.policyId)}::uuid[],
        ${cutoffs.map((cutoff) => cutoff.warning)}::date[],
        ${cutoffs.map((cutoff) => cutoff.suspended)}::date[],
        ${cutoffs.map((cutoff) => cutoff.cancelled)}::date[],
        ${cutoffs.map((cutoff) => cutoff.minimumCents)}::bigint[],
        ${cutoffs.map((cutoff) => cutoff.warningDays)}::integer[],
        ${cutoffs.map((cutoff) => cutoff.suspendedDays)}::integer[],
        ${cutoffs.map((cutoff) => cutoff.cancelledDays)}::integer[]
      ) as k (policy_id, warning_cut, suspended_cut, cancelled_cut, minimum_cents,
              warning_days, suspended_days, cancelled_days)
    ),
    overdue as (
      select i.id, i.customer_id, i.contract_id, i.due_date, i.balance_cents as outstanding,
        ${governingPolicy(parameters.matcher, { forStanding: true })} as policy_id
      from ${counted} i
      join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id
      left join contracts ct on ct.tenant_id = i.tenant_id and ct.id = i.contract_id
      where not i.disputed
        ${onlyCandidates ? sql`and i.customer_id in (select customer_id from candidates)` : sql``}
        -- invoices an agreement in force replaces do not count, when the tenant says so
        and (not i.covered or not coalesce((select (s.settings ->> 'standingRecoversWhileActive')::boolean
          from agreement_settings s where s.tenant_id = ${tenantId}::uuid), true))
    ),
    facts as (
      select 'customer' as subject_kind, customer_id as subject_id, customer_id,
        min(due_date) as oldest_due, sum(outstanding) as overdue_cents,
        (array_agg(policy_id order by due_date, id))[1] as policy_id
      from overdue group by customer_id
      union all
      select 'contract', contract_id, customer_id, min(due_date), sum(outstanding),
        (array_agg(policy_id order by due_date, id))[1]
      from overdue where contract_id is not null group by contract_id, customer_id
    ),
    present as (
      select s.* from standings s
      where s.tenant_id = ${tenantId}::uuid and (s.standing <> 'ok' or s.reopened_on is not null) ${standingFilter}
    ),
    evaluated as (
      select
        coalesce(f.subject_kind, s.subject_kind) as subject_kind,
        coalesce(f.subject_id, s.subject_id) as subject_id,
        coalesce(f.customer_id, s.customer_id) as customer_id,
        coalesce(s.standing, 'ok') as current,
        greatest(f.oldest_due, s.reopened_on) as measured_from,
        f.oldest_due, coalesce(f.overdue_cents, 0) as overdue_cents, k.*,
        exists (
          select 1 from customer_pauses cp
          where cp.tenant_id = ${tenantId}::uuid and cp.customer_id = coalesce(f.customer_id, s.customer_id)
            and cp.kind = 'pause' and cp.released_at is null and cp.until >= ${parameters.date}::date
        ) as paused
      from facts f
      full join present s on s.subject_kind = f.subject_kind and s.subject_id = f.subject_id
      left join cutoffs k on k.policy_id = f.policy_id
    ),
    targeted as (
      select e.*,
        case
          when e.current = 'cancelled' then 'cancelled'
          when e.oldest_due is null then 'ok'
          when e.policy_id is null then e.current
          when e.overdue_cents < e.minimum_cents then 'ok'
          when e.measured_from <= e.cancelled_cut then 'cancelled'
          when e.measured_from <= e.suspended_cut then 'suspended'
          when e.measured_from <= e.warning_cut then 'warning'
          else 'ok'
        end as raw_target
      from evaluated e
    ),
    decided as (
      select t.*,
        -- a paused subject never gets worse while the pause lasts
        case when t.paused and array_position(${LEVELS}::text[], t.raw_target)
                             > array_position(${LEVELS}::text[], t.current)
          then t.current else t.raw_target end as target
      from targeted t
    ),
    reasoned as (
      select d.*,
        case
          when d.target = 'cancelled' and d.current = 'cancelled' then 'cancelado: só um operador pode reabrir'
          when d.paused and d.target = d.current and d.raw_target <> d.target then 'cliente em pausa: a situação não piora'
          when d.target = 'ok' and d.oldest_due is null then 'pagamento: nenhuma fatura vencida em aberto'
          when d.target = 'ok' and d.overdue_cents < coalesce(d.minimum_cents, 0) then 'valor vencido abaixo do mínimo da régua'
          when d.target = 'ok' then 'atraso abaixo do limite de aviso'
          else format('atraso desde %s (%s a partir de %s dias)', to_char(d.measured_from, 'DD/MM/YYYY'),
            case d.target when 'warning' then 'aviso' when 'suspended' then 'suspensão' else 'cancelamento' end,
            case d.target when 'warning' then d.warning_days when 'suspended' then d.suspended_days
              else d.cancelled_days end)
        end as reason
      from decided d
    )`;
}

/** The decision without writing anything: one row per subject that has facts or a recorded standing. */
export function decideStandingStatement(parameters: StandingParameters): RawBuilder<{
  subject_kind: "customer" | "contract";
  subject_id: string;
  customer_id: string;
  current: string;
  target: string;
  reason: string;
  measured_from: string | null;
  oldest_due: string | null;
  overdue_cents: number;
  policy_id: string | null;
}> {
  return sql`
    with ${decisionCtes(parameters)}
    select subject_kind, subject_id, customer_id, current, target, reason, measured_from, oldest_due,
      overdue_cents::bigint as overdue_cents, policy_id
    from reasoned
    order by subject_kind desc, subject_id`;
}

/**
 * The decision as a relation of customers (customer_id, standing) to join in a larger query — the
 * customer list, so its filter and its word are the decided standing, never a stale record. A
 * customer absent from it is ok.
 */
export function decidedCustomerStandings(
  parameters: StandingParameters,
): RawBuilder<{ customer_id: string; standing: string }> {
  return sql`(
    with ${decisionCtes(parameters)}
    select customer_id, target as standing from reasoned where subject_kind = 'customer'
  )`;
}

/**
 * The applicator's one statement: writes each decided change to `standings`, its transition and a
 * `*.standing_changed` event in the outbox — all in one set-based pass.
 */
export function applyStandingStatement(parameters: StandingParameters): RawBuilder<{
  subject_kind: string;
  from_standing: string;
  to_standing: string;
  count: number;
}> {
  const { tenantId } = parameters;
  return sql`
    with ${decisionCtes(parameters)},
    changed as (
      select * from reasoned where target <> current
    ),
    upserted as (
      insert into standings (tenant_id, subject_kind, subject_id, customer_id, standing, since, reason, updated_at)
      select ${tenantId}::uuid, subject_kind, subject_id, customer_id, target, ${parameters.date}::date, reason,
        ${parameters.at}::timestamptz
      from changed
      on conflict (tenant_id, subject_kind, subject_id) do update
        set standing = excluded.standing, since = excluded.since, reason = excluded.reason,
            updated_at = excluded.updated_at
      returning 1
    ),
    transitions as (
      insert into standing_transitions (tenant_id, subject_kind, subject_id, customer_id, from_standing,
        to_standing, reason, effective_on, at)
      select ${tenantId}::uuid, subject_kind, subject_id, customer_id, current, target, reason,
        ${parameters.date}::date, ${parameters.at}::timestamptz
      from changed
      returning 1
    ),
    events as (
      insert into domain_events (tenant_id, type, customer_id, payload, occurred_at)
      select ${tenantId}::uuid, subject_kind || '.standing_changed', customer_id,
        json_build_object('subjectKind', subject_kind, 'subjectId', subject_id, 'customerId', customer_id,
          'from', current, 'to', target, 'reason', reason, 'effectiveOn', ${parameters.date}::date,
          'oldestUnpaidDue', oldest_due, 'overdueCents', overdue_cents),
        ${parameters.at}::timestamptz
      from changed
      returning 1
    )${
      parameters.daily
        ? sql`,
    consumed as (
      -- the marks this pass read; one made meanwhile (another marked_at) waits for the next run
      delete from standing_stale_customers m using stale
      where m.tenant_id = ${tenantId}::uuid and m.customer_id = stale.customer_id
        and m.marked_at = stale.marked_at
      returning 1
    )`
        : sql``
    }
    select subject_kind, current as from_standing, target as to_standing, count(*)::integer as count,
      (select count(*) from upserted) + (select count(*) from transitions) + (select count(*) from events) as written
    from changed
    group by subject_kind, current, target
    order by subject_kind, current, target`;
}

const LEVELS = ["ok", "warning", "suspended", "cancelled"];
