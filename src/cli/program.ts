import { Command } from "commander";
import { register as registerAgreement } from "./commands/agreement.ts";
import { register as registerBilling } from "./commands/billing.ts";
import { register as registerCampaign } from "./commands/campaign.ts";
import { register as registerCnab } from "./commands/cnab.ts";
import { register as registerDailyRun } from "./commands/daily-run.ts";
import { register as registerDatabase } from "./commands/database.ts";
import { register as registerDemo } from "./commands/demo.ts";
import { register as registerEngine } from "./commands/engine.ts";
import { register as registerMessages } from "./commands/messages.ts";
import { register as registerOperator } from "./commands/operator.ts";
import { register as registerPix } from "./commands/pix.ts";
import { register as registerRules } from "./commands/rules.ts";
import { register as registerScore } from "./commands/score.ts";
import { inPortuguese } from "./help.ts";

/** The `regua` command: one file under commands/ per group of subcommands. */
export function buildProgram(): Command {
  const program = inPortuguese(new Command())
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
  registerCampaign(program);
  registerDailyRun(program);
  registerCnab(program);
  registerPix(program); // after registerRules: adds subcommands to `regua pix`
  registerScore(program);
  return program;
}
