import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { BAND_LIMITS, type PaymentModel, SCORE_FEATURES } from "../../domain/payment-model.ts";
import { openInvoicesRelation } from "../open-debt/open-debt.sql.ts";
import type { InvoiceScoreRow, PaymentModelRow } from "./score.table.ts";
import { contributionSql, type FeatureQuery, featureRows } from "./score-features.sql.ts";

export interface FeatureRow {
  snapshot: string;
  invoice_id: string;
  customer_id: string;
  outstanding_cents: number;
  paid: boolean;
  features: number[];
}

/** The feature rows of featureRows, with the features gathered in SCORE_FEATURES order. */
export async function selectFeatures(db: Executor, query: FeatureQuery): Promise<FeatureRow[]> {
  const result = await sql<Record<string, unknown>>`${featureRows(query)}`.execute(db);
  return result.rows.map((row) => ({
    snapshot: String(row.snapshot),
    invoice_id: String(row.invoice_id),
    customer_id: String(row.customer_id),
    outstanding_cents: Number(row.outstanding_cents),
    paid: row.paid === true,
    features: SCORE_FEATURES.map((feature) => Number(row[`f_${feature}`])),
  }));
}

export async function insertModel(
  db: Executor,
  values: {
    tenantId: string;
    horizonDays: number;
    trainedOn: string;
    trainingRows: number;
    model: PaymentModel;
    evaluation: unknown;
  },
): Promise<string> {
  const row = await db
    .insertInto("payment_models")
    .values({
      tenant_id: values.tenantId,
      horizon_days: values.horizonDays,
      trained_on: values.trainedOn,
      training_rows: values.trainingRows,
      model: JSON.stringify(values.model),
      evaluation: values.evaluation === null ? null : JSON.stringify(values.evaluation),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findLatestModel(
  db: Executor,
  tenantId: string,
  horizonDays: number,
): Promise<PaymentModelRow | undefined> {
  return db
    .selectFrom("payment_models")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("horizon_days", "=", horizonDays)
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

/**
 * Scores every open invoice of the tenant in one statement: features, log-odds, probability, band
 * and the three largest contributions as reasons, upserted into invoice_scores; an invoice paid or
 * renegotiated keeps its last score, a cancelled one loses it. Returns how many invoices were scored.
 */
export async function writeScores(
  db: Executor,
  query: FeatureQuery,
  model: PaymentModel,
  modelId: string | null,
): Promise<number> {
  const parts = contributionSql(model, "f");
  const codes = SCORE_FEATURES as readonly string[];
  const result = await sql<{ scored: number }>`
    with f as materialized (${featureRows(query)}),
    scored as (
      select f.invoice_id, f.customer_id, f.snapshot,
        1 / (1 + exp(-(${model.intercept}::float8 + ${sql.join(parts, sql` + `)}))) as probability,
        array[${sql.join(parts)}]::float8[] as parts
      from f
    ),
    written as (
      insert into invoice_scores as s (tenant_id, invoice_id, customer_id, scored_on, horizon_days,
        probability, band, reasons, model_id)
      select ${query.tenantId}::uuid, x.invoice_id, x.customer_id, x.snapshot, ${model.horizonDays}::int,
        x.probability,
        case when x.probability >= ${BAND_LIMITS.high}::float8 then 'high'
             when x.probability >= ${BAND_LIMITS.medium}::float8 then 'medium' else 'low' end,
        coalesce((select array_agg(r.code order by r.size desc) from (
            select case when u.part > 0 then '+' else '-' end || u.code as code, abs(u.part) as size
            from unnest(${codes}::text[], x.parts) as u (code, part)
            where abs(u.part) > 1e-9
            order by abs(u.part) desc limit 3) r), '{}'),
        ${modelId}::uuid
      from scored x
      on conflict (tenant_id, invoice_id) do update set
        customer_id = excluded.customer_id, scored_on = excluded.scored_on,
        horizon_days = excluded.horizon_days, probability = excluded.probability,
        band = excluded.band, reasons = excluded.reasons, model_id = excluded.model_id
      returning 1
    )
    select count(*)::int as scored from written`.execute(db);
  // a paid or renegotiated invoice keeps the last score it had while open: the recovery report
  // groups what was recovered by that band; only a cancelled invoice's score goes
  await sql`
    delete from invoice_scores s where s.tenant_id = ${query.tenantId}::uuid
      and exists (select 1 from invoices i where i.tenant_id = s.tenant_id and i.id = s.invoice_id
        and i.status = 'cancelled')`.execute(db);
  return result.rows[0]?.scored ?? 0;
}

export async function findInvoiceScore(
  db: Executor,
  tenantId: string,
  invoiceId: string,
): Promise<InvoiceScoreRow | undefined> {
  return db
    .selectFrom("invoice_scores")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("invoice_id", "=", invoiceId)
    .executeTakeFirst();
}

export async function countInvoices(
  db: Executor,
  tenantId: string,
  from: string,
  to: string,
): Promise<number> {
  const row = await db
    .selectFrom("invoices")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("tenant_id", "=", tenantId)
    .where("issue_date", ">=", from)
    .where("issue_date", "<=", to)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface ExpectedRecoveryRow {
  phase: "pre_due" | "d1_30" | "d31_60" | "d61_90" | "d90_plus";
  invoices: number;
  outstanding_cents: number;
  expected_cents: number;
}

/**
 * The panel's expected recovery: Σ probability × outstanding over the scored invoices the open-debt
 * rule (open-debt.sql.ts) says are owed today, by phase of the debt: pre-due until the payable day
 * passes, then by days since the due date. Outstanding is the balance (original − paid), the
 * panel's figure; an original an agreement in force replaces is not expected to be paid (its
 * installments are).
 */
export async function expectedRecoveryRows(
  db: Executor,
  tenantId: string,
  today: string,
  /** The open-debt rule's overdue cut-off (overdueCutoffOf). */
  overdueDueOnOrBefore: string,
): Promise<ExpectedRecoveryRow[]> {
  const result = await sql<ExpectedRecoveryRow>`
    select
      case when not o.overdue then 'pre_due'
           when ${today}::date - o.due_date <= 30 then 'd1_30'
           when ${today}::date - o.due_date <= 60 then 'd31_60'
           when ${today}::date - o.due_date <= 90 then 'd61_90'
           else 'd90_plus' end as phase,
      count(*)::int as invoices,
      sum(o.balance_cents)::bigint as outstanding_cents,
      round(sum(s.probability * o.balance_cents))::bigint as expected_cents
    from ${openInvoicesRelation(tenantId, overdueDueOnOrBefore)} o
    join invoice_scores s on s.tenant_id = o.tenant_id and s.invoice_id = o.id
    group by 1
    order by min(case when o.overdue then ${today}::date - o.due_date else -100000 end)`.execute(db);
  return result.rows.map((row) => ({
    ...row,
    invoices: Number(row.invoices),
    outstanding_cents: Number(row.outstanding_cents),
    expected_cents: Number(row.expected_cents),
  }));
}
