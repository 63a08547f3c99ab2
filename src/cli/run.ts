import type { Command } from "commander";
import { AppError } from "../shared/errors.ts";

/**
 * Runs the program and turns errors into a message and exit code 1: an AppError is the user's
 * input or state at fault, printed as is; anything else is a bug, printed with its stack.
 */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof AppError) {
      process.stderr.write(`erro: ${error.message}\n`);
    } else {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    }
    process.exitCode = 1;
  }
}

/** Prints a value as JSON on stdout (the `--json` form of every command). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
