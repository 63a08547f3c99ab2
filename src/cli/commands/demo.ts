import type { Command } from "commander";
import { isIsoDate, todayIn } from "../../domain/dates.ts";
import { formatBrl } from "../../domain/money.ts";
import { DEMO_DEFAULT_CUSTOMERS, DEMO_DEFAULT_SEED } from "../../modules/demo/demo.generator.ts";
import { type DemoLoadResult, loadDemo, summarizePortfolio } from "../../modules/demo/demo.service.ts";
import { DEMO_HISTORY_DAYS } from "../../modules/demo/demo-history.ts";
import { configuredClock } from "../../shared/config.ts";
import { validationError } from "../../shared/errors.ts";
import { printJson } from "../run.ts";
import { withDatabase } from "../with-database.ts";

interface DemoCommandOptions {
  customers: string;
  seed: string;
  today?: string;
  historyDays: string;
  json?: boolean;
}

const MAX_CUSTOMERS = 1_000_000;

export function register(program: Command): void {
  program
    .command("demo")
    .description("carrega a carteira de demonstração (credor 'demo', dados fictícios) no banco")
    .option("--customers <n>", "quantos clientes gerar", String(DEMO_DEFAULT_CUSTOMERS))
    .option(
      "--seed <n>",
      "semente do gerador: a mesma semente e data geram os mesmos dados",
      String(DEMO_DEFAULT_SEED),
    )
    .option("--today <data>", "a data de referência (AAAA-MM-DD); padrão: hoje em São Paulo")
    .option(
      "--history-days <n>",
      "dias de régua vividos antes da data (mensagens, cliques, pagamentos, acordos) quando a carga cria o credor; 0 = só a carteira",
      String(DEMO_HISTORY_DAYS),
    )
    .option("--json", "saída em JSON")
    .action(async (options: DemoCommandOptions) => {
      const customers = parseCount(options.customers);
      const seed = parseSeed(options.seed);
      const historyDays = parseHistoryDays(options.historyDays);
      const today = options.today ?? todayIn("America/Sao_Paulo", configuredClock().now());
      if (!isIsoDate(today))
        throw validationError("today", `--today '${today}' inválida; use AAAA-MM-DD, como 2026-11-23`);

      const progress = !options.json && process.stderr.isTTY ? progressLine() : undefined;
      const started = performance.now();
      await withDatabase(async ({ db }) => {
        const result = await loadDemo(db, {
          customers,
          seed,
          today,
          historyDays,
          ...(progress ? { onProgress: progress } : {}),
        });
        if (progress) process.stderr.write("\n");
        const summary = await summarizePortfolio(db, result.tenant, today);
        const seconds = (performance.now() - started) / 1000;
        if (options.json) {
          printJson({
            tenant: {
              slug: result.tenant.slug,
              legalName: result.tenant.legalName,
              created: result.tenantCreated,
            },
            today,
            seed,
            seconds: Number(seconds.toFixed(1)),
            imported: { customers: result.customers, invoices: result.invoices, payments: result.payments },
            errors: result.errors,
            history: result.history,
            summary,
          });
        } else {
          printSummary(result, summary, today, seconds);
        }
        if (result.errors.length > 0) {
          for (const error of result.errors) {
            process.stderr.write(
              `erro: ${error.kind}, bloco ${error.chunk}, linha ${error.row}${error.column ? `, coluna ${error.column}` : ""}: ${error.message}\n`,
            );
          }
          process.exitCode = 1;
        }
      });
    });
}

function parseCount(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > MAX_CUSTOMERS) {
    throw validationError(
      "customers",
      `--customers '${text}' inválido; use um inteiro de 1 a ${MAX_CUSTOMERS.toLocaleString("pt-BR")}`,
    );
  }
  return value;
}

const MAX_HISTORY_DAYS = 90;

function parseHistoryDays(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > MAX_HISTORY_DAYS) {
    throw validationError(
      "historyDays",
      `--history-days '${text}' inválido; use um inteiro de 0 a ${MAX_HISTORY_DAYS}`,
    );
  }
  return value;
}

function parseSeed(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value))
    throw validationError("seed", `--seed '${text}' inválida; use um número inteiro`);
  return value;
}

/** One line rewritten in place on the terminal: customers loaded so far and the rate. */
function progressLine(): (done: number, total: number) => void {
  const started = performance.now();
  return (done, total) => {
    const seconds = (performance.now() - started) / 1000;
    const percent = ((done / total) * 100).toFixed(0);
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    process.stderr.write(
      `\rCarregando a demo: ${count(done)} de ${count(total)} clientes (${percent}%, ${count(rate)} clientes/s)   `,
    );
  };
}

function printSummary(
  result: DemoLoadResult,
  summary: Awaited<ReturnType<typeof summarizePortfolio>>,
  today: string,
  seconds: number,
): void {
  const lines = [
    `Demo carregada em ${seconds.toFixed(1).replace(".", ",")} s no credor "${result.tenant.legalName}" (slug ${result.tenant.slug}${result.tenantCreated ? ", criado agora" : ""}), com data de referência ${today}:`,
    `  clientes:    ${count(summary.customers)} (${count(result.customers.inserted)} novos nesta carga)`,
    `  faturas:     ${count(summary.invoices)} (${count(summary.paidInvoices)} pagas, ${count(summary.openInvoices)} em aberto somando ${formatBrl(summary.openCents)})`,
    `  vencidas:    ${count(summary.overdueInvoices)} faturas, ${formatBrl(summary.overdueCents)} de saldo a receber (sem multa e juros), de ${count(summary.overdueCustomers)} clientes`,
    `  pagamentos:  ${count(summary.payments)} (${formatBrl(summary.paymentsCents)})`,
    ...(result.history
      ? [
          `  histórico:   ${count(result.history.days)} dias de régua: ${count(result.history.messagesSent)} mensagens enviadas (capturadas), ${count(result.history.clicks)} cliques, ${count(result.history.agreements)} acordos`,
        ]
      : []),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

function count(value: number): string {
  return value.toLocaleString("pt-BR");
}
