import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { addDays, todayIn } from "../../domain/dates.ts";
import {
  bandOf,
  contributions,
  DEFAULT_HORIZON_DAYS,
  type Evaluation,
  type Example,
  evaluate,
  fitLogistic,
  MINIMUM_OUTCOME_EXAMPLES,
  MINIMUM_TRAINING_EXAMPLES,
  type PaymentModel,
  predict,
  priorModel,
  SCORE_FEATURES,
  withEveryFeature,
} from "../../domain/payment-model.ts";
import { effectiveness, reasonText } from "../../i18n/pt-BR/effectiveness.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError, notFound } from "../../shared/errors.ts";
import { overdueCutoffOf } from "../open-debt/open-debt.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import {
  countInvoices,
  expectedRecoveryRows,
  type FeatureRow,
  findInvoiceScore,
  findLatestModel,
  insertModel,
  selectFeatures,
  writeScores,
} from "./score.repository.ts";
import type { Explanation, InvoiceScore, TrainingOutcome } from "./score.ts";
import type { FeatureQuery } from "./score-features.sql.ts";

/** History read for training: one year of scoring days every two weeks ending `horizon` days ago. */
const HISTORY_DAYS = 364;
const SNAPSHOT_EVERY_DAYS = 14;
/** The later part of that year kept out of the fit to measure the model (time split). */
const EVALUATION_DAYS = 91;
/** Above this many invoices in the year, training reads a stable hash sample of them. */
const TRAINING_INVOICE_BUDGET = 50_000;

export interface ScoreOptions {
  horizonDays?: number;
}

function today(tenant: Tenant, clock: Clock): string {
  return todayIn(tenant.timeZone, clock.now());
}

function snapshotDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = to; day >= from; day = addDays(day, -SNAPSHOT_EVERY_DAYS)) days.unshift(day);
  return days;
}

const examplesOf = (rows: FeatureRow[]): Example[] =>
  rows.map((row) => ({ features: row.features, paid: row.paid }));

function enoughToFit(examples: Example[]): string | null {
  const paid = examples.filter((example) => example.paid).length;
  if (
    examples.length < MINIMUM_TRAINING_EXAMPLES ||
    Math.min(paid, examples.length - paid) < MINIMUM_OUTCOME_EXAMPLES
  ) {
    return effectiveness.notEnoughHistory(examples.length, MINIMUM_TRAINING_EXAMPLES);
  }
  return null;
}

/**
 * Trains the tenant's model from its own history: a fit on the earlier weeks is measured on the
 * later ones (no label of the fit falls after the evaluation begins), then the model kept is fitted
 * on the whole labelled year. Without enough history the tenant keeps the prior.
 */
export async function trainPaymentModel(
  db: Kysely<Database>,
  tenant: Tenant,
  clock: Clock,
  options: ScoreOptions = {},
): Promise<TrainingOutcome> {
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const trainedOn = today(tenant, clock);
  const lastSnapshot = addDays(trainedOn, -horizonDays);
  const firstSnapshot = addDays(lastSnapshot, -HISTORY_DAYS);
  const evaluationFrom = addDays(lastSnapshot, -EVALUATION_DAYS);
  const invoices = await countInvoices(db, tenant.id, addDays(firstSnapshot, -HISTORY_DAYS), lastSnapshot);
  const query: FeatureQuery = {
    tenantId: tenant.id,
    timeZone: tenant.timeZone,
    snapshots: snapshotDays(firstSnapshot, lastSnapshot),
    horizonDays,
    current: false,
    sampleEvery: Math.ceil(invoices / TRAINING_INVOICE_BUDGET),
  };
  const rows = await selectFeatures(db, query);
  const fitRows = rows.filter((row) => addDays(row.snapshot, horizonDays) <= evaluationFrom);
  const testRows = rows.filter((row) => row.snapshot >= evaluationFrom);
  const outcome: TrainingOutcome = {
    model: priorModel(horizonDays),
    modelId: null,
    trainedOn,
    trainingRows: rows.length,
    evaluation: null,
    trainPeriod:
      fitRows.length > 0 ? { from: firstSnapshot, to: addDays(evaluationFrom, -horizonDays) } : null,
    evaluationPeriod: testRows.length > 0 ? { from: evaluationFrom, to: lastSnapshot } : null,
    keptPrior: enoughToFit(examplesOf(fitRows)) ?? enoughToFit(examplesOf(rows)),
  };
  if (outcome.keptPrior) {
    if (testRows.length > 0) outcome.evaluation = evaluate(outcome.model, examplesOf(testRows));
    return outcome;
  }
  const earlier = fitLogistic(examplesOf(fitRows), { horizonDays });
  if (testRows.length > 0) outcome.evaluation = evaluate(earlier, examplesOf(testRows));
  outcome.model = fitLogistic(examplesOf(rows), { horizonDays });
  outcome.modelId = await insertModel(db, {
    tenantId: tenant.id,
    horizonDays,
    trainedOn,
    trainingRows: rows.length,
    model: outcome.model,
    evaluation: {
      evaluation: outcome.evaluation,
      trainPeriod: outcome.trainPeriod,
      evaluationPeriod: outcome.evaluationPeriod,
    },
  });
  return outcome;
}

