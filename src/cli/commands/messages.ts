import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { todayIn } from "../../domain/dates.ts";
import { formatBrl } from "../../domain/money.ts";
import { BATCH_FILTERS, type BatchFilter, sendBatch } from "../../modules/messages/batch-send.ts";
import { describeDispatch, dispatchDue, recordingFor } from "../../modules/messages/dispatcher.ts";
import { lettersOfDay } from "../../modules/messages/letters.service.ts";
import {
  listTemplates,
  previewTemplate,
  resetTemplate,
  saveTemplate,
} from "../../modules/templates/template.service.ts";
import { TEMPLATE_VARIABLES } from "../../modules/templates/template.ts";
import { resolveTenant } from "../../modules/tenants/tenant.service.ts";
import { configuredClock } from "../../shared/config.ts";
import { validationError } from "../../shared/errors.ts";
import { printJson } from "../run.ts";
import { withDatabase } from "../with-database.ts";

interface TemplateFileOptions {
  subject?: string;
  body?: string;
  whatsappTemplate?: string;
  whatsappLanguage?: string;
  parameter?: string[];
}

function draft(name: string, options: TemplateFileOptions) {
  if (!options.body) throw validationError("body", "informe --body ARQUIVO com o texto do modelo (Liquid)");
  return {
    name,
    subject: options.subject ?? null,
    body: readFileSync(options.body, "utf8"),
    whatsappTemplate: options.whatsappTemplate ?? null,
    whatsappLanguage: options.whatsappLanguage ?? null,
    whatsappParameters: options.parameter ?? [],
  };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `regua templates …`, `regua messages …`, `regua letters`, `regua send`. */
export function register(program: Command): void {
  const templates = program
    .command("templates")
    .description("modelos de mensagem (Liquid) por canal e passo");
  templates
    .command("list")
    .description("lista os modelos do credor (próprios e padrão)")
    .option("--tenant <slug>", "credor")
    .option("--json", "saída em JSON")
    .action(async (options: { tenant?: string; json?: boolean }) => {
      await withDatabase(async ({ db }) => {
        const tenant = await resolveTenant(db, options.tenant);
        const list = await listTemplates(db, tenant.id);
        if (options.json) return printJson(list);
        for (const template of list) {
          process.stdout.write(
            `${template.name.padEnd(26)} ${(template.custom ? "próprio" : "padrão").padEnd(8)} ${template.subject ?? ""}\n`,
          );
        }
      });
    });
  templates
    .command("vars")
    .description("variáveis que um modelo pode usar")
    .action(() => {
      for (const [name, meaning] of Object.entries(TEMPLATE_VARIABLES))
        process.stdout.write(`${name.padEnd(26)} ${meaning}\n`);
    });
  const fileOptions = (command: Command) =>
    command
      .option("--subject <text>", "assunto (e-mail) ou título (carta, tarefa)")
      .option("--body <file>", "arquivo com o corpo do modelo")
      .option("--whatsapp-template <name>", "nome do modelo aprovado pela Meta")
      .option("--whatsapp-language <code>", "idioma do modelo aprovado (ex.: pt_BR)")
      .option("--parameter <liquid>", "parâmetro do modelo do WhatsApp (repita, na ordem)", collect)
      .option("--tenant <slug>", "credor");
  fileOptions(
    templates
      .command("preview <name>")
      .description("mostra o modelo salvo (ou o rascunho de --body) com dados de exemplo")
      .option("--html <file>", "grava o HTML do e-mail neste arquivo")
      .option("--json", "saída em JSON"),
  ).action(
    async (
      name: string,
      options: TemplateFileOptions & { html?: string; json?: boolean; tenant?: string },
    ) => {
      await withDatabase(async ({ db }) => {
        const tenant = await resolveTenant(db, options.tenant);
        const preview = await previewTemplate(db, tenant, options.body ? draft(name, options) : name);
        if (options.html && preview.html) writeFileSync(options.html, preview.html);
        if (options.json) return printJson(preview);
        if (preview.rendered.subject) process.stdout.write(`Assunto: ${preview.rendered.subject}\n\n`);
        process.stdout.write(preview.rendered.text);
        if (preview.rendered.parameters.length > 0) {
          preview.rendered.parameters.forEach((value, index) => {
            process.stdout.write(`{{${index + 1}}} = ${value}\n`);
          });
        }
        if (preview.sms) {
          process.stdout.write(
            `\n(${preview.sms.units} caracteres ${preview.sms.encoding}, ${preview.sms.segments} parte(s); limite ${preview.sms.maxSegments})\n`,
          );
        }
        for (const problem of preview.problems) process.stdout.write(`atenção: ${problem}\n`);
      });
    },
  );
  fileOptions(templates.command("save <name>").description("confere e salva o modelo do credor")).action(
    async (name: string, options: TemplateFileOptions & { tenant?: string }) => {
      await withDatabase(async ({ db }) => {
        const tenant = await resolveTenant(db, options.tenant);
        await saveTemplate(db, tenant, draft(name, options), configuredClock());
        process.stdout.write(`Modelo ${name} salvo.\n`);
      });
    },
  );
  templates
    .command("reset <name>")
    .description("apaga o modelo próprio: volta a valer o padrão")
    .option("--tenant <slug>", "credor")
    .action(async (name: string, options: { tenant?: string }) => {
      await withDatabase(async ({ db }) => {
        const tenant = await resolveTenant(db, options.tenant);
        await resetTemplate(db, tenant.id, name);
        process.stdout.write(`Modelo ${name} volta ao padrão.\n`);
      });
    });

  const messages = program.command("messages").description("mensagens enviadas e a enviar");
  messages
    .command("dispatch")
    .description("envia agora as mensagens devidas (SMTP_URL / EMAIL_FROM para quem não tem SMTP próprio)")
    .option("--tenant <slug>", "credor (padrão: todos)")
    .option("--json", "saída em JSON")
    .action(async (options: { tenant?: string; json?: boolean }) => {
      await withDatabase(async ({ db, kind }) => {
        const tenantId = options.tenant ? (await resolveTenant(db, options.tenant)).id : undefined;
        const report = await dispatchDue(db, {
          clock: configuredClock(),
          ...recordingFor(kind),
          ...(tenantId ? { tenantId } : {}),
        });
        if (options.json) printJson(report);
        else process.stdout.write(`${describeDispatch(report)}\n`);
      });
    });
  messages
    .command("list")
    .description("últimas mensagens com estado, tentativas, custo e motivo")
    .option("--tenant <slug>", "credor")
    .option("--state <state>", "queued, sending, sent, delivered, failed, bounced ou skipped")
    .option("--limit <n>", "quantas", "50")
    .option("--json", "saída em JSON")
    .action(async (options: { tenant?: string; state?: string; limit: string; json?: boolean }) => {
      await withDatabase(async ({ db }) => {
        const tenant = await resolveTenant(db, options.tenant);
        let query = db
          .selectFrom("messages")
          .select([
            "id",
            "channel",
            "template",
            "state",
            "attempts",
            "recipient",
            "provider",
            "cost_cents",
            "reason",
            "updated_at",
          ])
          .where("tenant_id", "=", tenant.id)
          .orderBy("updated_at", "desc")
          .limit(Math.min(Number(options.limit) || 50, 1000));
        if (options.state) query = query.where("state", "=", options.state as never);
        const rows = await query.execute();
        if (options.json) return printJson(rows);
        for (const row of rows) {
          process.stdout.write(
            `${row.updated_at.toISOString()} ${row.channel.padEnd(8)} ${row.state.padEnd(9)} ${String(row.attempts).padStart(2)}x ${(row.recipient ?? "-").padEnd(28)} ${formatBrl(row.cost_cents).padStart(9)} ${row.template}${row.reason ? ` — ${row.reason}` : ""}\n`,
          );
        }
      });
    });
  messages
    .command("captured")
    .description("mensagens guardadas pelo transporte de captura (demonstração, desenvolvimento)")
    .option("--tenant <slug>", "credor")
    .option("--limit <n>", "quantas", "5")
    .action(async (options: { tenant?: string; limit: string }) => {
      await withDatabase(async ({ db }) => {
        const tenant = await resolveTenant(db, options.tenant);
        const rows = await db
          .selectFrom("captured_messages")
          .selectAll()
          .where("tenant_id", "=", tenant.id)
          .orderBy("created_at", "desc")
          .limit(Math.min(Number(options.limit) || 5, 500))
          .execute();
        for (const row of rows) {
          process.stdout.write(
            `── ${row.channel} para ${row.recipient} em ${row.created_at.toISOString()}\n`,
          );
          if (row.subject) process.stdout.write(`Assunto: ${row.subject}\n`);
          process.stdout.write(`${row.text}\n`);
        }
      });
    });

  program
    .command("letters")
    .description("gera o PDF com todas as cartas emitidas num dia, para impressão")
    .option("--date <YYYY-MM-DD>", "dia (padrão: hoje no fuso do credor)")
    .requiredOption("--out <file>", "arquivo PDF a gravar")
    .option("--tenant <slug>", "credor")
    .action(async (options: { date?: string; out: string; tenant?: string }) => {
      await withDatabase(async ({ db }) => {
        const tenant = await resolveTenant(db, options.tenant);
        const date = options.date ?? todayIn(tenant.timeZone, configuredClock().now());
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw validationError("date", "--date: use AAAA-MM-DD");
        const { count, pdf } = await lettersOfDay(db, tenant, date);
        writeFileSync(options.out, pdf);
        process.stdout.write(`${count} carta(s) de ${date} em ${options.out}\n`);
      });
    });

  program
    .command("send")
    .description("envia agora um modelo a um conjunto de clientes (use --dry-run para só contar)")
    .requiredOption("--template <name>", "modelo (ex.: email.d+6)")
    .requiredOption("--filter <filter>", `quais faturas: ${Object.keys(BATCH_FILTERS).join(", ")}`)
    .option("--tag <tag>", "só clientes com esta etiqueta")
    .option("--dry-run", "só conta quem receberia")
    .option("--tenant <slug>", "credor")
    .option("--json", "saída em JSON")
    .action(
      async (options: {
        template: string;
        filter: string;
        tag?: string;
        dryRun?: boolean;
        tenant?: string;
        json?: boolean;
      }) => {
        await withDatabase(async ({ db, kind }) => {
          const tenant = await resolveTenant(db, options.tenant);
          const result = await sendBatch(
            db,
            tenant,
            {
              template: options.template,
              filter: options.filter as BatchFilter,
              tag: options.tag ?? null,
              dryRun: Boolean(options.dryRun),
            },
            configuredClock(),
          );
          const report = options.dryRun
            ? null
            : await dispatchDue(db, {
                clock: configuredClock(),
                tenantId: tenant.id,
                ...recordingFor(kind),
              });
          if (options.json) return printJson({ ...result, dispatch: report });
          const what = `${BATCH_FILTERS[result.filter]}${result.tag ? ` com a etiqueta ${result.tag}` : ""}`;
          process.stdout.write(
            `${options.dryRun ? "Simulação" : "Envio"} de ${result.template} para clientes com ${what}: ` +
              `${result.customers} cliente(s), ${result.invoices} fatura(s), ${formatBrl(result.totalCents)}; ` +
              `${result.reachable} com contato utilizável neste canal.\n`,
          );
          if (report)
            process.stdout.write(
              `${describeDispatch(report)} (o restante sai na próxima janela de contato)\n`,
            );
        });
      },
    );
}
