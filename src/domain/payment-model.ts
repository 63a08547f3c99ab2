import { Matrix, solve } from "ml-matrix";

/**
 * Glossary: a payment model gives the probability that an open invoice is paid within `horizon`
 * days of the scoring day, from what was known on that day. It is a logistic regression on
 * standardised features, p = 1 / (1 + e^-(β₀ + Σ βⱼ·(xⱼ − μⱼ)/σⱼ)); the term βⱼ·(xⱼ − μⱼ)/σⱼ is the
 * feature's contribution, and the largest contributions are the score's reasons. Pure code: the
 * features come from SQL (src/modules/scores/score-features.sql.ts), the fit and the metrics are here.
 */
export const SCORE_FEATURES = [
  "days_overdue",
  "log_amount",
  "prior_invoices",
  "late_share",
  "avg_days_late",
  "overdue_invoices",
  "agreements_broken",
  "agreements_kept",
  "usable_contacts",
  "messages_delivered",
  "messages_clicked",
  "messages_opened",
  "standing",
  "company",
] as const;
export type ScoreFeature = (typeof SCORE_FEATURES)[number];

export interface PaymentModel {
  /** "prior": the documented model in code; "trained": fitted on the tenant's history. */
  kind: "prior" | "trained";
  horizonDays: number;
  intercept: number;
  coefficients: Record<ScoreFeature, number>;
  means: Record<ScoreFeature, number>;
  scales: Record<ScoreFeature, number>;
}

/** A scored example: its feature values in SCORE_FEATURES order and, for history, the outcome. */
export interface Example {
  features: number[];
  paid: boolean;
}

export const DEFAULT_HORIZON_DAYS = 30;
/** Fewer examples (or either outcome fewer than this) and the tenant keeps the prior. */
export const MINIMUM_TRAINING_EXAMPLES = 500;
export const MINIMUM_OUTCOME_EXAMPLES = 50;

// the bands live apart (no matrix library) so the dashboard can import them
export { BAND_LIMITS, bandOf, SCORE_BANDS, type ScoreBand } from "./score-bands.ts";

const zeros = (): Record<ScoreFeature, number> =>
  Object.fromEntries(SCORE_FEATURES.map((feature) => [feature, 0])) as Record<ScoreFeature, number>;
const ones = (): Record<ScoreFeature, number> =>
  Object.fromEntries(SCORE_FEATURES.map((feature) => [feature, 1])) as Record<ScoreFeature, number>;

/**
 * The prior: what a tenant without enough history is scored by. It works on the raw features
 * (means 0, scales 1). Rationale, from collections practice and the effects in DOMAIN.md:
 * - intercept +0.4: about 60% of invoices just due are paid within a month;
 * - days overdue −0.02/day: the chance of payment falls steadily with age (60 days: −1.2);
 * - log amount −0.15 per e-fold of the amount in reais: larger bills are paid later;
 * - late share −1.5 and average days late −0.02/day: past behaviour is the best single predictor;
 * - overdue invoices of the customer (this one included) −0.3 per log: several debts at once signal a shortage of cash;
 * - broken agreements −0.6 each, kept agreements +0.4 each (43% of renegotiations break: DOMAIN.md);
 * - usable contacts +0.15 each: reminders can reach the debtor (Cadena & Schoar: +7–9 pp);
 * - delivered messages +0.05, clicks +0.5 and e-mail opens +0.2 per log: engagement precedes payment
 *   (opens weigh less than clicks: image blocking and privacy prefetching make them noisy);
 * - standing −0.3 per level (warning, suspended, cancelled); companies +0.1.
 */
export function priorModel(horizonDays: number = DEFAULT_HORIZON_DAYS): PaymentModel {
  const scale = Math.log(horizonDays / DEFAULT_HORIZON_DAYS + 1) / Math.log(2);
  return {
    kind: "prior",
    horizonDays,
    intercept: 0.4 * scale,
    coefficients: {
      days_overdue: -0.02,
      log_amount: -0.15,
      prior_invoices: 0,
      late_share: -1.5,
      avg_days_late: -0.02,
      overdue_invoices: -0.3,
      agreements_broken: -0.6,
      agreements_kept: 0.4,
      usable_contacts: 0.15,
      messages_delivered: 0.05,
      messages_clicked: 0.5,
      messages_opened: 0.2,
      standing: -0.3,
      company: 0.1,
    },
    means: zeros(),
    scales: ones(),
  };
}

