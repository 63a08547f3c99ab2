import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { isIsoDate, todayIn } from "../../domain/dates.ts";
import { formatBrl } from "../../domain/money.ts";
import { standingNames } from "../../i18n/pt-BR/standing.ts";
import { previewActions, SKIP_REASONS } from "../../modules/actions/planner.ts";
import { runTenantDay } from "../../modules/daily-run/daily-run.service.ts";
import type { DayReport } from "../../modules/daily-run/daily-run.ts";
import { describeDispatch, dispatchDue } from "../../modules/messages/dispatcher.ts";
import { exportPoliciesYaml, importPoliciesYaml } from "../../modules/policies/policy.service.ts";
import { type SimulatedDay, simulate } from "../../modules/simulation/day-by-day.ts";
import { listTenants, resolveTenant } from "../../modules/tenants/tenant.service.ts";
import { configuredClock } from "../../shared/config.ts";
import { AppError, validationError } from "../../shared/errors.ts";
import { printJson } from "../run.ts";
import { withDatabase } from "../with-database.ts";
import { simulateComparison } from "./simulate.ts";

/** The one word per standing (the catalogue's), in lower case inside a sentence: "em dia → em aviso". */
const STANDING_NAMES: Record<string, string> = Object.fromEntries(
  Object.entries(standingNames).map(([code, name]) => [code, name.toLocaleLowerCase("pt-BR")]),
);

function isoDateOption(value: string, name: string): string {
  if (!isIsoDate(value)) {
    throw validationError(name, `--${name}: data "${value}" inválida; use AAAA-MM-DD (ex.: 2026-12-31)`);
  }
  return value;
}

