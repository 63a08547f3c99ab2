import { formatBrl } from "../../domain/money.ts";
import { readBehaviourFile } from "../../modules/simulation/behaviour-file.ts";
import {
  compareReguas,
  type Interval,
  type SimulationReport,
} from "../../modules/simulation/compare-reguas.ts";
import { resolveTenant } from "../../modules/tenants/tenant.service.ts";
import { printJson } from "../run.ts";
import { withDatabase } from "../with-database.ts";

const ARM_NAMES = { regua: "régua do credor", none: "sem régua", single_reminder: "um só lembrete" } as const;
const percent = (value: number) => `${(value * 100).toFixed(1).replace(".", ",")}%`;
const days = (value: number) => value.toFixed(1).replace(".", ",");
const interval = (value: Interval, format: (n: number) => string) =>
  `${format(value.mean)} [${format(value.low)}; ${format(value.high)}]`;

/** `regua simulate` (default mode): the comparison of compareReguas, printed in pt-BR. */
export async function simulateComparison(options: {
  from: string;
  to: string;
  seed: number;
  tenant?: string;
  behaviour?: string;
  score: boolean;
  json?: boolean;
}): Promise<void> {
  const behaviour = readBehaviourFile(options.behaviour);
  const report = await withDatabase(async ({ db }) => {
    const tenant = await resolveTenant(db, options.tenant);
    return compareReguas(db, tenant, {
      from: options.from,
      to: options.to,
      seed: options.seed,
      behaviour,
      score: options.score,
    });
  });
  if (options.json) return printJson(report);
  process.stdout.write(describeReport(report));
}

export function describeReport(report: SimulationReport): string {
  const lines = [
    `Simulação de ${report.from} a ${report.to} (semente ${report.seed}); régua: ${report.policy ?? "nenhuma régua ativa"}`,
    "Intervalos de confiança de 95% entre colchetes; os três cenários usam os mesmos devedores sorteados.",
  ];
  for (const arm of report.arms) {
    lines.push(
      `${ARM_NAMES[arm.arm]}: ${arm.invoices} faturas`,
      `  recuperação: ${interval(arm.recoveryRate, percent)} — ${formatBrl(arm.recoveredCents)}`,
      `  dias para pagar (após o vencimento): ${interval(arm.daysToPay, days)}`,
      `  mensagens: ${arm.messages}, custo ${formatBrl(arm.messageCostCents)} (${(arm.costPerRealRecovered * 100).toFixed(2).replace(".", ",")} centavos por real recuperado)`,
    );
    if (arm.upliftVersusNone) {
      const rate = arm.upliftVersusNone.rate;
      const amount = arm.upliftVersusNone.recoveredCentsPerInvoice;
      lines.push(
        `  ganho sobre sem régua: ${percent(rate.difference)} [${percent(rate.low)}; ${percent(rate.high)}] na recuperação; ${formatBrl(Math.round(amount.difference))} por fatura [${formatBrl(Math.round(amount.low))}; ${formatBrl(Math.round(amount.high))}]`,
      );
    }
  }
  if (report.scoreAuc !== null) {
    lines.push(
      `Probabilidade de pagamento no histórico simulado: AUC ${report.scoreAuc.toFixed(3).replace(".", ",")} (0,5 = acaso)`,
    );
  }
  return `${lines.join("\n")}\n`;
}
