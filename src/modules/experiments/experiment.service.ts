import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { todayIn } from "../../domain/dates.ts";
import { meanUplift, proportionUplift, sampleSizePerArm } from "../../domain/experiment-stats.ts";
import { experimentsText } from "../../i18n/pt-BR/effectiveness.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError, notFound, validationError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import type { Tenant } from "../tenants/tenant.ts";
import {
  type ArmRow,
  armRows,
  assignCustomers,
  findExperiment,
  insertExperiment,
  listExperimentRows,
  stopExperimentRow,
} from "./experiment.repository.ts";
import type { ExperimentRow } from "./experiment.table.ts";
import {
  type ArmResult,
  type Comparison,
  type Experiment,
  type ExperimentResults,
  type TCreateExperiment,
  ZCreateExperiment,
} from "./experiment.ts";

/** The effect an experiment is sized for: 5 percentage points of recovery rate. */
const DETECTABLE_EFFECT = 0.05;

function experimentOf(row: ExperimentRow): Experiment {
  return {
    id: row.id,
    name: row.name,
    controlPolicyId: row.control_policy_id,
    variantPolicyId: row.variant_policy_id,
    holdoutPercent: row.holdout_bps / 100,
    horizonDays: row.horizon_days,
    status: row.status,
    startedOn: row.started_on,
    stoppedOn: row.stopped_on,
  };
}

async function requirePolicy(db: Executor, tenantId: string, id: string, field: string): Promise<void> {
  const found = await db
    .selectFrom("policies")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
  if (!found) throw validationError(field, experimentsText.policyNotFound(field));
}

/** Starts an experiment and records the arm of every customer of the tenant, in one transaction. */
export async function startExperiment(
  db: Kysely<Database>,
  tenant: Tenant,
  input: TCreateExperiment,
  clock: Clock,
): Promise<Experiment & { assigned: number }> {
  const valid = parseInput(ZCreateExperiment, input);
  const today = todayIn(tenant.timeZone, clock.now());
  return db.transaction().execute(async (trx) => {
    await requirePolicy(trx, tenant.id, valid.controlPolicyId, "controlPolicyId");
    if (valid.variantPolicyId) await requirePolicy(trx, tenant.id, valid.variantPolicyId, "variantPolicyId");
    const row = await insertExperiment(trx, {
      tenantId: tenant.id,
      name: valid.name,
      controlPolicyId: valid.controlPolicyId,
      variantPolicyId: valid.variantPolicyId,
      holdoutBps: Math.round(valid.holdoutPercent * 100),
      horizonDays: valid.horizonDays,
      startedOn: today,
    });
    const assigned = await assignCustomers(trx, tenant.id, row.id, today);
    return { ...experimentOf(row), assigned };
  });
}

export async function listExperiments(db: Executor, tenantId: string): Promise<Experiment[]> {
  return (await listExperimentRows(db, tenantId)).map(experimentOf);
}

/** Stops an experiment: from the next planning on, everyone is back on the control policy's régua. */
export async function stopExperiment(
  db: Executor,
  tenant: Tenant,
  id: string,
  clock: Clock,
): Promise<Experiment> {
  const stopped = await stopExperimentRow(db, tenant.id, id, todayIn(tenant.timeZone, clock.now()));
  if (stopped) return experimentOf(stopped);
  if (await findExperiment(db, tenant.id, id))
    throw new AppError("conflict", experimentsText.alreadyStopped, "status");
  throw notFound("experimento", id);
}

function armResult(row: ArmRow): ArmResult {
  return {
    arm: row.arm,
    customers: row.customers,
    invoices: row.invoices,
    recovered: row.recovered,
    recoveryRate: row.invoices > 0 ? row.recovered / row.invoices : 0,
    amountCents: row.amount_cents,
    recoveredCents: row.recovered_cents,
    messages: row.messages,
    messageCostCents: row.message_cost_cents,
  };
}

/** B against A: uplift in recovery rate and in recovered cents per invoice, with the sample-size note. */
export function compareArms(name: Comparison["name"], a: ArmRow, b: ArmRow): Comparison {
  const baseRate = a.invoices > 0 ? a.recovered / a.invoices : 0.5;
  const neededPerArm = sampleSizePerArm(baseRate, DETECTABLE_EFFECT);
  const smaller = Math.min(a.invoices, b.invoices);
  return {
    name,
    rate: proportionUplift(
      { n: a.invoices, successes: a.recovered },
      { n: b.invoices, successes: b.recovered },
    ),
    amountPerInvoiceCents: meanUplift(
      { n: a.invoices, sum: a.recovered_cents, sumOfSquares: a.recovered_cents_squares },
      { n: b.invoices, sum: b.recovered_cents, sumOfSquares: b.recovered_cents_squares },
    ),
    neededPerArm,
    detectableEffect: DETECTABLE_EFFECT,
    missingPerArm: Math.max(0, neededPerArm - smaller),
    note:
      smaller >= neededPerArm
        ? experimentsText.enough(neededPerArm)
        : experimentsText.notEnough(smaller, neededPerArm),
  };
}

/** The experiment's results as of today (or its stop): per arm, and the comparisons with intervals. */
export async function experimentResults(
  db: Executor,
  tenant: Tenant,
  id: string,
  clock: Clock,
): Promise<ExperimentResults> {
  const row = await findExperiment(db, tenant.id, id);
  if (!row) throw notFound("experimento", id);
  const until = row.stopped_on ?? todayIn(tenant.timeZone, clock.now());
  const rows = await armRows(db, tenant.id, row, until);
  const byArm = new Map(rows.map((arm) => [arm.arm, arm]));
  const comparisons: Comparison[] = [];
  const control = byArm.get("control");
  const variant = byArm.get("variant");
  const holdout = byArm.get("holdout");
  if (control && variant) comparisons.push(compareArms("variant_vs_control", control, variant));
  if (control && holdout) comparisons.push(compareArms("control_vs_holdout", holdout, control));
  return { experiment: experimentOf(row), measuredUntil: until, arms: rows.map(armResult), comparisons };
}
