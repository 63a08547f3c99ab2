#!/usr/bin/env node
import { Command } from "commander";
import { register as registerDatabase } from "./commands/database.ts";
import { runCli } from "./run.ts";

/** The `regua` command: one file under commands/ per group of subcommands. */
const program = new Command()
  .name("regua")
  .description("Régua: régua de cobrança automatizada")
  .showHelpAfterError();

// command registrations (one line per commands/ file)
registerDatabase(program);

await runCli(program, process.argv);
