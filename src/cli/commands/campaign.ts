import type { Command } from "commander";
import { formatBrazilianDate } from "../../domain/dates.ts";
import { formatBrl } from "../../domain/money.ts";
import { campaignResults, createCampaign, listCampaigns } from "../../modules/campaigns/campaign.service.ts";
import type { TCreateCampaign } from "../../modules/campaigns/campaign.ts";
import { offerSummary } from "../../modules/campaigns/campaign-message.ts";
import { resolveTenant } from "../../modules/tenants/tenant.service.ts";
import { configuredClock } from "../../shared/config.ts";
import { validationError } from "../../shared/errors.ts";
import { printJson } from "../run.ts";
import { withDatabase } from "../with-database.ts";
import { CLI_ACTOR } from "./agreement.ts";

function integer(value: string | undefined, field: string): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value)) throw validationError(field, `${field}: use um número inteiro`);
  return Number(value);
}

const percent = (ratio: number) => `${(ratio * 100).toLocaleString("pt-BR", { maximumFractionDigits: 1 })}%`;

interface CreateOptions {
  name: string;
  validUntil: string;
  daysFrom: string;
  daysTo?: string;
  amountFrom?: string;
  amountTo?: string;
  bands?: string;
  group?: string;
  installments: string;
  discount: string;
  waiveFine?: boolean;
  waiveInterest?: boolean;
  channels: string;
  holdout: string;
  dryRun?: boolean;
  tenant?: string;
  json?: boolean;
}

/** `regua campaign create|list|results`: campaigns for aged debt (docs/effectiveness.md#campaigns). */
export function register(program: Command): void {
  const campaign = program
    .command("campaign")
    .description("campanhas: acordo pré-aprovado oferecido a dívidas vencidas, medido contra um holdout");

  campaign
    .command("create")
    .description("escolhe as dívidas, confere os termos nos limites de acordo e envia a oferta")
    .requiredOption("--name <nome>", "nome da campanha")
    .requiredOption("--valid-until <AAAA-MM-DD>", "último dia da oferta")
    .option("--days-from <dias>", "dias de atraso, a partir de", "1")
    .option("--days-to <dias>", "dias de atraso, até")
    .option("--amount-from <centavos>", "dívida do cliente (saldo em aberto), a partir de")
    .option("--amount-to <centavos>", "dívida do cliente (saldo em aberto), até")
    .option("--bands <faixas>", "faixas de score separadas por vírgula: low,medium,high")
    .option("--group <id>", "só clientes deste grupo")
    .option("--installments <n>", "0 = à vista; 1 a 48 parcelas", "0")
    .option("--discount <bps>", "desconto no principal em pontos-base (1% = 100)", "0")
    .option("--waive-fine", "dispensa a multa")
    .option("--waive-interest", "dispensa os juros")
    .option("--channels <canais>", "email, sms e/ou whatsapp, separados por vírgula", "email")
    .option("--holdout <percentual>", "grupo de controle, de 0 a 50%", "0")
    .option("--dry-run", "só conta, sem gravar nem enviar")
    .option("--tenant <slug>", "credor (dispensável quando há um só)")
    .option("--json", "saída em JSON")
    .action(async (options: CreateOptions) => {
      const input: TCreateCampaign = {
        name: options.name,
        selection: {
          daysOverdueFrom: integer(options.daysFrom, "days-from") ?? 1,
          daysOverdueTo: integer(options.daysTo, "days-to"),
          amountFromCents: integer(options.amountFrom, "amount-from"),
          amountToCents: integer(options.amountTo, "amount-to"),
          scoreBands: (options.bands?.split(",").filter(Boolean) ?? []) as ("low" | "medium" | "high")[],
          groupId: options.group ?? null,
        },
        offer: {
          installments: integer(options.installments, "installments") ?? 0,
          principalDiscountBps: integer(options.discount, "discount") ?? 0,
          waiveFine: options.waiveFine ?? false,
          waiveInterest: options.waiveInterest ?? false,
        },
        channels: options.channels.split(",").filter(Boolean) as ("email" | "sms" | "whatsapp")[],
        validUntil: options.validUntil,
        holdoutPercent: Number(options.holdout.replace(",", ".")),
        dryRun: options.dryRun ?? false,
      };
      const created = await withDatabase(async (handle) => {
        const tenant = await resolveTenant(handle.db, options.tenant);
        return createCampaign(handle.db, tenant, input, CLI_ACTOR, configuredClock());
      });
      if (options.json) return printJson(created);
      const lines = [
        `${created.eligible} de ${created.matched} clientes elegíveis, dívida de hoje ${formatBrl(created.debtCents)}`,
      ];
      if (created.campaign) {
        lines.unshift(`Campanha ${created.campaign.id}: ${offerSummary(created.campaign.offer)}`);
        lines.push(
          `  oferta: ${created.offered} clientes (${created.actions} envios agendados); holdout: ${created.holdout}`,
        );
      } else lines.push("  nada foi gravado nem enviado (--dry-run)");
      if (created.excluded.length > 0) {
        lines.push(`  ${created.excluded.length} de fora; primeiro motivo: ${created.excluded[0]!.reason}`);
      }
      process.stdout.write(`${lines.join("\n")}\n`);
    });

  campaign
    .command("list")
    .description("as campanhas do credor, mais novas primeiro")
    .option("--tenant <slug>", "credor (dispensável quando há um só)")
    .option("--json", "saída em JSON")
    .action(async (options: { tenant?: string; json?: boolean }) => {
      const campaigns = await withDatabase(async (handle) => {
        const tenant = await resolveTenant(handle.db, options.tenant);
        return listCampaigns(handle.db, tenant.id);
      });
      if (options.json) return printJson({ data: campaigns });
      for (const entry of campaigns) {
        process.stdout.write(
          `${entry.id}  ${entry.name} — ${offerSummary(entry.offer)}, até ${formatBrazilianDate(entry.validUntil)}\n`,
        );
      }
    });

  campaign
    .command("results <id>")
    .description("ofertas, aceites, valor e taxa recuperados e o ganho sobre o holdout (IC 95%)")
    .option("--tenant <slug>", "credor (dispensável quando há um só)")
    .option("--json", "saída em JSON")
    .action(async (id: string, options: { tenant?: string; json?: boolean }) => {
      const results = await withDatabase(async (handle) => {
        const tenant = await resolveTenant(handle.db, options.tenant);
        return campaignResults(handle.db, tenant, id, configuredClock());
      });
      if (options.json) return printJson(results);
      const lines = [`${results.campaign.name}: ${offerSummary(results.campaign.offer)}`];
      for (const arm of results.arms) {
        lines.push(
          `  ${arm.arm === "offer" ? "oferta" : "holdout"}: ${arm.customers} clientes, ${arm.accepted} aceites, ${arm.recovered} pagaram (${percent(arm.recoveryRate)}), recuperado ${formatBrl(arm.recoveredCents)}`,
        );
      }
      const { uplift } = results;
      if (uplift) {
        lines.push(
          `  ganho na taxa: ${(uplift.rate.difference * 100).toFixed(1)} p.p. (IC 95%: ${(uplift.rate.low * 100).toFixed(1)} a ${(uplift.rate.high * 100).toFixed(1)})`,
          `  ${uplift.note}`,
        );
      }
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}
