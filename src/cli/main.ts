#!/usr/bin/env node
import { Command } from "commander";
import { register as registerAgreement } from "./commands/agreement.ts";
import { register as registerBilling } from "./commands/billing.ts";
import { register as registerDatabase } from "./commands/database.ts";
import { register as registerDemo } from "./commands/demo.ts";
import { register as registerEngine } from "./commands/engine.ts";
import { register as registerMessages } from "./commands/messages.ts";
import { register as registerOperator } from "./commands/operator.ts";
import { register as registerRules } from "./commands/rules.ts";
import { register as registerScore } from "./commands/score.ts";
import { runCli } from "./run.ts";

/** The `regua` command: one file under commands/ per group of subcommands. */
const program = new Command()
  .name("regua")
  .description("Régua: régua de cobrança automatizada")
  .showHelpAfterError();

// command registrations (one line per commands/ file)
registerEngine(program);
registerBilling(program);
registerRules(program);
registerDatabase(program);
registerOperator(program);
registerDemo(program);
registerMessages(program);
registerAgreement(program);
registerScore(program);

await runCli(program, process.argv);
