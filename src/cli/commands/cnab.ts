import { once } from "node:events";
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { formatBrl } from "../../domain/money.ts";
import { createBankAccount, listBankAccounts } from "../../modules/bank-accounts/bank-account.service.ts";
import type { TCreateBankAccount } from "../../modules/bank-accounts/bank-account.ts";
import { importReturnFile, parseCnabLines } from "../../modules/bank-files/bank-file.service.ts";
import { type LineSource, fileLines as streamedLines } from "../../modules/bank-files/line-source.ts";
import { createRemittance } from "../../modules/bank-files/remittance.service.ts";
import { resolveTenant } from "../../modules/tenants/tenant.service.ts";
import { systemClock } from "../../shared/clock.ts";
import { validationError } from "../../shared/errors.ts";
import { printJson } from "../run.ts";
import { withDatabase } from "../with-database.ts";

/** A CNAB file's lines, streamed (line-source.ts); a missing file names the argument. */
function fileLines(path: string): LineSource {
  if (!existsSync(path)) throw validationError("file", `arquivo ${path} não encontrado`);
  return streamedLines(path);
}

/** Writes to stdout, waiting when the pipe is full (memory stays flat for any file size). */
async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, "drain");
}

/** `regua cnab parse|import|remittance` and `regua bank-account create|list` (docs/bank-files.md). */
export function register(program: Command): void {
  const cnab = program.command("cnab").description("arquivos CNAB 240/400 de cobrança (retorno e remessa)");

  cnab
    .command("parse")
    .description("lê um arquivo CNAB sem banco de dados e mostra cada registro no formato canônico")
    .argument("<file>", "arquivo de retorno (ou remessa) CNAB 240 ou 400")
    .option("--json", "saída em JSON: {layout, bank, records, problems}")
    .action(async (file: string, options: { json?: boolean }) => {
      const problems: { line: number; message: string }[] = [];
      let first = true;
      for await (const item of parseCnabLines(fileLines(file))) {
        if (item.type === "problem") {
          problems.push({ line: item.line, message: item.message });
        } else if (item.type === "header") {
          if (options.json)
            await write(
              `{"layout":${JSON.stringify(item.layout)},"bank":${JSON.stringify(item.bank)},"direction":${JSON.stringify(item.direction)},"records":[`,
            );
          else
            await write(
              `${item.layout} · banco ${item.bank} · ${item.direction === "return" ? "retorno" : "remessa"} nº ${item.fileSequence}\n`,
            );
        } else if (item.type === "return") {
          const {
            type: _type,
            reasons: _reasons,
            documentNumber: _doc,
            dueDate: _due,
            payerDocument: _payer,
            ...record
          } = item;
          if (options.json) {
            await write(`${first ? "" : ","}\n${JSON.stringify(record)}`);
            first = false;
          } else {
            await write(
              `linha ${item.line}: nosso número ${item.ourNumber} · ${item.occurrenceCode} ${item.event} · valor ${formatBrl(item.amountCents)}` +
                (item.event === "paid"
                  ? ` · pago ${formatBrl(item.paidCents)} em ${item.occurredOn ?? "?"}, crédito ${item.creditedOn ?? "?"}`
                  : "") +
                (item.reasons ? ` · motivos ${item.reasons}` : "") +
                "\n",
            );
          }
        } else if (item.type === "remittance") {
          const record = {
            line: item.line,
            instruction: item.instruction,
            occurrenceCode: item.movementCode,
            ourNumber: item.values.ourNumber,
          };
          if (options.json) {
            await write(`${first ? "" : ","}\n${JSON.stringify(record)}`);
            first = false;
          } else
            await write(
              `linha ${item.line}: nosso número ${record.ourNumber} · ${item.movementCode} ${item.instruction ?? "outro"}\n`,
            );
        }
      }
      if (options.json) {
        const header =
          problems.length > 0 && problems[0]!.line === 1 && first
            ? `{"layout":null,"bank":null,"records":[`
            : "";
        await write(`${header}\n],"problems":${JSON.stringify(problems)}}\n`);
      } else {
        for (const problem of problems) await write(`linha ${problem.line}: PROBLEMA: ${problem.message}\n`);
      }
      if (problems.length > 0) process.exitCode = 1;
    });

  cnab
    .command("import")
    .description(
      "aplica um arquivo de retorno: quita, marca boletos, manda o que não casa para a conciliação",
    )
    .argument("<file>", "arquivo de retorno CNAB 240 ou 400")
    .option("--tenant <slug>", "credor (dispensável quando há um só)")
    .option("--dry-run", "mostra o que faria sem gravar nada")
    .action(async (file: string, options: { tenant?: string; dryRun?: boolean }) => {
      const source = fileLines(file);
      const report = await withDatabase(async (handle) => {
        const tenant = await resolveTenant(handle.db, options.tenant);
        return importReturnFile(handle.db, tenant, source, {
          dryRun: options.dryRun ?? false,
          clock: systemClock,
        });
      });
      printJson(report);
      if (report.problems.length > 0) process.exitCode = 1;
    });

  cnab
    .command("remittance")
    .description("gera a remessa do dia de uma conta (registros, baixas, vencimentos, protestos) e a imprime")
    .option("--tenant <slug>", "credor (dispensável quando há um só)")
    .requiredOption("--account <id>", "id da conta de cobrança (regua bank-account list)")
    .option("--json", "relatório em JSON (com o arquivo em content)")
    .action(async (options: { tenant?: string; account: string; json?: boolean }) => {
      const report = await withDatabase(async (handle) => {
        const tenant = await resolveTenant(handle.db, options.tenant);
        return createRemittance(handle.db, tenant, options.account, systemClock);
      });
      if (options.json) printJson(report);
      else if (report.fileId === null) process.stderr.write("nada a enviar hoje: nenhuma remessa gerada\n");
      else {
        await write(report.content);
        process.stderr.write(
          `remessa nº ${report.fileSequence} (${report.fileName}): ${report.counts.register} registros, ${report.counts.write_off} baixas, ` +
            `${report.counts.change_due_date} alterações de vencimento, ${report.counts.protest} protestos\n`,
        );
      }
    });

  const account = program.command("bank-account").description("contas de cobrança do credor");
  account
    .command("create")
    .description("cadastra uma conta de cobrança; a primeira passa a emitir os boletos das faturas novas")
    .option("--tenant <slug>", "credor (dispensável quando há um só)")
    .requiredOption("--name <name>", "nome da conta (ex.: Itaú cobrança)")
    .requiredOption("--bank <code>", "banco: 001, 033, 104, 237, 341, 748 ou 756")
    .requiredOption("--agency <digits>", "agência, sem dígito")
    .option("--agency-digit <d>", "dígito da agência", "")
    .requiredOption("--account <digits>", "conta, sem dígito")
    .option("--account-digit <d>", "dígito da conta", "")
    .requiredOption("--wallet <digits>", "carteira")
    .option("--agreement <digits>", "convênio / código do beneficiário", "")
    .option("--station <digits>", "posto (Sicredi)", "")
    .option("--layout <layout>", "cnab240 ou cnab400", "cnab240")
    .option("--default", "passa a emitir os boletos das faturas novas")
    .action(
      async (options: {
        tenant?: string;
        name: string;
        bank: string;
        agency: string;
        agencyDigit: string;
        account: string;
        accountDigit: string;
        wallet: string;
        agreement: string;
        station: string;
        layout: string;
        default?: boolean;
      }) => {
        const created = await withDatabase(async (handle) => {
          const tenant = await resolveTenant(handle.db, options.tenant);
          return createBankAccount(handle.db, tenant.id, {
            name: options.name,
            bankCode: options.bank,
            layout: options.layout,
            agency: options.agency,
            agencyDigit: options.agencyDigit,
            account: options.account,
            accountDigit: options.accountDigit,
            wallet: options.wallet,
            agreementCode: options.agreement,
            station: options.station,
            isDefault: options.default ?? false,
          } as TCreateBankAccount);
        });
        printJson(created);
      },
    );
  account
    .command("list")
    .description("lista as contas de cobrança")
    .option("--tenant <slug>", "credor (dispensável quando há um só)")
    .action(async (options: { tenant?: string }) => {
      const accounts = await withDatabase(async (handle) => {
        const tenant = await resolveTenant(handle.db, options.tenant);
        return listBankAccounts(handle.db, tenant.id);
      });
      printJson(accounts);
    });
}