export function register(program: Command): void {
  program
    .command("run")
    .description(
      "executa a régua de um dia: acordos, recuperação de janelas perdidas, ações do dia e dos dias perdidos, faturas vencidas e situação",
    )
    .option(
      "--date <YYYY-MM-DD>",
      "dia a executar (padrão: hoje no fuso do credor); um dia passado nunca faz a situação voltar atrás",
    )
    .option(
      "--now <instante>",
      "o relógio desta execução, com fuso (ex.: 2026-11-23T10:00:00-03:00); padrão: REGUA_FIXED_TIME, senão o relógio do sistema",
    )
    .option("--tenant <slug>", "credor (padrão: todos)")
    .option("--json", "saída em JSON")
    .action(async (options: { date?: string; now?: string; tenant?: string; json?: boolean }) => {
      const clock = configuredClock({ now: options.now });
      const date = options.date === undefined ? undefined : isoDateOption(options.date, "date");
      await withDatabase(async ({ db }) => {
        const tenants = options.tenant ? [await resolveTenant(db, options.tenant)] : await listTenants(db);
        const reports = [];
        let failures = 0;
        for (const tenant of tenants) {
          const day = date ?? todayIn(tenant.timeZone, clock.now());
          let report: DayReport;
          try {
            report = await runTenantDay(db, tenant, day, clock.now());
          } catch (error) {
            // one tenant's failure is recorded (regua runs) and does not stop the others
            failures += 1;
            const reason = (error as Error).message;
            reports.push({ tenant: tenant.slug, date: day, status: "failed", error: reason });
            if (!options.json) process.stderr.write(`\n${tenant.slug} — ${day}: falhou: ${reason}\n`);
            continue;
          }
          const messages = await dispatchDue(db, { clock, tenantId: tenant.id });
          reports.push({ tenant: tenant.slug, status: "done", ...report, messages });
          if (!options.json) printDay(tenant.slug, report, describeDispatch(messages));
        }
        if (options.json) printJson(reports);
        if (failures > 0) {
          throw new AppError(
            "internal",
            `${failures} credor(es) falharam; veja o motivo em \`regua runs --tenant SLUG\``,
          );
        }
      });
    });

  program
    .command("simulate")
    .description(
      "compara a régua do credor com nenhuma régua e com um só lembrete, nos mesmos devedores sorteados (recuperação, dias para pagar, custo, com intervalos de confiança; não grava nada). Com --replay, executa a régua dia a dia sobre a carteira (grava: use num credor de demonstração)",
    )
    .requiredOption("--from <YYYY-MM-DD>", "primeiro dia")
    .requiredOption("--to <YYYY-MM-DD>", "último dia")
    .option("--tenant <slug>", "credor")
    .option("--seed <n>", "semente do comportamento dos devedores", "1")
    .option("--force", "com --replay, simula mesmo num credor que não é de demonstração")
    .option(
      "--behaviour <arquivo.json>",
      "parâmetros do comportamento dos devedores (padrão: docs/effectiveness.md)",
    )
    .option("--no-score", "não mede a AUC da probabilidade de pagamento no histórico simulado")
    .option("--replay", "executa a régua dia a dia sobre a carteira, gravando (o simulador anterior)")
    .option("--json", "saída em JSON")
    .action(
      async (options: {
        from: string;
        to: string;
        tenant?: string;
        seed: string;
        force?: boolean;
        behaviour?: string;
        score: boolean;
        replay?: boolean;
        json?: boolean;
      }) => {
        const from = isoDateOption(options.from, "from");
        const to = isoDateOption(options.to, "to");
        if (to < from) throw validationError("to", "--to deve ser igual ou posterior a --from");
        const seed = Number(options.seed);
        if (!Number.isInteger(seed)) throw validationError("seed", "--seed deve ser um número inteiro");
        if (!options.replay) return simulateComparison({ ...options, from, to, seed });
        await withDatabase(async ({ db }) => {
          const tenant = await resolveTenant(db, options.tenant);
          if (!tenant.isDemo && !options.force) {
            throw new AppError(
              "validation_failed",
              `o credor ${tenant.slug} não é de demonstração e a simulação grava pagamentos; use --force se é mesmo isso`,
            );
          }
          if (!options.json) process.stdout.write(`${header()}\n`);
          const days = await simulate(db, tenant, from, to, seed, (day) => {
            if (!options.json) process.stdout.write(`${line(day)}\n`);
          });
          if (options.json) printJson({ tenant: tenant.slug, seed, days });
        });
      },
    );

  program
    .command("preview")
    .description("lista as ações datadas que a régua faria para uma fatura ou um cliente, se nada for pago")
    .option("--invoice <id>", "id da fatura")
    .option("--customer <id>", "id do cliente")
    .option("--days <n>", "quantos dias à frente", "60")
    .option("--from <YYYY-MM-DD>", "a partir de (padrão: hoje no fuso do credor)")
    .option("--tenant <slug>", "credor")
    .option("--json", "saída em JSON")
    .action(
      async (options: {
        invoice?: string;
        customer?: string;
        days: string;
        from?: string;
        tenant?: string;
        json?: boolean;
      }) => {
        if (!options.invoice === !options.customer) {
          throw validationError("invoice", "informe --invoice ID ou --customer ID (um dos dois)");
        }
        const days = Number(options.days);
        if (!Number.isInteger(days) || days < 1 || days > 400) {
          throw validationError("days", "--days deve ser um número inteiro de 1 a 400");
        }
        await withDatabase(async ({ db }) => {
          const tenant = await resolveTenant(db, options.tenant);
          const from = options.from
            ? isoDateOption(options.from, "from")
            : todayIn(tenant.timeZone, configuredClock().now());
          const subject = options.invoice
            ? { invoiceId: options.invoice }
            : { customerId: options.customer! };
          const actions = await previewActions(db, tenant, subject, from, days);
          if (options.json) {
            printJson(actions);
            return;
          }
          if (actions.length === 0) process.stdout.write("Nenhuma ação prevista nesse período.\n");
          for (const action of actions) {
            const when = action.scheduledFor.toLocaleString("pt-BR", { timeZone: tenant.timeZone });
            const status = action.skipReason
              ? `pulada: ${SKIP_REASONS[action.skipReason] ?? action.skipReason}`
              : when;
            process.stdout.write(
              `${action.stepName.padEnd(6)} ${action.channel.padEnd(8)} ${action.template.padEnd(24)} fatura ${action.invoiceId}  ${status}\n`,
            );
          }
        });
      },
    );

  const policy = program.command("policy").description("réguas de cobrança (políticas)");
  policy
    .command("import <file>")
    .description(
      "importa réguas de um arquivo YAML (uma régua ou `policies: [...]`); substitui as de mesmo nome",
    )
    .option("--tenant <slug>", "credor")
    .option("--json", "saída em JSON")
    .action(async (file: string, options: { tenant?: string; json?: boolean }) => {
      const text = readFileSync(file, "utf8");
      await withDatabase(async ({ db }) => {
        const tenant = await resolveTenant(db, options.tenant);
        const saved = await importPoliciesYaml(db, tenant.id, text);
        if (options.json) printJson(saved.map((item) => ({ name: item.name, steps: item.steps.length })));
        else
          for (const item of saved)
            process.stdout.write(`Régua "${item.name}" salva com ${item.steps.length} passos.\n`);
      });
    });
  policy
    .command("export [name]")
    .description("exporta as réguas (ou a régua nomeada) em YAML")
    .option("--tenant <slug>", "credor")
    .action(async (name: string | undefined, options: { tenant?: string }) => {
      await withDatabase(async ({ db }) => {
        const tenant = await resolveTenant(db, options.tenant);
        process.stdout.write(await exportPoliciesYaml(db, tenant.id, name));
      });
    });
}

