import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { getPixSettings, updatePixSettings } from "../../modules/pix/pix-settings.service.ts";
import type { TUpdatePixSettings } from "../../modules/pix/pix-settings.ts";
import { syncTenantPix } from "../../modules/pix/pix-sync.service.ts";
import { sweepPix } from "../../modules/pix/pix-webhook.service.ts";
import { resolveTenant } from "../../modules/tenants/tenant.service.ts";
import { systemClock } from "../../shared/clock.ts";
import { validationError } from "../../shared/errors.ts";
import { printJson } from "../run.ts";
import { withDatabase } from "../with-database.ts";

function instant(option: string, text: string | undefined): Date {
  const parsed = text ? new Date(text) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text!)) {
    throw validationError(option, `--${option}: use um instante ISO 8601, como 2026-11-23T00:00:00-03:00`);
  }
  return parsed;
}

interface SettingsOptions {
  tenant?: string;
  baseUrl?: string;
  tokenUrl?: string;
  clientId?: string;
  clientSecretFile?: string;
  cert?: string;
  key?: string;
  ca?: string;
  receiverKey?: string;
  daysValid?: string;
  retryPolicy?: string;
  json?: boolean;
}

/**
 * `regua pix sweep|sync|settings`: subcommands of `regua pix` (which, given a payload, reads a BR
 * Code; see rules.ts). Registered after rules.ts, onto its `pix` command.
 */
export function register(program: Command): void {
  const pix = program.commands.find((command) => command.name() === "pix") ?? program.command("pix");

  pix
    .command("sweep")
    .description(
      "busca no PSP (GET /pix) os Pix recebidos no intervalo e aplica os que não chegaram por webhook",
    )
    .requiredOption("--tenant <slug>", "credor")
    .requiredOption("--from <instante>", "início, ISO 8601 (ex.: 2026-11-23T00:00:00-03:00)")
    .requiredOption("--to <instante>", "fim, ISO 8601")
    .option("--json", "saída em JSON")
    .action(async (options: { tenant: string; from: string; to: string; json?: boolean }) => {
      const range = { from: instant("from", options.from), to: instant("to", options.to) };
      await withDatabase(async ({ db }) => {
        const tenant = await resolveTenant(db, options.tenant);
        const report = await sweepPix(db, tenant, range, systemClock);
        if (options.json) return printJson(report);
        console.log(
          `${report.seen} Pix no PSP entre ${report.from} e ${report.to}: ${report.applied} aplicados agora` +
            (report.unmatched > 0 ? `, ${report.unmatched} sem fatura correspondente (conciliação)` : ""),
        );
      });
    });

  pix
    .command("sync")
    .description("uma passada do Pix do credor: webhooks, cobv novas, remoções, Pix Automático e varredura")
    .requiredOption("--tenant <slug>", "credor")
    .option("--json", "saída em JSON")
    .action(async (options: { tenant: string; json?: boolean }) => {
      await withDatabase(async ({ db }) => {
        const tenant = await resolveTenant(db, options.tenant);
        const report = await syncTenantPix(db, tenant.id, systemClock);
        if (options.json) return printJson(report);
        console.log(
          `cobv criadas: ${report.issued}; removidas: ${report.removed}; Pix Automático agendadas: ` +
            `${report.scheduledRecurring}, canceladas: ${report.cancelledRecurring}; ` +
            `varredura: ${report.sweep ? `${report.sweep.applied} aplicados` : "—"}`,
        );
        for (const error of report.errors) console.error(`erro: ${error}`);
        if (report.errors.length > 0) process.exitCode = 1;
      });
    });

  pix
    .command("settings")
    .description(
      "mostra ou altera o PSP Pix do credor (segredos lidos de arquivos, nunca na linha de comando)",
    )
    .requiredOption("--tenant <slug>", "credor")
    .option("--base-url <url>", "URL base da API Pix do PSP (https://…/api/v2)")
    .option("--token-url <url>", "URL do token OAuth2 do PSP")
    .option("--client-id <id>", "client id")
    .option("--client-secret-file <arquivo>", "arquivo com o client secret")
    .option("--cert <arquivo>", "certificado do cliente (PEM)")
    .option("--key <arquivo>", "chave privada do certificado (PEM, sem senha)")
    .option("--ca <arquivo>", "CA do servidor do PSP (PEM)")
    .option("--receiver-key <chave>", "chave Pix do recebedor")
    .option("--days-valid <dias>", "dias em que a cobrança vale após o vencimento")
    .option("--retry-policy <política>", "Pix Automático: NAO_PERMITE ou PERMITE_3R_7D")
    .option("--json", "saída em JSON")
    .action(async (options: SettingsOptions) => {
      const read = (file: string | undefined) => (file ? readFileSync(file, "utf8") : undefined);
      const changes: Record<string, unknown> = {
        baseUrl: options.baseUrl,
        tokenUrl: options.tokenUrl,
        clientId: options.clientId,
        clientSecret: read(options.clientSecretFile)?.trim(),
        certificatePem: read(options.cert),
        privateKeyPem: read(options.key),
        caPem: read(options.ca),
        receiverKey: options.receiverKey,
        daysValidAfterDue: options.daysValid === undefined ? undefined : Number(options.daysValid),
        recurrenceRetryPolicy: options.retryPolicy,
      };
      for (const [field, value] of Object.entries(changes)) if (value === undefined) delete changes[field];
      await withDatabase(async ({ db }) => {
        const tenant = await resolveTenant(db, options.tenant);
        const settings =
          Object.keys(changes).length === 0
            ? await getPixSettings(db, tenant)
            : await updatePixSettings(db, tenant, changes as TUpdatePixSettings, systemClock.now());
        if (options.json) return printJson(settings);
        console.log(
          [
            `PSP:        ${settings.baseUrl}`,
            `Token:      ${settings.tokenUrl}`,
            `Client id:  ${settings.clientId} (segredo ${settings.clientSecret ?? "—"})`,
            `Certificado: ${settings.certificate?.subject ?? "—"} (válido até ${settings.certificate?.validTo ?? "—"})`,
            `Chave Pix:  ${settings.receiverKey}; vale ${settings.daysValidAfterDue} dias após o vencimento`,
            `Webhook:    ${settings.webhookUrl}`,
          ].join("\n"),
        );
      });
    });
}
