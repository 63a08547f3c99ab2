import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/database.ts";
import type { IsoDate } from "../../domain/dates.ts";
import { meanInterval, pairedUplift, type Uplift } from "../../domain/experiment-stats.ts";
import {
  type BehaviourParameters,
  drawInvoice,
  type InvoiceDraw,
  type SimulatedChannel,
  type SimulatedStep,
  simulateInvoice,
} from "../../domain/payer-behaviour.ts";
import { FixedClock } from "../../shared/clock.ts";
import { Random } from "../demo/random.ts";
import { listPolicies } from "../policies/policy.service.ts";
import { trainPaymentModel } from "../scores/score.service.ts";
import { tenantFromRow } from "../tenants/tenant.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { writeSimulatedPortfolio } from "./simulated-portfolio.ts";

/**
 * `regua simulate`: the tenant's régua against no régua and against a single reminder, on the same
 * draws of the same invoices (the tenant's, due in the period), so every difference is the
 * messages' doing. Nothing is written. Beside it, the payment model's AUC on a simulated history
 * drawn from the same behaviour (written in a transaction that is rolled back).
 */
export type ArmName = "regua" | "none" | "single_reminder";

export interface Interval {
  mean: number;
  low: number;
  high: number;
}

export interface SimulatedArm {
  arm: ArmName;
  invoices: number;
  recoveryRate: Interval;
  recoveredCents: number;
  /** days from the due date to payment, among the invoices paid (≤ 0: on time) */
  daysToPay: Interval;
  messages: number;
  messageCostCents: number;
  /** message cost per real recovered (cents of cost per 100 cents recovered) */
  costPerRealRecovered: number;
  /** against no régua, on the same draws */
  upliftVersusNone: { rate: Uplift; recoveredCentsPerInvoice: Uplift } | null;
}

export interface SimulationReport {
  from: IsoDate;
  to: IsoDate;
  seed: number;
  policy: string | null;
  steps: SimulatedStep[];
  arms: SimulatedArm[];
  /** AUC of the payment model trained and measured (time split) on a simulated history */
  scoreAuc: number | null;
}

const SIMULATED_CHANNELS = new Set<string>(["email", "sms", "whatsapp", "letter"]);

/** The steps of the tenant's first active policy (by priority) as simulated messages. */
async function reguaSteps(
  db: Kysely<Database>,
  tenantId: string,
): Promise<{ name: string | null; steps: SimulatedStep[] }> {
  const policy = (await listPolicies(db, tenantId))
    .filter((p) => p.active)
    .sort((a, b) => a.priority - b.priority)[0];
  if (!policy) return { name: null, steps: [] };
  const steps = policy.steps.flatMap((step) =>
    step.channels
      .filter((channel) => SIMULATED_CHANNELS.has(channel))
      .map((channel) => ({ offset: step.offsetDays, channel: channel as SimulatedChannel })),
  );
  return { name: policy.name, steps };
}

/** One SMS the day before the due date, or an e-mail to a debtor without a phone. */
function singleReminder(draw: InvoiceDraw): SimulatedStep[] {
  return [{ offset: -1, channel: draw.contacts.sms ? "sms" : "email" }];
}

function hashOf(text: string): number {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index += 1)
    hash = Math.imul(hash ^ text.charCodeAt(index), 16777619);
  return hash | 0;
}

