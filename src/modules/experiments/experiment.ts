import { z } from "zod";
import type { Uplift } from "../../domain/experiment-stats.ts";
import type { ExperimentArm } from "./experiment.table.ts";

/**
 * Glossary: an experiment compares two policies (réguas) — a step variant is a copy of the policy
 * with that step changed (channel, day or template), kept inactive so only the experiment uses it —
 * with an optional holdout that gets no message of the régua. Each customer of the tenant at the
 * start is assigned an arm once, from a hash of (experiment, customer), and the assignment is
 * recorded. An invoice counts when it falls due while the experiment runs and its horizon has
 * passed; it is recovered when paid within the horizon after its due date.
 */
export const ZCreateExperiment = z
  .object({
    name: z.string().trim().min(1, { error: "dê um nome ao experimento" }).max(100),
    controlPolicyId: z.uuid({ error: "id de régua inválido" }),
    variantPolicyId: z.uuid({ error: "id de régua inválido" }).nullable().default(null),
    holdoutPercent: z
      .number({ error: "use um número de 0 a 50" })
      .min(0, { error: "use de 0 a 50" })
      .max(50, { error: "use de 0 a 50" })
      .default(0),
    horizonDays: z.number().int().min(1).max(180, { error: "use de 1 a 180 dias" }).default(30),
  })
  .refine((value) => value.variantPolicyId !== null || value.holdoutPercent > 0, {
    error: "informe variantPolicyId (A/B) ou holdoutPercent maior que zero (régua contra nenhuma mensagem)",
    path: ["variantPolicyId"],
  })
  .refine((value) => value.variantPolicyId !== value.controlPolicyId, {
    error: "variantPolicyId deve ser outra régua, diferente de controlPolicyId",
    path: ["variantPolicyId"],
  });
export type TCreateExperiment = z.input<typeof ZCreateExperiment>;

export interface Experiment {
  id: string;
  name: string;
  controlPolicyId: string;
  variantPolicyId: string | null;
  holdoutPercent: number;
  horizonDays: number;
  status: "running" | "stopped";
  startedOn: string;
  stoppedOn: string | null;
}

export interface ArmResult {
  arm: ExperimentArm;
  customers: number;
  invoices: number;
  recovered: number;
  recoveryRate: number;
  amountCents: number;
  recoveredCents: number;
  messages: number;
  messageCostCents: number;
}

export interface Comparison {
  /** "variant_vs_control" (the A/B) or "control_vs_holdout" (what the régua earns) */
  name: "variant_vs_control" | "control_vs_holdout";
  /** in the recovery rate (proportion of invoices) */
  rate: Uplift;
  /** in recovered cents per invoice */
  amountPerInvoiceCents: Uplift;
  /** invoices per arm needed to detect a 5-point change from the baseline with 80% power */
  neededPerArm: number;
  /** the change in recovery rate the sample is sized for (0.05: 5 percentage points) */
  detectableEffect: number;
  /** invoices the smaller arm still lacks to reach neededPerArm (0 when it has them) */
  missingPerArm: number;
  note: string;
}

export interface ExperimentResults {
  experiment: Experiment;
  measuredUntil: string;
  arms: ArmResult[];
  comparisons: Comparison[];
}