/** The model that scores the tenant now: its latest trained one, else the prior. */
export async function currentModel(
  db: Executor,
  tenantId: string,
  horizonDays: number = DEFAULT_HORIZON_DAYS,
): Promise<{ model: PaymentModel; id: string | null; evaluation: unknown }> {
  const row = await findLatestModel(db, tenantId, horizonDays);
  if (!row) return { model: priorModel(horizonDays), id: null, evaluation: null };
  return { model: withEveryFeature(row.model as PaymentModel), id: row.id, evaluation: row.evaluation };
}

/** Scores every open invoice of the tenant for today (set-based); returns how many. */
export async function scoreOpenInvoices(
  db: Kysely<Database>,
  tenant: Tenant,
  clock: Clock,
  options: ScoreOptions = {},
): Promise<{ scored: number; scoredOn: string; model: "prior" | "trained" }> {
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const scoredOn = today(tenant, clock);
  const { model, id } = await currentModel(db, tenant.id, horizonDays);
  const scored = await db
    .transaction()
    .execute((trx) => writeScores(trx, currentQuery(tenant, scoredOn, horizonDays), model, id));
  return { scored, scoredOn, model: model.kind };
}

function currentQuery(tenant: Tenant, day: string, horizonDays: number, invoiceId?: string): FeatureQuery {
  return {
    tenantId: tenant.id,
    timeZone: tenant.timeZone,
    snapshots: [day],
    horizonDays,
    current: true,
    invoiceId,
  };
}

/**
 * Evaluates the model in force on the most recent labelled period: the trained model's stored
 * out-of-time evaluation, or, for the prior, a fresh measure over the last quarter.
 */
export async function evaluatePaymentModel(
  db: Kysely<Database>,
  tenant: Tenant,
  clock: Clock,
  options: ScoreOptions = {},
): Promise<{
  model: "prior" | "trained";
  evaluation: Evaluation | null;
  period: { from: string; to: string };
}> {
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const current = await currentModel(db, tenant.id, horizonDays);
  const lastSnapshot = addDays(today(tenant, clock), -horizonDays);
  const from = addDays(lastSnapshot, -EVALUATION_DAYS);
  const stored = current.evaluation as {
    evaluation: Evaluation | null;
    evaluationPeriod: { from: string; to: string } | null;
  } | null;
  if (stored?.evaluation && stored.evaluationPeriod) {
    return { model: "trained", evaluation: stored.evaluation, period: stored.evaluationPeriod };
  }
  const rows = await selectFeatures(db, {
    tenantId: tenant.id,
    timeZone: tenant.timeZone,
    snapshots: snapshotDays(from, lastSnapshot),
    horizonDays,
    current: false,
  });
  return {
    model: current.model.kind,
    evaluation: rows.length > 0 ? evaluate(current.model, examplesOf(rows)) : null,
    period: { from, to: lastSnapshot },
  };
}

/** Every feature's value and contribution to one open invoice's score today. */
export async function explainInvoiceScore(
  db: Kysely<Database>,
  tenant: Tenant,
  invoiceId: string,
  clock: Clock,
  options: ScoreOptions = {},
): Promise<Explanation> {
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const { model } = await currentModel(db, tenant.id, horizonDays);
  const [row] = await selectFeatures(db, currentQuery(tenant, today(tenant, clock), horizonDays, invoiceId));
  if (!row) {
    const exists = await db
      .selectFrom("invoices")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .where("id", "=", invoiceId)
      .executeTakeFirst();
    if (!exists) throw notFound("fatura", invoiceId);
    throw new AppError("conflict", effectiveness.invoiceNotOpen, "invoiceId");
  }
  const parts = contributions(model, row.features);
  const probability = predict(model, row.features);
  return {
    invoiceId,
    probability,
    band: bandOf(probability),
    model: model.kind,
    contributions: SCORE_FEATURES.map((feature, j) => ({
      feature,
      label: effectiveness.features[feature].label,
      value: row.features[j]!,
      contribution: parts[j]!,
      effect: parts[j]! === 0 ? "" : reasonText(`${parts[j]! > 0 ? "+" : "-"}${feature}`),
    })).sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)),
  };
}

/** The stored score of an invoice, with its reasons in pt-BR. */
export async function getInvoiceScore(
  db: Executor,
  tenantId: string,
  invoiceId: string,
): Promise<InvoiceScore> {
  const row = await findInvoiceScore(db, tenantId, invoiceId);
  if (!row) throw notFound("probabilidade de pagamento da fatura", invoiceId);
  return {
    invoiceId: row.invoice_id,
    customerId: row.customer_id,
    scoredOn: row.scored_on,
    horizonDays: row.horizon_days,
    probability: row.probability,
    band: row.band,
    reasons: row.reasons.map((code) => ({ code, text: reasonText(code) })),
    model: row.model_id ? "trained" : "prior",
  };
}

/** Expected recovery by phase of the debt: Σ probability × outstanding of the scored open invoices. */
export async function expectedRecovery(db: Executor, tenant: Tenant, clock: Clock) {
  const day = today(tenant, clock);
  const rows = await expectedRecoveryRows(db, tenant.id, day, overdueCutoffOf(tenant, day));
  return {
    phases: rows.map((row) => ({
      phase: row.phase,
      invoices: row.invoices,
      outstandingCents: row.outstanding_cents,
      expectedCents: row.expected_cents,
    })),
    totalExpectedCents: rows.reduce((sum, row) => sum + row.expected_cents, 0),
  };
}
