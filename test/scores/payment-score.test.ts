import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { DEFAULT_BEHAVIOUR } from "../../src/domain/payer-behaviour.ts";
import {
  calibrationError,
  contributions,
  expectedCalibrationError,
  predict,
  priorModel,
  SCORE_FEATURES,
} from "../../src/domain/payment-model.ts";
import { proposeAgreement } from "../../src/modules/agreements/agreement.service.ts";
import { createTenant } from "../../src/modules/onboarding/onboarding.service.ts";
import { selectFeatures } from "../../src/modules/scores/score.repository.ts";
import {
  currentModel,
  expectedRecovery,
  explainInvoiceScore,
  getInvoiceScore,
  scoreOpenInvoices,
  trainPaymentModel,
} from "../../src/modules/scores/score.service.ts";
import { writeSimulatedPortfolio } from "../../src/modules/simulation/simulated-portfolio.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { openTestDatabase } from "../support/test-database.ts";

/**
 * The payment model on a portfolio whose truth is known: 300 debtors of the four archetypes over
 * 13 months under a régua of an e-mail at D-3 and SMS at D+1 and D+7 (src/domain/payer-behaviour.ts).
 */
const TODAY = "2026-12-01";
const clock = new FixedClock(`${TODAY}T12:00:00Z`);
const STEPS = [
  { offset: -3, channel: "email" as const },
  { offset: 1, channel: "sms" as const },
  { offset: 7, channel: "sms" as const },
];

let handle: DatabaseHandle;
let simulated: Tenant;
let newcomer: Tenant;
let archetypeOf: Map<string, string>;

async function tenant(slug: string): Promise<Tenant> {
  return createTenant(handle.db, {
    slug,
    legalName: `${slug} Ltda`,
    document: "11.222.333/0001-81",
    address: "Av. Paulista, 1000, São Paulo/SP, 01310-100",
  });
}

beforeAll(async () => {
  handle = await openTestDatabase();
  simulated = await tenant("historico");
  newcomer = await tenant("novato");
  const truth = await writeSimulatedPortfolio(handle.db, {
    tenantId: simulated.id,
    seed: 7,
    customers: 300,
    months: 13,
    today: TODAY,
    behaviour: DEFAULT_BEHAVIOUR,
    steps: STEPS,
  });
  archetypeOf = truth.archetypeOf;
}, 300_000);

afterAll(async () => {
  await handle?.close();
});

