import cliProgress from "cli-progress";
import type { Command } from "commander";
import { todayIn } from "../../domain/dates.ts";
import { parseBrazilianAmount } from "../../domain/money.ts";
import { importCsvFile } from "../../modules/imports/import.service.ts";
import { IMPORT_KINDS, type ImportKind, type ImportReport } from "../../modules/imports/import.ts";
import { createTenant } from "../../modules/onboarding/onboarding.service.ts";
import { createApiKey, revokeApiKey } from "../../modules/tenants/api-key.service.ts";
import { listTenants, resolveTenant, updateTenantSettings } from "../../modules/tenants/tenant.service.ts";
import type { TUpdateTenantSettings } from "../../modules/tenants/tenant.ts";
import { configuredClock } from "../../shared/config.ts";
import { validationError } from "../../shared/errors.ts";
import { printJson } from "../run.ts";
import { withDatabase } from "../with-database.ts";

const KIND_LABEL: Record<ImportKind, string> = {
  customers: "clientes",
  invoices: "faturas",
  payments: "pagamentos",
};
const MAX_ERRORS_PRINTED = 50;

/** `regua import`, `regua tenant create|list`, `regua apikey create|revoke`. */
export function register(program: Command): void {
  program
    .command("import")
    .description(
      "importa clientes, faturas ou pagamentos de um CSV (UTF-8 ou Windows-1252, separado por vírgula ou ponto e vírgula)",
    )
    .argument("<kind>", "customers | invoices | payments")
    .argument("<file>", "arquivo CSV com cabeçalho")
    .option("--tenant <slug>", "credor (dispensável quando há um só)")
    .option("--dry-run", "valida e mostra o relatório sem gravar nada")
    .option("--json", "relatório em JSON")
    .option(
      "--encoding <charset>",
      "codificação do arquivo: utf-8 ou windows-1252 (latin1); sem ela, detectada",
    )
    .action(
      async (
        kind: string,
        file: string,
        options: { tenant?: string; dryRun?: boolean; json?: boolean; encoding?: string },
      ) => {
        if (!IMPORT_KINDS.includes(kind as ImportKind)) {
          throw validationError("kind", `tipo '${kind}' desconhecido; use customers, invoices ou payments`);
        }
        const report = await withDatabase(async (handle) => {
          const tenant = await resolveTenant(handle.db, options.tenant);
          const bar = process.stderr.isTTY && !options.json ? newProgressBar() : null;
          try {
            const now = configuredClock().now();
            return await importCsvFile(handle.db, tenant, kind as ImportKind, file, {
              today: todayIn(tenant.timeZone, now),
              now,
              dryRun: options.dryRun ?? false,
              encoding: options.encoding,
              onProgress: (done, total) => {
                if (!bar) return;
                if (bar.getTotal() !== total) bar.start(total, 0);
                bar.update(done);
              },
            });
          } finally {
            bar?.stop();
          }
        });
        if (options.json) printJson(report);
        else process.stdout.write(summary(report));
        if (report.failed > 0) process.exitCode = 1;
      },
    );

  const tenant = program.command("tenant").description("credores (empresas que cobram)");
  withSettingsOptions(
    tenant
      .command("create")
      .description(
        "cadastra um credor; razão social, CPF/CNPJ e endereço aparecem em toda mensagem (CDC art. 42-A)",
      )
      .requiredOption("--slug <slug>", "identificador curto, como minha-empresa")
      .requiredOption("--name <legalName>", "razão social")
      .requiredOption("--document <cnpj>", "CNPJ (ou CPF)")
      .requiredOption("--address <address>", "endereço completo"),
  ).action(
    async (options: TenantOptions & { slug: string; name: string; document: string; address: string }) => {
      const created = await withDatabase((handle) =>
        createTenant(handle.db, {
          slug: options.slug,
          legalName: options.name,
          document: options.document,
          address: options.address,
          ...settingsFromOptions(options),
        }),
      );
      if (options.json) printJson(created);
      else process.stdout.write(`Credor criado: ${created.slug} (${created.legalName}), id ${created.id}\n`);
    },
  );
  withSettingsOptions(
    tenant
      .command("update")
      .description("altera os dados e configurações de um credor")
      .option("--tenant <slug>", "credor (dispensável quando há um só)")
      .option("--name <legalName>", "razão social")
      .option("--document <cnpj>", "CNPJ (ou CPF)")
      .option("--address <address>", "endereço completo"),
  ).action(
    async (
      options: TenantOptions & { tenant?: string; name?: string; document?: string; address?: string },
    ) => {
      const updated = await withDatabase(async (handle) => {
        const owner = await resolveTenant(handle.db, options.tenant);
        return updateTenantSettings(handle.db, owner.id, {
          ...(options.name !== undefined ? { legalName: options.name } : {}),
          ...(options.document !== undefined ? { document: options.document } : {}),
          ...(options.address !== undefined ? { address: options.address } : {}),
          ...settingsFromOptions(options),
        });
      });
      if (options.json) printJson(updated);
      else process.stdout.write(`Credor ${updated.slug} atualizado.\n`);
    },
  );
  tenant
    .command("list")
    .description("lista os credores")
    .option("--json", "saída em JSON")
    .action(async (options: { json?: boolean }) => {
      const tenants = await withDatabase((handle) => listTenants(handle.db));
      if (options.json) {
        printJson(tenants);
        return;
      }
      if (tenants.length === 0) process.stdout.write("Nenhum credor cadastrado.\n");
      for (const item of tenants) {
        process.stdout.write(
          `${item.slug}\t${item.legalName}\t${item.document}${item.isDemo ? "\t(demo)" : ""}\n`,
        );
      }
    });

  const apikey = program.command("apikey").description("chaves de API de um credor");
  apikey
    .command("create")
    .description("cria uma chave de API; ela é mostrada uma única vez")
    .option("--tenant <slug>", "credor (dispensável quando há um só)")
    .requiredOption("--name <name>", "nome para reconhecer a chave")
    .option("--scope <scope>", "read ou write", "write")
    .option("--json", "saída em JSON")
    .action(async (options: { tenant?: string; name: string; scope: string; json?: boolean }) => {
      const created = await withDatabase(async (handle) => {
        const owner = await resolveTenant(handle.db, options.tenant);
        return createApiKey(handle.db, owner.id, {
          name: options.name,
          scope: options.scope as "read" | "write",
        });
      });
      if (options.json) {
        printJson({ ...created.apiKey, key: created.plaintext });
        return;
      }
      process.stdout.write(
        `Chave criada (${created.apiKey.scope}), prefixo ${created.apiKey.prefix}:\n${created.plaintext}\n` +
          "Guarde-a agora: ela não será mostrada de novo.\n",
      );
    });
  apikey
    .command("revoke")
    .description("revoga uma chave de API pelo prefixo ou id")
    .argument("<prefixOrId>", "prefixo (ou id) da chave")
    .option("--tenant <slug>", "credor (dispensável quando há um só)")
    .option("--json", "saída em JSON")
    .action(async (prefixOrId: string, options: { tenant?: string; json?: boolean }) => {
      const revoked = await withDatabase(async (handle) => {
        const owner = await resolveTenant(handle.db, options.tenant);
        return revokeApiKey(handle.db, owner.id, prefixOrId);
      });
      if (options.json) printJson(revoked);
      else process.stdout.write(`Chave ${revoked.prefix} revogada.\n`);
    });
}

