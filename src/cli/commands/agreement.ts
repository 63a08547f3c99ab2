import type { Command } from "commander";
import type { DatabaseHandle } from "../../db/connect.ts";
import { formatBrazilianDate } from "../../domain/dates.ts";
import { formatBrl } from "../../domain/money.ts";
import {
  cancelAgreement,
  getAgreement,
  listAgreements,
  proposeAgreement,
  simulateAgreement,
} from "../../modules/agreements/agreement.service.ts";
import {
  AGREEMENT_STATUS_LABEL,
  type Agreement,
  type AgreementActor,
  type AgreementStatus,
  ZAgreementStatus,
} from "../../modules/agreements/agreement.ts";
import { agreementCalendar } from "../../modules/agreements/calendar.ts";
import { findCustomerByExternalId } from "../../modules/customers/customer.repository.ts";
import { resolveTenant } from "../../modules/tenants/tenant.service.ts";
import type { Tenant } from "../../modules/tenants/tenant.ts";
import { configuredClock, publicUrl } from "../../shared/config.ts";
import { AppError, validationError } from "../../shared/errors.ts";
import { printJson } from "../run.ts";
import { withDatabase } from "../with-database.ts";

/** The command line acts for the creditor with an admin's limits. */
export const CLI_ACTOR: AgreementActor = { kind: "operator", id: "cli", role: "admin" };

async function customerIdOf(handle: DatabaseHandle, tenant: Tenant, externalId: string): Promise<string> {
  const customer = await findCustomerByExternalId(handle.db, tenant.id, externalId);
  if (!customer) throw validationError("customer", `cliente '${externalId}' não encontrado`);
  return customer.id;
}

function describeAgreement(agreement: Agreement): string {
  const lines = [
    // the number is how people say it; the id is what `show` and `cancel` take
    `Acordo nº ${agreement.number} (${agreement.id}) — ${AGREEMENT_STATUS_LABEL[agreement.status]}`,
    `  total ${formatBrl(agreement.totalCents)}, concessões ${formatBrl(agreement.concessionCents)}, pago ${formatBrl(agreement.paidCents)}`,
  ];
  for (const installment of agreement.installments) {
    const label = installment.number === 0 ? "entrada" : `parcela ${installment.number}`;
    lines.push(
      `  ${label}: ${formatBrazilianDate(installment.dueDate)} ${formatBrl(installment.amountCents)} (${installment.status})`,
    );
  }
  if (agreement.endReason) lines.push(`  motivo: ${agreement.endReason}`);
  return `${lines.join("\n")}\n`;
}

function integer(value: string, field: string): number {
  if (!/^\d+$/.test(value)) throw validationError(field, `${field}: use um número inteiro`);
  return Number(value);
}