function printDay(slug: string, report: DayReport, dispatch: string): void {
  const write = (line: string) => process.stdout.write(`${line}\n`);
  write(`\n${slug} — ${report.date} (dias planejados: ${report.plan.plannedDays.join(", ")})`);
  if (report.caughtUp.moved + report.caughtUp.skipped > 0) {
    write(
      `  janelas perdidas: ${report.caughtUp.moved} ações para a próxima janela, ${report.caughtUp.skipped} puladas (${SKIP_REASONS.moment_passed})`,
    );
  }
  if (report.plan.counts.length === 0) write("  nenhuma ação nova");
  for (const row of report.plan.counts) {
    const reason = row.skipReason ? ` (${SKIP_REASONS[row.skipReason] ?? row.skipReason})` : "";
    write(`  ${row.channel.padEnd(8)} ${row.status.padEnd(8)} ${String(row.count).padStart(7)}${reason}`);
  }
  write(`  ${dispatch}`);
  if (report.standingDate !== report.date) write(`  situação aplicada para hoje (${report.standingDate})`);
  for (const change of report.standing) {
    write(
      `  situação (${change.subjectKind === "customer" ? "cliente" : "contrato"}): ` +
        `${STANDING_NAMES[change.from]} → ${STANDING_NAMES[change.to]}: ${change.count}`,
    );
  }
}

const CHANNEL_COLUMNS = ["email", "sms", "whatsapp", "letter", "task"] as const;

function header(): string {
  return [
    "dia       ",
    ...CHANNEL_COLUMNS.map((channel) => channel.padStart(8)),
    "puladas".padStart(8),
    "pagtos".padStart(7),
    "vencido".padStart(16),
    "  mudanças de situação",
  ].join(" ");
}

function line(day: SimulatedDay): string {
  const changes = day.standingChanges
    .map((change) => `${STANDING_NAMES[change.from]}→${STANDING_NAMES[change.to]} ${change.count}`)
    .join(", ");
  return [
    day.date,
    ...CHANNEL_COLUMNS.map((channel) => String(day.actionsByChannel[channel] ?? 0).padStart(8)),
    String(day.skipped).padStart(8),
    String(day.payments).padStart(7),
    formatBrl(day.overdueCents).padStart(16),
    `  ${changes || "—"}`,
  ].join(" ");
}