/**
 * A stored model with every feature of SCORE_FEATURES: one trained before a feature existed gives
 * it no weight (coefficient 0, mean 0, scale 1) until the next weekly training fits it.
 */
export function withEveryFeature(model: PaymentModel): PaymentModel {
  const pick = (values: Partial<Record<ScoreFeature, number>>, missing: number) =>
    Object.fromEntries(SCORE_FEATURES.map((feature) => [feature, values[feature] ?? missing])) as Record<
      ScoreFeature,
      number
    >;
  return {
    ...model,
    coefficients: pick(model.coefficients, 0),
    means: pick(model.means, 0),
    scales: pick(model.scales, 1),
  };
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Each feature's contribution to the log-odds, in SCORE_FEATURES order. */
export function contributions(model: PaymentModel, features: readonly number[]): number[] {
  return SCORE_FEATURES.map(
    (feature, j) =>
      (model.coefficients[feature] * ((features[j] ?? 0) - model.means[feature])) / model.scales[feature],
  );
}

export function predict(model: PaymentModel, features: readonly number[]): number {
  return sigmoid(model.intercept + contributions(model, features).reduce((sum, c) => sum + c, 0));
}

/** The score's reasons: the `count` largest contributions by size, signed ("+late_share"). */
export function reasonsOf(model: PaymentModel, features: readonly number[], count = 3): string[] {
  return contributions(model, features)
    .map((value, j) => ({ value, feature: SCORE_FEATURES[j]! }))
    .filter((entry) => Math.abs(entry.value) > 1e-9)
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
    .slice(0, count)
    .map((entry) => `${entry.value > 0 ? "+" : "-"}${entry.feature}`);
}

export interface FitOptions {
  horizonDays: number;
  /** L2 penalty on the standardised coefficients (not the intercept). */
  lambda?: number;
  maxIterations?: number;
}

/**
 * Fits the regularised logistic regression by iteratively reweighted least squares (Newton's
 * method): each step solves (XᵀWX + λI)·Δ = Xᵀ(y − p) − λβ on the standardised features. Only the
 * (k+1)² normal matrix is built, so memory stays flat in the number of examples.
 */
export function fitLogistic(examples: readonly Example[], options: FitOptions): PaymentModel {
  const k = SCORE_FEATURES.length;
  const n = examples.length;
  const means = new Array<number>(k).fill(0);
  const squares = new Array<number>(k).fill(0);
  for (const example of examples) {
    for (let j = 0; j < k; j++) means[j]! += example.features[j] ?? 0;
  }
  for (let j = 0; j < k; j++) means[j]! /= n;
  for (const example of examples) {
    for (let j = 0; j < k; j++) squares[j]! += ((example.features[j] ?? 0) - means[j]!) ** 2;
  }
  const scales = squares.map((sum) => {
    const sd = Math.sqrt(sum / n);
    return sd > 1e-9 ? sd : 1;
  });
  const lambda = options.lambda ?? 1;
  const beta = new Array<number>(k + 1).fill(0);
  const row = new Float64Array(k + 1);
  for (let iteration = 0; iteration < (options.maxIterations ?? 25); iteration++) {
    const hessian = Matrix.zeros(k + 1, k + 1);
    const gradient = new Array<number>(k + 1).fill(0);
    for (const example of examples) {
      row[0] = 1;
      for (let j = 0; j < k; j++) row[j + 1] = ((example.features[j] ?? 0) - means[j]!) / scales[j]!;
      let z = 0;
      for (let j = 0; j <= k; j++) z += beta[j]! * row[j]!;
      const p = sigmoid(z);
      const w = Math.max(p * (1 - p), 1e-9);
      const residual = (example.paid ? 1 : 0) - p;
      for (let a = 0; a <= k; a++) {
        gradient[a]! += row[a]! * residual;
        const wa = w * row[a]!;
        for (let b = a; b <= k; b++) hessian.set(a, b, hessian.get(a, b) + wa * row[b]!);
      }
    }
    for (let a = 0; a <= k; a++) {
      for (let b = 0; b < a; b++) hessian.set(a, b, hessian.get(b, a));
      if (a > 0) {
        hessian.set(a, a, hessian.get(a, a) + lambda);
        gradient[a]! -= lambda * beta[a]!;
      }
    }
    const step = solve(hessian, Matrix.columnVector(gradient)).to1DArray();
    let largest = 0;
    for (let j = 0; j <= k; j++) {
      beta[j]! += step[j]!;
      largest = Math.max(largest, Math.abs(step[j]!));
    }
    if (largest < 1e-6) break;
  }
  const record = (values: number[]) =>
    Object.fromEntries(SCORE_FEATURES.map((feature, j) => [feature, values[j]!])) as Record<
      ScoreFeature,
      number
    >;
  return {
    kind: "trained",
    horizonDays: options.horizonDays,
    intercept: beta[0]!,
    coefficients: record(beta.slice(1)),
    means: record(means),
    scales: record(scales),
  };
}

export interface CalibrationBin {
  /** predicted probability range [from, to) */
  from: number;
  to: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

export interface Evaluation {
  examples: number;
  paidRate: number;
  /** area under the ROC curve: the chance a payer is ranked above a non-payer (0.5 = chance) */
  auc: number;
  /** mean squared error of the probabilities (0 = perfect; predicting the base rate scores p(1−p)) */
  brier: number;
  calibration: CalibrationBin[];
}

/** AUC by ranks (Mann–Whitney), ties given half credit. */
export function areaUnderCurve(predictions: readonly number[], outcomes: readonly boolean[]): number {
  const order = predictions.map((p, i) => ({ p, paid: outcomes[i]! })).sort((a, b) => a.p - b.p);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]!.p === order[i]!.p) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) {
      if (order[t]!.paid) {
        positives++;
        rankSum += averageRank;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function evaluate(model: PaymentModel, examples: readonly Example[], bins = 10): Evaluation {
  const predictions = examples.map((example) => predict(model, example.features));
  const outcomes = examples.map((example) => example.paid);
  const table = Array.from({ length: bins }, (_, b) => ({
    from: b / bins,
    to: (b + 1) / bins,
    count: 0,
    predicted: 0,
    paid: 0,
  }));
  let brier = 0;
  let paid = 0;
  predictions.forEach((p, i) => {
    const outcome = outcomes[i] ? 1 : 0;
    brier += (p - outcome) ** 2;
    paid += outcome;
    const bin = table[Math.min(bins - 1, Math.floor(p * bins))]!;
    bin.count++;
    bin.predicted += p;
    bin.paid += outcome;
  });
  const n = Math.max(1, examples.length);
  return {
    examples: examples.length,
    paidRate: paid / n,
    auc: areaUnderCurve(predictions, outcomes),
    brier: brier / n,
    calibration: table
      .filter((bin) => bin.count > 0)
      .map((bin) => ({
        from: bin.from,
        to: bin.to,
        count: bin.count,
        meanPredicted: bin.predicted / bin.count,
        observedRate: bin.paid / bin.count,
      })),
  };
}

/** The largest gap between predicted and observed rates over bins holding at least `minimum` examples. */
export function calibrationError(evaluation: Evaluation, minimum = 30): number {
  return evaluation.calibration
    .filter((bin) => bin.count >= minimum)
    .reduce((worst, bin) => Math.max(worst, Math.abs(bin.meanPredicted - bin.observedRate)), 0);
}

/** The expected calibration error: the gap between predicted and observed rates, weighted by bin size. */
export function expectedCalibrationError(evaluation: Evaluation): number {
  const total = evaluation.calibration.reduce((sum, bin) => sum + bin.count, 0);
  if (total === 0) return 0;
  return evaluation.calibration.reduce(
    (sum, bin) => sum + (bin.count / total) * Math.abs(bin.meanPredicted - bin.observedRate),
    0,
  );
}
