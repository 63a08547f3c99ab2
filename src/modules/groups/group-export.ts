import type { Executor } from "../../db/database.ts";
import { formatBrazilianDate, todayIn } from "../../domain/dates.ts";
import { centsToDecimal } from "../../domain/money.ts";
import type { Clock } from "../../shared/clock.ts";
import { notFound } from "../../shared/errors.ts";
import { getOpenDebts } from "../open-debt/open-debt.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { findCurrentMembers, findGroupById } from "./group.repository.ts";
import { listRemovalsDue } from "./group.service.ts";

/**
 * CSV exports for the people who act on a group outside Régua (the agency, the notary, the
 * bureau). The layout Brazilian spreadsheets open as is: UTF-8 with BOM, ';' between fields,
 * decimal comma, dates dd/mm/aaaa, one header line.
 */
function csv(header: string[], rows: (string | number)[][]): string {
  const field = (value: string | number) => {
    const text = String(value);
    return /[";\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `\uFEFF${[header, ...rows].map((row) => row.map(field).join(";")).join("\r\n")}\r\n`;
}

/** 123456 → '1234,56' */
function decimalComma(cents: number): string {
  return centsToDecimal(cents).replace(".", ",");
}

/**
 * One line per overdue invoice each member owes (the open-debt read model), with the amounts of the
 * day: principal still owed, fine and pro rata interest as the debtor would pay them today (CDC
 * art. 52 §1, CC art. 354), and their total. Members with nothing overdue get one line without an
 * invoice.
 */
export async function exportGroupDebts(
  db: Executor,
  tenant: Tenant,
  groupId: string,
  clock: Clock,
): Promise<{ filename: string; csv: string }> {
  const group = await findGroupById(db, tenant.id, groupId);
  if (!group) throw notFound("Grupo", groupId);
  const today = todayIn(tenant.timeZone, clock.now());
  const members = await findCurrentMembers(db, tenant.id, groupId);
  const debts = await getOpenDebts(
    db,
    tenant,
    members.map((member) => member.customer_id),
    today,
  );
  const rows = members.flatMap((member) => {
    const customer = [member.external_id, member.name, member.document];
    // invoices an agreement in force replaced are being paid as agreed: they never go out
    const overdue = debts
      .get(member.customer_id)!
      .invoices.filter((invoice) => invoice.owed && invoice.overdue);
    if (overdue.length === 0) return [[...customer, "", "", "", "", "", "", "", ""]];
    return overdue.map((invoice) => [
      ...customer,
      invoice.externalId,
      invoice.description,
      formatBrazilianDate(invoice.dueDate),
      invoice.daysOverdue,
      decimalComma(invoice.outstandingPrincipalCents),
      decimalComma(invoice.fineCents),
      decimalComma(invoice.interestCents),
      decimalComma(invoice.totalDueCents),
    ]);
  });
  const header = [
    "cliente_id_externo",
    "nome",
    "documento",
    "fatura_id_externo",
    "descricao",
    "vencimento",
    "dias_em_atraso",
    "principal",
    "multa",
    "juros",
    "total",
  ];
  const slug = group.name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return { filename: `grupo-${slug || "sem-nome"}-${today}.csv`, csv: csv(header, rows) };
}

/** The bureau removals still due, with their deadline, for the person who files them. */
export async function exportRemovalsDue(
  db: Executor,
  tenant: Tenant,
  clock: Clock,
): Promise<{ filename: string; csv: string }> {
  const today = todayIn(tenant.timeZone, clock.now());
  const removals = await listRemovalsDue(db, tenant, clock);
  return {
    filename: `baixas-negativacao-${today}.csv`,
    csv: csv(
      [
        "grupo",
        "cliente_id_externo",
        "nome",
        "documento",
        "pago_em",
        "pedir_baixa_ate",
        "dias_uteis_restantes",
      ],
      removals.map((removal) => [
        removal.groupName,
        removal.externalId,
        removal.name,
        removal.document,
        formatBrazilianDate(removal.settledOn),
        formatBrazilianDate(removal.removalDueOn),
        removal.businessDaysLeft,
      ]),
    ),
  };
}