/** `regua agreement simulate|propose|list|show|cancel`. */
export function register(program: Command): void {
  const agreement = program
    .command("agreement")
    .description("acordos: parcelamento ou quitação de faturas vencidas");

  agreement
    .command("simulate")
    .description("mostra a dívida atualizada de um cliente e as propostas possíveis")
    .requiredOption("--customer <externalId>", "id externo do cliente")
    .option("--tenant <slug>", "credor (dispensável quando há um só)")
    .option("--json", "saída em JSON")
    .action(async (options: { customer: string; tenant?: string; json?: boolean }) => {
      const simulation = await withDatabase(async (handle) => {
        const tenant = await resolveTenant(handle.db, options.tenant);
        const customerId = await customerIdOf(handle, tenant, options.customer);
        return simulateAgreement(handle.db, tenant, { customerId, actor: CLI_ACTOR }, configuredClock());
      });
      if (options.json) return printJson(simulation);
      const lines = [`Dívida atualizada: ${formatBrl(simulation.debt.totalCents)}`];
      for (const option of simulation.options) {
        const count = option.terms.installments;
        lines.push(
          `  ${count === 0 ? "à vista" : `${count}x`}: total ${formatBrl(option.totalCents)}, a primeira ${formatBrl(option.schedule[0]!.amountCents)}`,
        );
      }
      process.stdout.write(`${lines.join("\n")}\n`);
    });

  agreement
    .command("propose")
    .description("propõe um acordo sobre todas as faturas vencidas do cliente")
    .requiredOption("--customer <externalId>", "id externo do cliente")
    .requiredOption("--installments <n>", "0 = à vista; 1 a 48 parcelas")
    .option("--day <dia>", "dia do mês das parcelas (1 a 28)", "10")
    .option("--down <centavos>", "entrada em centavos", "0")
    .option("--discount <bps>", "desconto no principal em pontos-base (1% = 100)", "0")
    .option("--waive-fine", "dispensa a multa")
    .option("--waive-interest", "dispensa os juros")
    .option("--tenant <slug>", "credor (dispensável quando há um só)")
    .option("--json", "saída em JSON")
    .action(
      async (options: {
        customer: string;
        installments: string;
        day: string;
        down: string;
        discount: string;
        waiveFine?: boolean;
        waiveInterest?: boolean;
        tenant?: string;
        json?: boolean;
      }) => {
        const created = await withDatabase(async (handle) => {
          const tenant = await resolveTenant(handle.db, options.tenant);
          const customerId = await customerIdOf(handle, tenant, options.customer);
          const simulation = await simulateAgreement(
            handle.db,
            tenant,
            { customerId, actor: CLI_ACTOR },
            configuredClock(),
          );
          return proposeAgreement(
            handle.db,
            tenant,
            {
              customerId,
              terms: {
                invoiceIds: simulation.debt.invoices.map((invoice) => invoice.invoiceId),
                installments: integer(options.installments, "installments"),
                dayOfMonth: integer(options.day, "dayOfMonth"),
                downPaymentCents: integer(options.down, "downPaymentCents"),
                principalDiscountBps: integer(options.discount, "principalDiscountBps"),
                waiveFine: options.waiveFine ?? false,
                waiveInterest: options.waiveInterest ?? false,
              },
              actor: CLI_ACTOR,
            },
            configuredClock(),
          );
        });
        if (options.json) printJson(created);
        else process.stdout.write(describeAgreement(created));
      },
    );

  agreement
    .command("list")
    .description("lista os acordos, mais novos primeiro")
    .option("--customer <externalId>", "só os deste cliente")
    .option("--status <status>", "proposed, active, completed, lapsed, broken ou cancelled")
    .option("--tenant <slug>", "credor (dispensável quando há um só)")
    .option("--json", "saída em JSON")
    .action(async (options: { customer?: string; status?: string; tenant?: string; json?: boolean }) => {
      const status = options.status ? ZAgreementStatus.safeParse(options.status) : undefined;
      if (status && !status.success)
        throw validationError("status", `status '${options.status}' desconhecido`);
      const agreements = await withDatabase(async (handle) => {
        const tenant = await resolveTenant(handle.db, options.tenant);
        const customerId = options.customer
          ? await customerIdOf(handle, tenant, options.customer)
          : undefined;
        return listAgreements(handle.db, tenant.id, {
          customerId,
          status: status?.data as AgreementStatus | undefined,
          limit: 200,
        });
      });
      if (options.json) return printJson(agreements);
      process.stdout.write(
        agreements.length === 0 ? "Nenhum acordo.\n" : agreements.map(describeAgreement).join(""),
      );
    });

  agreement
    .command("show")
    .description("mostra um acordo; com --ics, o calendário das parcelas (RFC 5545)")
    .argument("<id>", "id do acordo")
    .option("--ics", "imprime o arquivo .ics")
    .option("--tenant <slug>", "credor (dispensável quando há um só)")
    .option("--json", "saída em JSON")
    .action(async (id: string, options: { ics?: boolean; tenant?: string; json?: boolean }) => {
      const { found, tenant } = await withDatabase(async (handle) => {
        const owner = await resolveTenant(handle.db, options.tenant);
        return { found: await getAgreement(handle.db, owner.id, id), tenant: owner };
      });
      if (!found) throw new AppError("not_found", `acordo ${id} não encontrado`);
      if (options.ics) {
        const portal = `${publicUrl()}/portal`;
        process.stdout.write(
          agreementCalendar(
            found,
            { name: tenant.legalName, document: tenant.document },
            { paymentUrl: () => portal },
          ),
        );
      } else if (options.json) printJson(found);
      else process.stdout.write(describeAgreement(found));
    });

  agreement
    .command("cancel")
    .description("cancela um acordo proposto ou ativo; o que foi pago abate a dívida original")
    .argument("<id>", "id do acordo")
    .requiredOption("--reason <motivo>", "motivo do cancelamento")
    .option("--tenant <slug>", "credor (dispensável quando há um só)")
    .option("--json", "saída em JSON")
    .action(async (id: string, options: { reason: string; tenant?: string; json?: boolean }) => {
      const cancelled = await withDatabase(async (handle) => {
        const tenant = await resolveTenant(handle.db, options.tenant);
        if (!(await getAgreement(handle.db, tenant.id, id))) {
          throw new AppError("not_found", `acordo ${id} não encontrado`);
        }
        return cancelAgreement(
          handle.db,
          tenant,
          id,
          { reason: options.reason, actor: CLI_ACTOR },
          configuredClock(),
        );
      });
      if (options.json) printJson(cancelled);
      else process.stdout.write(describeAgreement(cancelled));
    });
}
