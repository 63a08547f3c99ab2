import { z } from "zod";
import type { Evaluation, PaymentModel, ScoreBand } from "../../domain/payment-model.ts";

/**
 * Glossary: a score is the probability that an open invoice is paid within the horizon (default
 * 30 days) of the scoring day, with its band and its reasons in pt-BR. A model is the tenant's
 * trained logistic regression, or the prior while the tenant lacks history
 * (src/domain/payment-model.ts; docs/effectiveness.md).
 */
export interface InvoiceScore {
  invoiceId: string;
  customerId: string;
  scoredOn: string;
  horizonDays: number;
  probability: number;
  band: ScoreBand;
  reasons: { code: string; text: string }[];
  model: "prior" | "trained";
}

export interface TrainingOutcome {
  model: PaymentModel;
  modelId: string | null;
  trainedOn: string;
  trainingRows: number;
  /** Out-of-time evaluation: fitted on the earlier period, measured on the later one. */
  evaluation: Evaluation | null;
  trainPeriod: { from: string; to: string } | null;
  evaluationPeriod: { from: string; to: string } | null;
  /** Why the tenant keeps the prior (pt-BR), when it does. */
  keptPrior: string | null;
}

export interface Explanation {
  invoiceId: string;
  probability: number;
  band: ScoreBand;
  model: "prior" | "trained";
  /** every feature: its value, its contribution to the log-odds, and what it did (pt-BR) */
  contributions: { feature: string; label: string; value: number; contribution: number; effect: string }[];
}

export const ZTrainScores = z.object({
  horizonDays: z
    .number()
    .int({ error: "horizonDays: use um número inteiro de dias" })
    .min(1, { error: "horizonDays: use de 1 a 365 dias" })
    .max(365, { error: "horizonDays: use de 1 a 365 dias" })
    .default(30),
});
export type TTrainScores = z.input<typeof ZTrainScores>;
