import type { Command } from "commander";
import { formatBrazilianDate } from "../../domain/dates.ts";
import { listRuns } from "../../modules/daily-run/daily-run.service.ts";
import { ZRunsQuery } from "../../modules/daily-run/daily-run.ts";
import { resolveTenant } from "../../modules/tenants/tenant.service.ts";
import { validationError } from "../../shared/errors.ts";
import { printJson } from "../run.ts";
import { withDatabase } from "../with-database.ts";

const STATUS_NAMES: Record<string, string> = {
  running: "em andamento",
  done: "concluída",
  failed: "FALHOU",
};

export function register(program: Command): void {
  program
    .command("runs")
    .description("lista as execuções diárias da régua: situação, tentativas e o motivo de cada falha")
    .option("--tenant <slug>", "credor")
    .option("--status <situação>", "só as execuções nesta situação: running, done ou failed")
    .option("--limit <n>", "quantos dias, do mais recente ao mais antigo", "30")
    .option("--json", "saída em JSON")
    .action(async (options: { tenant?: string; status?: string; limit: string; json?: boolean }) => {
      const parsed = ZRunsQuery.safeParse({ status: options.status, limit: options.limit });
      if (!parsed.success) {
        const field = String(parsed.error.issues[0]?.path[0] ?? "status");
        throw validationError(
          field,
          field === "limit"
            ? "--limit deve ser um número inteiro de 1 a 366"
            : "--status deve ser running, done ou failed",
        );
      }
      await withDatabase(async ({ db }) => {
        const tenant = await resolveTenant(db, options.tenant);
        const runs = await listRuns(db, tenant.id, parsed.data);
        if (options.json) {
          printJson({ tenant: tenant.slug, runs });
          return;
        }
        if (runs.length === 0)
          process.stdout.write(`Nenhuma execução diária registrada para ${tenant.slug}.\n`);
        for (const run of runs) {
          const attempts = `${run.attempts} tentativa${run.attempts === 1 ? "" : "s"}`;
          const what = run.summary
            ? `${run.summary.actions} ações, ${run.summary.standingChanges} mudanças de situação, ${run.summary.overdue} vencidas`
            : "";
          process.stdout.write(
            `${formatBrazilianDate(run.date)}  ${STATUS_NAMES[run.status]!.padEnd(12)} ${attempts.padEnd(13)} ${what}\n`,
          );
          if (run.status === "failed" && run.error) process.stdout.write(`    motivo: ${run.error}\n`);
        }
      });
    });
}