describe("probability of payment within 30 days", () => {
  it("trained on the earlier months, ranks the later months' payers well above chance and is calibrated", async () => {
    const outcome = await trainPaymentModel(handle.db, simulated, clock);
    expect(outcome.keptPrior).toBeNull();
    expect(outcome.model.kind).toBe("trained");
    const evaluation = outcome.evaluation!;
    // the time split: the fit's outcomes all fall before the evaluation period starts
    expect(outcome.trainPeriod!.to < outcome.evaluationPeriod!.from).toBe(true);
    expect(evaluation.examples).toBeGreaterThan(500);
    // stated margins: AUC at least 0.20 above chance (0.5); calibration: the size-weighted gap
    // between predicted and observed rates under 0.06, and under 0.15 in every decile holding 50
    // examples or more (measured on a later period than the fit: drift included); Brier below
    // the base-rate forecast's p(1-p)
    const table = JSON.stringify(evaluation.calibration);
    expect(evaluation.auc).toBeGreaterThan(0.7);
    expect(expectedCalibrationError(evaluation), table).toBeLessThan(0.06);
    expect(calibrationError(evaluation, 50), table).toBeLessThan(0.15);
    expect(evaluation.brier).toBeLessThan(evaluation.paidRate * (1 - evaluation.paidRate));
  }, 600_000);

  it("scores every open invoice set-based, with reasons naming the behaviour that drove the simulation", async () => {
    const result = await scoreOpenInvoices(handle.db, simulated, clock);
    expect(result.model).toBe("trained");
    const open = await handle.db
      .selectFrom("invoices as i")
      .innerJoin("customers as c", (join) =>
        join.onRef("c.tenant_id", "=", "i.tenant_id").onRef("c.id", "=", "i.customer_id"),
      )
      .select(["i.id", "c.external_id"])
      .where("i.tenant_id", "=", simulated.id)
      .where("i.status", "=", "open")
      .execute();
    expect(result.scored).toBe(open.length);

    const byArchetype = new Map<string, number[]>();
    const reasons = new Map<string, number>();
    for (const invoice of open) {
      const score = await getInvoiceScore(handle.db, simulated.id, invoice.id);
      const archetype = archetypeOf.get(invoice.external_id)!;
      byArchetype.set(archetype, [...(byArchetype.get(archetype) ?? []), score.probability]);
      for (const reason of score.reasons)
        reasons.set(reason.code.slice(1), (reasons.get(reason.code.slice(1)) ?? 0) + 1);
      expect(score.reasons.length).toBeGreaterThan(0);
      expect(score.reasons[0]!.text).not.toMatch(/^[+-]/);
    }
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    // the forgetful are scored far above those who never pay
    expect(mean(byArchetype.get("forgetful")!)).toBeGreaterThan(mean(byArchetype.get("never_pay")!) + 0.2);
    // the simulation is driven by lateness and age of the debt: they lead the reasons
    const leading = [...reasons]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([feature]) => feature);
    expect(
      leading.some((feature) =>
        ["late_share", "avg_days_late", "days_overdue", "overdue_invoices"].includes(feature),
      ),
    ).toBe(true);
  });

  it("the expected recovery is Σ probability × outstanding, by phase of the debt", async () => {
    const recovery = await expectedRecovery(handle.db, simulated, clock);
    const scores = await handle.db
      .selectFrom("invoice_scores as s")
      .innerJoin("invoices as i", (join) =>
        join.onRef("i.tenant_id", "=", "s.tenant_id").onRef("i.id", "=", "s.invoice_id"),
      )
      .select(["s.probability", "i.amount_cents", "i.paid_cents"])
      .where("s.tenant_id", "=", simulated.id)
      .where("i.status", "=", "open")
      .execute();
    const expected = scores.reduce(
      (sum, row) => sum + row.probability * (row.amount_cents - row.paid_cents),
      0,
    );
    expect(Math.abs(recovery.totalExpectedCents - expected)).toBeLessThan(recovery.phases.length);
    expect(recovery.phases.map((phase) => phase.phase)).toContain("d90_plus");
    const old = recovery.phases.find((phase) => phase.phase === "d90_plus")!;
    // debts over 90 days are expected to yield a small share of what they owe
    expect(old.expectedCents / old.outstandingCents).toBeLessThan(0.2);
  });

  it("stores what the domain computes: the SQL score equals the model's own formula", async () => {
    const { model } = await currentModel(handle.db, simulated.id);
    const rows = await selectFeatures(handle.db, {
      tenantId: simulated.id,
      timeZone: simulated.timeZone,
      snapshots: [TODAY],
      horizonDays: 30,
      current: true,
    });
    for (const row of rows.slice(0, 50)) {
      const stored = await getInvoiceScore(handle.db, simulated.id, row.invoice_id);
      expect(stored.probability).toBeCloseTo(predict(model, row.features), 9);
      const parts = contributions(model, row.features);
      const top = SCORE_FEATURES.map((feature, j) => ({ feature, size: Math.abs(parts[j]!) })).sort(
        (a, b) => b.size - a.size,
      )[0]!;
      expect(stored.reasons[0]!.code.slice(1)).toBe(top.feature);
    }
  });

  it("explains one invoice: every feature with its contribution and its effect in pt-BR", async () => {
    const [invoice] = await handle.db
      .selectFrom("invoices")
      .select("id")
      .where("tenant_id", "=", simulated.id)
      .where("status", "=", "open")
      .limit(1)
      .execute();
    const explanation = await explainInvoiceScore(handle.db, simulated, invoice!.id, clock);
    expect(explanation.contributions).toHaveLength(SCORE_FEATURES.length);
    const stored = await getInvoiceScore(handle.db, simulated.id, invoice!.id);
    expect(explanation.probability).toBeCloseTo(stored.probability, 9);
    expect(explanation.contributions[0]!.label).toMatch(/[a-zç]/);
  });

  it("a tenant with no history keeps the documented prior and is still scored", async () => {
    const outcome = await trainPaymentModel(handle.db, newcomer, clock);
    expect(outcome.model.kind).toBe("prior");
    expect(outcome.keptPrior).toMatch(/histórico insuficiente/);
    expect(outcome.modelId).toBeNull();
    const customer = await handle.db
      .insertInto("customers")
      .values({
        tenant_id: newcomer.id,
        external_id: "n1",
        name: "Nova Cliente",
        document: "12345678909",
        kind: "person",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const invoice = await handle.db
      .insertInto("invoices")
      .values({
        tenant_id: newcomer.id,
        external_id: "n1-1",
        customer_id: customer.id,
        amount_cents: 15_000,
        issue_date: "2026-11-01",
        due_date: "2026-11-10",
        contract_id: null,
        fine_bps: null,
        interest_monthly_bps: null,
        paid_at: null,
        typeable_line: null,
        barcode: null,
        pix_payload: null,
        our_number: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await scoreOpenInvoices(handle.db, newcomer, clock);
    const score = await getInvoiceScore(handle.db, newcomer.id, invoice.id);
    expect(score.model).toBe("prior");
    // 21 days overdue, R$ 150, its only invoice (so one overdue invoice, all late), no contact:
    // the prior's formula
    const prior = priorModel(30);
    expect(score.probability).toBeCloseTo(
      predict(prior, [21, Math.log(1 + 150), Math.log(2), 1, 0, Math.log(2), 0, 0, 0, 0, 0, 0, 0]),
      9,
    );
    // an invoice deleted takes its score with it (a trigger, migration 0051, since no key ties them)
    await handle.db
      .deleteFrom("invoices")
      .where("tenant_id", "=", newcomer.id)
      .where("id", "=", invoice.id)
      .execute();
    const left = await handle.db
      .selectFrom("invoice_scores")
      .select("invoice_id")
      .where("tenant_id", "=", newcomer.id)
      .where("invoice_id", "=", invoice.id)
      .execute();
    expect(left).toEqual([]);
  });
});

describe("expected recovery and agreements", () => {
  it("an invoice an agreement replaces is no longer expected back: its installments carry the debt", async () => {
    const before = await expectedRecovery(handle.db, simulated, clock);
    // an overdue scored invoice of a customer with only that one open
    const [target] = await sql<{ id: string; customer_id: string; probability: number; balance: number }>`
      select i.id, i.customer_id, s.probability, (i.amount_cents - i.paid_cents)::int8 as balance
      from invoice_scores s
      join invoices i on i.tenant_id = s.tenant_id and i.id = s.invoice_id
      where s.tenant_id = ${simulated.id} and i.status = 'open' and i.due_date < ${TODAY}::date - 10
        and i.paid_cents = 0 and i.amount_cents >= 10000
        and (select count(*) from invoices o where o.tenant_id = i.tenant_id and o.customer_id = i.customer_id
             and o.status = 'open') = 1
      order by i.id limit 1`
      .execute(handle.db)
      .then((result) => result.rows);
    expect(target).toBeDefined();
    await proposeAgreement(
      handle.db,
      simulated,
      {
        customerId: target!.customer_id,
        terms: { invoiceIds: [target!.id], installments: 2 },
        actor: { kind: "operator", id: "00000000-0000-4000-8000-00000000a001", role: "admin" },
      },
      clock,
    );
    const after = await expectedRecovery(handle.db, simulated, clock);
    // the installments are new invoices, not scored yet: only the original leaves the sums
    const phasesOutstanding = (recovery: typeof before) =>
      recovery.phases.reduce((sum, phase) => sum + phase.outstandingCents, 0);
    expect(phasesOutstanding(before) - phasesOutstanding(after)).toBe(Number(target!.balance));
    expect(
      Math.abs(
        before.totalExpectedCents - after.totalExpectedCents - target!.probability * Number(target!.balance),
      ),
    ).toBeLessThan(before.phases.length + 1);
  });
});