interface TenantOptions {
  timeZone?: string;
  fine?: string;
  interest?: string;
  boletoBank?: string;
  boletoAgency?: string;
  boletoAccount?: string;
  boletoWallet?: string;
  pixKey?: string;
  pixCity?: string;
  json?: boolean;
}

function withSettingsOptions(command: Command): Command {
  return command
    .option("--time-zone <zone>", "fuso horário IANA (padrão America/Sao_Paulo)")
    .option("--fine <percent>", "multa padrão em % (padrão 2)")
    .option("--interest <percent>", "juros de mora padrão em % ao mês (padrão 1)")
    .option("--boleto-bank <code>", "banco dos boletos gerados (3 dígitos, ex.: 237)")
    .option("--boleto-agency <digits>", "agência (4 dígitos)")
    .option("--boleto-account <digits>", "conta (até 7 dígitos)")
    .option("--boleto-wallet <digits>", "carteira (2 dígitos, padrão 09)")
    .option("--pix-key <key>", "chave Pix dos QR Codes gerados")
    .option("--pix-city <city>", "cidade do recebedor no Pix (até 15 caracteres)")
    .option("--json", "saída em JSON");
}

/** Percentages on the command line ('2', '2,5') become basis points, as stored. */
function settingsFromOptions(options: TenantOptions): TUpdateTenantSettings {
  const bps = (text: string, field: string) => {
    try {
      return parseBrazilianAmount(text);
    } catch (error) {
      throw validationError(field, `--${field}: ${(error as Error).message}`);
    }
  };
  return {
    ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
    ...(options.fine !== undefined ? { defaultFineBps: bps(options.fine, "fine") } : {}),
    ...(options.interest !== undefined
      ? { defaultInterestMonthlyBps: bps(options.interest, "interest") }
      : {}),
    ...(options.boletoBank !== undefined ? { boletoBankCode: options.boletoBank } : {}),
    ...(options.boletoAgency !== undefined ? { boletoAgency: options.boletoAgency } : {}),
    ...(options.boletoAccount !== undefined ? { boletoAccount: options.boletoAccount } : {}),
    ...(options.boletoWallet !== undefined ? { boletoWallet: options.boletoWallet } : {}),
    ...(options.pixKey !== undefined ? { pixKey: options.pixKey } : {}),
    ...(options.pixCity !== undefined ? { pixMerchantCity: options.pixCity } : {}),
  };
}

function newProgressBar(): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "importando [{bar}] {percentage}% | {value}/{total} linhas",
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
}

/** The end-of-import summary: counts, then each row error with its file line and column. */
export function summary(report: ImportReport): string {
  const lines = [
    `${report.dryRun ? "Simulação (nada foi gravado) — " : ""}importação de ${KIND_LABEL[report.kind]}: ` +
      `${report.total} linhas — ${report.inserted} novas, ${report.updated} atualizadas, ` +
      `${report.unchanged} sem mudança, ${report.failed} com erro` +
      (report.unmatched
        ? ` (${report.unmatched} pagamentos sem fatura conhecida, guardados para conciliação)`
        : ""),
  ];
  for (const error of report.errors.slice(0, MAX_ERRORS_PRINTED)) {
    lines.push(
      `  linha ${error.line ?? error.row + 1}${error.column ? ` (${error.column})` : ""}: ${error.message}`,
    );
  }
  if (report.errors.length > MAX_ERRORS_PRINTED) {
    lines.push(
      `  … e mais ${report.errors.length - MAX_ERRORS_PRINTED} erros (use --json para a lista completa)`,
    );
  }
  return `${lines.join("\n")}\n`;
}
