#!/usr/bin/env node
import { Command } from "commander";
import { runCli } from "./run.ts";

/** The `regua` command: one file under commands/ per group of subcommands. */
const program = new Command()
  .name("regua")
  .description("Régua: régua de cobrança automatizada")
  .showHelpAfterError();

// command registrations (one line per commands/ file)

await runCli(program, process.argv);