export async function compareReguas(
  db: Kysely<Database>,
  tenant: Tenant,
  options: { from: IsoDate; to: IsoDate; seed: number; behaviour: BehaviourParameters; score: boolean },
): Promise<SimulationReport> {
  const { behaviour } = options;
  const regua = await reguaSteps(db, tenant.id);
  const invoices = await sql<{
    id: string;
    amount_cents: number;
    email: boolean;
    sms: boolean;
    whatsapp: boolean;
  }>`
    select i.id, i.amount_cents,
      coalesce(bool_or(k.channel = 'email'), false) as email,
      coalesce(bool_or(k.channel = 'sms'), false) as sms,
      coalesce(bool_or(k.channel = 'whatsapp'), false) as whatsapp
    from invoices i
    left join contacts k on k.tenant_id = i.tenant_id and k.customer_id = i.customer_id
      and k.opted_out_at is null and k.unusable_reason is null
    where i.tenant_id = ${tenant.id}::uuid and i.due_date between ${options.from}::date and ${options.to}::date
      and i.status <> 'cancelled'
    group by i.id, i.amount_cents
    order by i.id`.execute(db);

  const arms: Record<
    ArmName,
    { paid: number[]; recovered: number[]; days: number[]; messages: number; cost: number }
  > = {
    regua: { paid: [], recovered: [], days: [], messages: 0, cost: 0 },
    none: { paid: [], recovered: [], days: [], messages: 0, cost: 0 },
    single_reminder: { paid: [], recovered: [], days: [], messages: 0, cost: 0 },
  };
  for (const invoice of invoices.rows) {
    const random = new Random(options.seed, hashOf(invoice.id));
    const draw = {
      ...drawInvoice(behaviour, () => random.next()),
      contacts: { email: invoice.email, sms: invoice.sms, whatsapp: invoice.whatsapp },
    };
    const plans: Record<ArmName, SimulatedStep[]> = {
      regua: regua.steps,
      none: [],
      single_reminder: singleReminder(draw),
    };
    for (const arm of Object.keys(plans) as ArmName[]) {
      const outcome = simulateInvoice(behaviour, draw, plans[arm]);
      const target = arms[arm];
      target.paid.push(outcome.paidDay === null ? 0 : 1);
      target.recovered.push(outcome.paidDay === null ? 0 : Number(invoice.amount_cents));
      if (outcome.paidDay !== null) target.days.push(outcome.paidDay);
      target.messages += outcome.messages;
      target.cost += outcome.costCents;
    }
  }
  const result = (arm: ArmName): SimulatedArm => {
    const data = arms[arm];
    const recoveredCents = data.recovered.reduce((s, v) => s + v, 0);
    return {
      arm,
      invoices: data.paid.length,
      recoveryRate: meanInterval(data.paid),
      recoveredCents,
      daysToPay: meanInterval(data.days),
      messages: data.messages,
      messageCostCents: data.cost,
      costPerRealRecovered: recoveredCents > 0 ? data.cost / recoveredCents : 0,
      upliftVersusNone:
        arm === "none"
          ? null
          : {
              rate: pairedUplift(arms.none.paid, data.paid),
              recoveredCentsPerInvoice: pairedUplift(arms.none.recovered, data.recovered),
            },
    };
  };
  return {
    from: options.from,
    to: options.to,
    seed: options.seed,
    policy: regua.name,
    steps: regua.steps,
    arms: [result("regua"), result("none"), result("single_reminder")],
    scoreAuc: options.score
      ? await simulatedScoreAuc(db, tenant, options.seed, behaviour, regua.steps, options.to)
      : null,
  };
}

class Rollback extends Error {}

/**
 * Draws 15 months of history for 300 simulated debtors under the régua into a sandbox tenant,
 * trains the payment model on it (time split) and rolls everything back: the AUC the score
 * reaches when the behaviour model is the truth.
 */
async function simulatedScoreAuc(
  db: Kysely<Database>,
  tenant: Tenant,
  seed: number,
  behaviour: BehaviourParameters,
  steps: SimulatedStep[],
  today: IsoDate,
): Promise<number | null> {
  let auc: number | null = null;
  try {
    await db.transaction().execute(async (trx) => {
      // a row, not createTenant: that opens a transaction of its own, and this one must roll back
      const sandbox = tenantFromRow(
        await trx
          .insertInto("tenants")
          .values({
            slug: `simulacao-${Math.abs(seed) % 1_000_000}`,
            legal_name: `Simulação de ${tenant.legalName}`,
            document: tenant.document,
            address: tenant.address,
          })
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      await writeSimulatedPortfolio(trx, {
        tenantId: sandbox.id,
        seed,
        customers: 300,
        months: 15,
        today,
        behaviour,
        steps,
        prefix: `simulacao-${seed}`,
      });
      const outcome = await trainPaymentModel(trx, sandbox, new FixedClock(`${today}T12:00:00Z`));
      auc = outcome.evaluation?.auc ?? null;
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return auc;
}
