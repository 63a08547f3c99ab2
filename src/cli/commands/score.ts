import type { Command } from "commander";
import { isIsoDate } from "../../domain/dates.ts";
import type { Evaluation } from "../../domain/payment-model.ts";
import { effectiveness } from "../../i18n/pt-BR/effectiveness.ts";
import {
  evaluatePaymentModel,
  explainInvoiceScore,
  scoreOpenInvoices,
  trainPaymentModel,
} from "../../modules/scores/score.service.ts";
import { resolveTenant } from "../../modules/tenants/tenant.service.ts";
import { type Clock, FixedClock, systemClock } from "../../shared/clock.ts";
import { validationError } from "../../shared/errors.ts";
import { printJson } from "../run.ts";
import { withDatabase } from "../with-database.ts";

interface ScoreCliOptions {
  tenant?: string;
  horizon: string;
  today?: string;
  json?: boolean;
}

function horizonOf(options: ScoreCliOptions): number {
  const days = Number(options.horizon);
  if (!Number.isInteger(days) || days < 1 || days > 365) {
    throw validationError("horizon", "--horizon: use um número inteiro de dias de 1 a 365");
  }
  return days;
}

/** `--today` pins the day the command acts on (the clock of the command), else the system's. */
function clockOf(options: ScoreCliOptions): Clock {
  if (options.today === undefined) return systemClock;
  if (!isIsoDate(options.today)) throw validationError("today", "--today: use AAAA-MM-DD (ex.: 2026-12-01)");
  return new FixedClock(`${options.today}T12:00:00Z`);
}

const percent = (value: number) => `${(value * 100).toFixed(1).replace(".", ",")}%`;
const decimal = (value: number, digits = 3) =>
  Number.isNaN(value) ? "—" : value.toFixed(digits).replace(".", ",");

/** The evaluation as a pt-BR report: AUC, Brier score and the calibration table. */
export function describeEvaluation(
  evaluation: Evaluation | null,
  period: { from: string; to: string } | null,
): string {
  if (!evaluation) return "Sem faturas no período de avaliação.\n";
  const lines = [
    period ? `Avaliação de ${period.from} a ${period.to} (período posterior ao treino)` : "Avaliação",
    `  exemplos: ${evaluation.examples}, pagas no horizonte: ${percent(evaluation.paidRate)}`,
    `  AUC: ${decimal(evaluation.auc)} (0,5 = acaso; 1 = ordena perfeitamente)`,
    `  Brier: ${decimal(evaluation.brier, 4)} (prever a taxa média daria ${decimal(evaluation.paidRate * (1 - evaluation.paidRate), 4)})`,
    "  calibração:   faixa prevista   faturas   média prevista   pagas de fato",
  ];
  for (const bin of evaluation.calibration) {
    lines.push(
      `               ${percent(bin.from).padStart(6)}–${percent(bin.to).padEnd(7)} ${String(bin.count).padStart(8)}   ${percent(bin.meanPredicted).padStart(14)}   ${percent(bin.observedRate).padStart(13)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function common(command: Command): Command {
  return command
    .option("--tenant <slug>", "credor (dispensável quando há um só)")
    .option("--horizon <days>", "horizonte da probabilidade, em dias", "30")
    .option("--today <YYYY-MM-DD>", "o dia de referência (padrão: hoje no fuso do credor)")
    .option("--json", "saída em JSON");
}

/** `regua score train|evaluate|explain`: the probability of payment (docs/effectiveness.md). */
export function register(program: Command): void {
  const score = program.command("score").description("probabilidade de pagamento das faturas em aberto");

  common(score.command("train"))
    .description(
      "treina o modelo no histórico do credor, avalia num período posterior e recalcula as probabilidades",
    )
    .action(async (options: ScoreCliOptions) => {
      const horizonDays = horizonOf(options);
      const clock = clockOf(options);
      const result = await withDatabase(async ({ db }) => {
        const tenant = await resolveTenant(db, options.tenant);
        const outcome = await trainPaymentModel(db, tenant, clock, { horizonDays });
        const scoring = await scoreOpenInvoices(db, tenant, clock, { horizonDays });
        return { tenant: tenant.slug, outcome, scoring };
      });
      if (options.json) return printJson(result);
      const { outcome, scoring } = result;
      process.stdout.write(
        `${outcome.keptPrior ? `${outcome.keptPrior}\n` : `Modelo treinado em ${outcome.trainingRows} exemplos (${outcome.trainPeriod?.from} a ${outcome.evaluationPeriod?.to}).\n`}`,
      );
      process.stdout.write(describeEvaluation(outcome.evaluation, outcome.evaluationPeriod));
      process.stdout.write(
        `${scoring.scored} faturas em aberto pontuadas em ${scoring.scoredOn} (${effectiveness.modelKind[scoring.model]}).\n`,
      );
    });

  common(score.command("evaluate"))
    .description(
      "mostra AUC, Brier e a tabela de calibração do modelo em uso, medidos num período posterior ao treino",
    )
    .action(async (options: ScoreCliOptions) => {
      const horizonDays = horizonOf(options);
      const clock = clockOf(options);
      const result = await withDatabase(async ({ db }) => {
        const tenant = await resolveTenant(db, options.tenant);
        return evaluatePaymentModel(db, tenant, clock, { horizonDays });
      });
      if (options.json) return printJson(result);
      process.stdout.write(`${effectiveness.modelKind[result.model]}\n`);
      process.stdout.write(describeEvaluation(result.evaluation, result.period));
    });

  common(score.command("explain"))
    .description("explica a probabilidade de uma fatura: a contribuição de cada característica")
    .requiredOption("--invoice <id>", "id da fatura")
    .action(async (options: ScoreCliOptions & { invoice: string }) => {
      const horizonDays = horizonOf(options);
      const clock = clockOf(options);
      const explanation = await withDatabase(async ({ db }) => {
        const tenant = await resolveTenant(db, options.tenant);
        return explainInvoiceScore(db, tenant, options.invoice, clock, { horizonDays });
      });
      if (options.json) return printJson(explanation);
      const lines = [
        `Fatura ${explanation.invoiceId}: ${percent(explanation.probability)} de chance de pagamento em ${horizonDays} dias (faixa ${effectiveness.bands[explanation.band]}; ${effectiveness.modelKind[explanation.model]})`,
      ];
      for (const part of explanation.contributions) {
        const sign = part.contribution >= 0 ? "+" : "−";
        lines.push(
          `  ${sign}${decimal(Math.abs(part.contribution), 2).padStart(5)}  ${part.label} = ${decimal(part.value, 2)}${part.effect ? ` — ${part.effect}` : ""}`,
        );
      }
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}
