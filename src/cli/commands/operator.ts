import { createInterface } from "node:readline";
import type { Command } from "commander";
import { createOperator, listOperators } from "../../modules/operators/operator.service.ts";
import { resolveTenant } from "../../modules/tenants/tenant.service.ts";
import { AppError } from "../../shared/errors.ts";
import { printJson } from "../run.ts";
import { withDatabase } from "../with-database.ts";

/** Reads the whole of stdin (for `--password-stdin`), without the trailing newline. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** Asks for the password on the terminal without echoing it. */
function promptPassword(question: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new AppError(
      "validation_failed",
      "sem terminal para pedir a senha: use --password-stdin",
      "password",
    );
  }
  return new Promise((resolve) => {
    const terminal = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const output = terminal as unknown as { _writeToOutput: (text: string) => void };
    let asked = false;
    output._writeToOutput = (text: string) => {
      if (!asked) {
        asked = true;
        process.stdout.write(text);
      }
    };
    terminal.question(question, (answer) => {
      terminal.close();
      process.stdout.write("\n");
      resolve(answer);
    });
  });
}

export function register(program: Command): void {
  const operator = program.command("operator").description("operadores do painel (equipe de cobrança)");

  operator
    .command("create")
    .description("cria um operador; a senha é pedida no terminal ou lida de --password-stdin")
    .option("--tenant <slug>", "credor (dispensável quando há um só)")
    .requiredOption("--email <email>", "e-mail de login")
    .requiredOption("--role <role>", "admin, analyst ou viewer")
    .option("--name <name>", "nome", "")
    .option("--password-stdin", "lê a senha da entrada padrão")
    .option("--json", "saída em JSON")
    .action(
      async (options: {
        tenant?: string;
        email: string;
        role: string;
        name: string;
        passwordStdin?: boolean;
        json?: boolean;
      }) => {
        const password = options.passwordStdin ? await readStdin() : await promptPassword("Senha: ");
        await withDatabase(async (handle) => {
          const tenant = await resolveTenant(handle.db, options.tenant);
          const created = await createOperator(handle.db, tenant.id, {
            email: options.email,
            name: options.name,
            role: options.role as "admin",
            password,
          });
          if (options.json) printJson(created);
          else
            process.stdout.write(`Operador ${created.email} (${created.role}) criado em ${tenant.slug}.\n`);
        });
      },
    );

  operator
    .command("list")
    .description("lista os operadores de um credor")
    .option("--tenant <slug>", "credor (dispensável quando há um só)")
    .option("--json", "saída em JSON")
    .action(async (options: { tenant?: string; json?: boolean }) => {
      await withDatabase(async (handle) => {
        const tenant = await resolveTenant(handle.db, options.tenant);
        const operators = await listOperators(handle.db, tenant.id);
        if (options.json) printJson(operators);
        else for (const row of operators) process.stdout.write(`${row.email}\t${row.role}\t${row.name}\n`);
      });
    });
}
