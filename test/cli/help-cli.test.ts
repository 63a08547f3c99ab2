import { execFile } from "node:child_process";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/program.ts";

/** Commander's own English words, which must never reach a user of `regua`. */
const ENGLISH = [
  /\bUsage\b/,
  /\bOptions:/,
  /\bCommands:/,
  /\bArguments:/,
  /display help/,
  /\[options\]/,
  /\[command\]/,
  /\(default:/,
  /\(choices:/,
];

function everyCommand(command: Command): Command[] {
  return [command, ...command.commands.flatMap(everyCommand)];
}

function regua(...args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ["src/cli/main.ts", ...args], (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("regua's help and errors are in Portuguese", () => {
  it("every command's help has pt-BR headings, notes and help option", () => {
    const commands = everyCommand(buildProgram());
    expect(commands.length).toBeGreaterThan(30);
    for (const command of commands) {
      const help = command.helpInformation();
      for (const word of ENGLISH) expect(help, `regua ${command.name()} --help`).not.toMatch(word);
      expect(help).toMatch(/^Uso: /);
      if (command.options.length > 0) expect(help).toContain("Opções:");
    }
  });

  it("a mistyped command or a missing option is explained in Portuguese", async () => {
    const unknown = await regua("tenantt");
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("erro: comando desconhecido 'tenantt'");
    expect(unknown.stderr).toContain("(Você quis dizer tenant?)");

    const missing = await regua("tenant", "create", "--name", "ACME");
    expect(missing.stderr).toContain("erro: a opção obrigatória '--slug <slug>' não foi informada");
    for (const word of ENGLISH) expect(missing.stderr).not.toMatch(word);
  });
});
