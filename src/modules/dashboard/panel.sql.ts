import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { IsoDate } from "../../domain/dates.ts";
import { RECOVERY_ATTRIBUTION_DAYS } from "./panel.ts";

/**
 * The delinquency panel's SQL (glossary in panel.ts), set-based. The overdue figures are read from
 * the rollup of panel-rollup.sql.ts. Recovery reads
 * the payments of the days it computes by `payments_paid_at` and looks up each recovered invoice's
 * sent messages by `dunning_actions_sent_by_invoice`; a past day is computed once and kept in
 * `dashboard_recovery_days` until a payment is recorded into it (found by `payments_created`).
 */

export interface RecoveryRow {
  day: string;
  channel: string;
  cents: number;
  payments: number;
}

/**
 * Recovered amounts per day and channel for the payments made from `fromDay` to `toDay` (days in
 * the tenant's time zone). Each recovered payment looks up the messages of its invoice's actions
 * sent in the RECOVERY_ATTRIBUTION_DAYS days before it and takes the channel of the latest.
 */
export async function findRecovery(
  db: Executor,
  tenantId: string,
  timeZone: string,
  fromDay: IsoDate,
  toDay: IsoDate,
): Promise<RecoveryRow[]> {
  const result = await sql<RecoveryRow>`
    with recovered as (
      select p.invoice_id, p.amount_cents, p.paid_at,
        (p.paid_at at time zone ${timeZone})::date as paid_on
      from payments p
      where p.tenant_id = ${tenantId}::uuid
        and p.paid_at >= (${fromDay}::date::timestamp at time zone ${timeZone})
        and p.paid_at < ((${toDay}::date + 1)::timestamp at time zone ${timeZone})
        and p.invoice_id is not null
    ),
    late as (
      select r.*
      from recovered r
      join invoices i on i.tenant_id = ${tenantId}::uuid and i.id = r.invoice_id
      where r.paid_on > i.due_date
    ),
    attributed as (
      select l.paid_on, l.amount_cents, coalesce(last_message.channel, 'none') as channel
      from late l
      left join lateral (
        select m.channel
        from dunning_actions a
        join messages m on m.tenant_id = a.tenant_id and m.group_key = a.group_key
        where a.tenant_id = ${tenantId}::uuid and a.invoice_id = l.invoice_id
          and a.status in ('sent', 'delivered')
          and m.sent_at <= l.paid_at
          and m.sent_at > l.paid_at - make_interval(days => ${RECOVERY_ATTRIBUTION_DAYS})
        order by m.sent_at desc
        limit 1
      ) last_message on true
    )
    select to_char(paid_on, 'YYYY-MM-DD') as day, channel,
      sum(amount_cents)::int8 as cents, count(*)::int8 as payments
    from attributed
    group by 1, 2
    order by 1, 2`.execute(db);
  return result.rows;
}

export interface CachedRecoveryDay {
  day: string;
  by_channel: Record<string, { cents: number; payments: number }>;
  /** A payment was recorded into the day since the previous load. */
  stale: boolean;
}

/**
 * A payment's created_at is its transaction's start: one recorded up to this long before the
 * previous load may have been in a transaction not yet committed then, so it counts as recorded
 * since (payments are recorded one by one or in import chunks of seconds).
 */
const COMMIT_MARGIN = sql`interval '2 minutes'`;

/** The stored recovery of the days in [fromDay, toDay), each with whether it must be computed again. */
export async function findCachedRecoveryDays(
  db: Executor,
  tenantId: string,
  timeZone: string,
  fromDay: IsoDate,
  toDay: IsoDate,
): Promise<CachedRecoveryDay[]> {
  const result = await sql<CachedRecoveryDay>`
    with checked as (
      select checked_at from dashboard_recovery_checks where tenant_id = ${tenantId}::uuid
    ),
    -- the days of the payments recorded since the previous load: by payments_created, few rows
    changed as materialized (
      select distinct (p.paid_at at time zone ${timeZone})::date as day
      from payments p
      where p.tenant_id = ${tenantId}::uuid and p.created_at > (select checked_at from checked) - ${COMMIT_MARGIN}
    )
    select to_char(d.day, 'YYYY-MM-DD') as day, d.by_channel, d.day in (select day from changed) as stale
    from dashboard_recovery_days d
    where d.tenant_id = ${tenantId}::uuid and d.day >= ${fromDay}::date and d.day < ${toDay}::date
      and d.time_zone = ${timeZone} and d.attribution_days = ${RECOVERY_ATTRIBUTION_DAYS}
      and exists (select 1 from checked)`.execute(db);
  return result.rows;
}

/** The database's clock now, and when the tenant's payments were last looked at (null: never). */
export async function findRecoveryCheck(
  db: Executor,
  tenantId: string,
): Promise<{ now: Date; checked_at: Date | null }> {
  const result = await sql<{ now: Date; checked_at: Date | null }>`
    select clock_timestamp() as now,
      (select checked_at from dashboard_recovery_checks where tenant_id = ${tenantId}::uuid) as checked_at`.execute(
    db,
  );
  return result.rows[0]!;
}

/** Stores the days computed and when the payments were last looked at. */
export async function saveRecoveryDays(
  db: Executor,
  tenantId: string,
  timeZone: string,
  days: { day: IsoDate; byChannel: Record<string, { cents: number; payments: number }> }[],
  checkedAt: Date,
): Promise<void> {
  if (days.length > 0) {
    await sql`
      insert into dashboard_recovery_days (tenant_id, day, time_zone, attribution_days, by_channel)
      select ${tenantId}::uuid, d.day, ${timeZone}, ${RECOVERY_ATTRIBUTION_DAYS}, d.by_channel
      from unnest(${days.map((entry) => entry.day)}::date[],
                  ${days.map((entry) => JSON.stringify(entry.byChannel))}::jsonb[]) as d (day, by_channel)
      on conflict (tenant_id, day) do update set
        time_zone = excluded.time_zone, attribution_days = excluded.attribution_days,
        by_channel = excluded.by_channel`.execute(db);
  }
  await sql`
    insert into dashboard_recovery_checks (tenant_id, checked_at) values (${tenantId}::uuid, ${checkedAt})
    on conflict (tenant_id) do update set checked_at = excluded.checked_at`.execute(db);
}

export interface AgreementFiguresRow {
  proposed: number;
  active: number;
  active_cents: number;
  completed: number;
  broken: number;
}

export async function findAgreementFigures(db: Executor, tenantId: string): Promise<AgreementFiguresRow> {
  const result = await sql<AgreementFiguresRow>`
    select
      count(*) filter (where status = 'proposed')::int8 as proposed,
      count(*) filter (where status = 'active')::int8 as active,
      coalesce(sum(total_cents) filter (where status = 'active'), 0)::int8 as active_cents,
      count(*) filter (where status = 'completed')::int8 as completed,
      count(*) filter (where status = 'broken')::int8 as broken
    from agreements
    where tenant_id = ${tenantId}::uuid`.execute(db);
  return result.rows[0]!;
}
