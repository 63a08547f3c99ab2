import type { Executor } from "../../db/database.ts";
import { formatBrazilianDate } from "../../domain/dates.ts";
import { settleInvoice } from "../../domain/late-charges.ts";
import { dashboardReports } from "../../i18n/pt-BR/dashboard-reports.ts";
import { validationError } from "../../shared/errors.ts";
import { refreshAttribution } from "../attribution/attribution.service.ts";
import { SettlementLoader } from "../invoices/invoice.service.ts";
import { type ComposedInvoice, OpenInvoices, overdueCutoffOf } from "../open-debt/open-debt.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { agreementBreakRows } from "./agreement-breaks.sql.ts";
import { type DetailedInvoiceRow, detailedInvoiceRows } from "./detailed.sql.ts";
import { messageCostRows } from "./message-costs.sql.ts";
import { oldestRows } from "./oldest.sql.ts";
import { type RecoveryFigures, recoveryRows } from "./recovery.sql.ts";
import type {
  ColumnType,
  RecoveryDimension,
  ReportColumn,
  ReportFilters,
  ReportName,
  ReportRow,
  ReportTable,
  TReportQuery,
} from "./report.ts";
import { summaryRows } from "./summary.sql.ts";

function column(key: string, type: ColumnType): ReportColumn {
  return { key, label: dashboardReports.columns[key] ?? key, type };
}

const COLUMNS: Record<ReportName, ReportColumn[]> = {
  summary: [
    column("period", "date"),
    column("billedCount", "integer"),
    column("billedCents", "money"),
    column("paidCents", "money"),
    column("recoveredCents", "money"),
    column("overdueCount", "integer"),
    column("overdueCents", "money"),
  ],
  detailed: [
    column("invoice", "text"),
    column("customer", "text"),
    column("description", "text"),
    column("dueDate", "date"),
    column("status", "text"),
    column("asOf", "date"),
    column("principalCents", "money"),
    column("fineCents", "money"),
    column("interestCents", "money"),
    column("discountCents", "money"),
    column("totalCents", "money"),
    column("paidCents", "money"),
    column("balanceCents", "money"),
  ],
  oldest: [
    column("invoice", "text"),
    column("customer", "text"),
    column("description", "text"),
    column("dueDate", "date"),
    column("daysOverdue", "integer"),
    column("aging", "text"),
    column("principalCents", "money"),
    column("outstandingCents", "money"),
  ],
  // the grouping columns come first, as chosen (recoveryColumns)
  recovery: [
    column("messages", "integer"),
    column("clicks", "integer"),
    column("opens", "integer"),
    column("costCents", "money"),
    column("invoices", "integer"),
    column("dueCents", "money"),
    column("payments", "integer"),
    column("recoveredPaymentsCents", "money"),
    column("recoveryRate", "percent"),
    column("medianDaysToPay", "integer"),
    column("costPerRecovered", "percent"),
  ],
  "message-costs": [
    column("period", "date"),
    column("channelLabel", "text"),
    column("providerLabel", "text"),
    column("messages", "integer"),
    column("segments", "integer"),
    column("costCents", "money"),
  ],
  "agreement-breaks": [
    column("period", "date"),
    column("activated", "integer"),
    column("broken", "integer"),
    column("completed", "integer"),
    column("active", "integer"),
    column("breakRate", "percent"),
  ],
};

/** Reports whose rows add up (money and counts); the others' totals would mean nothing. */
const SUMMABLE: ReadonlySet<ReportName> = new Set(["summary", "detailed", "oldest", "message-costs"]);

/** The column that shows each grouping of the recovery report (a label, never a bare code). */
const RECOVERY_GROUP_COLUMNS: Record<RecoveryDimension, string> = {
  segment: "segmentLabel",
  policy: "policyName",
  step: "step",
  channel: "channelLabel",
  band: "bandLabel",
  phase: "phaseLabel",
};

/**
 * The recovery report as a table: one row per group with the codes (`segment`, `policy`, `band`…)
 * for API clients and their pt-BR names beside them; its totals are the statement's own total row
 * (an invoice in two groups counts once there, rates and the median are of everything), not sums.
 */
/** The figures under the report's column names (`recoveredPaymentsCents`, as before the groupings). */
function figures(values: RecoveryFigures): ReportRow {
  const { recoveredCents, ...rest } = values;
  return { ...rest, recoveredPaymentsCents: recoveredCents };
}

async function recoveryTable(
  db: Executor,
  filters: ReportFilters,
  query: TReportQuery,
): Promise<{ columns: ReportColumn[]; rows: ReportRow[]; totals: ReportRow | null }> {
  const { rows, total } = await recoveryRows(db, filters, { days: query.days, groupBy: query.groupBy });
  // grouped by nothing, the total is the one row
  if (query.groupBy.length === 0) return { columns: COLUMNS.recovery, rows: [figures(total)], totals: null };
  const columns = [
    ...query.groupBy.map((dimension) => column(RECOVERY_GROUP_COLUMNS[dimension], "text")),
    ...COLUMNS.recovery,
  ];
  const labelled = rows.map((row): ReportRow => {
    const out: ReportRow = { ...row, ...figures(row) };
    delete out.recoveredCents;
    if (row.segment !== undefined) out.segmentLabel = dashboardReports.segments[row.segment] ?? row.segment;
    if (row.channel !== undefined) out.channelLabel = dashboardReports.channels[row.channel] ?? row.channel;
    if (row.band !== undefined) out.bandLabel = dashboardReports.bands[row.band] ?? row.band;
    if (row.phase !== undefined) out.phaseLabel = dashboardReports.phases[row.phase] ?? row.phase;
    return out;
  });
  const totals: ReportRow = { ...figures(total) };
  for (const entry of columns.slice(0, query.groupBy.length)) totals[entry.key] = null;
  totals[columns[0]!.key] = dashboardReports.total;
  return { columns, rows: labelled, totals };
}

/** The period when the caller gives none: the last twelve months up to today. */
export function defaultPeriod(today: string): { from: string; to: string } {
  const [year, month] = today.split("-").map(Number) as [number, number];
  const start = new Date(Date.UTC(year, month - 12, 1)).toISOString().slice(0, 10);
  return { from: start, to: today };
}

/**
 * Composition of each charge (detailed report): principal, fine and interest charged — of today for
 * an open invoice, as the open-debt read model owes it (an original an agreement in force replaces
 * is shown "em acordo" with nothing owed directly: its installments are rows of their own); of the
 * day of its last payment for a paid one (the legal computation of src/domain/late-charges.ts,
 * payments imputed to interest first, CC art. 354); of the agreement's proposal for a renegotiated
 * one — less discounts; what was paid and what is still owed today.
 */
async function detailedRows(db: Executor, tenant: Tenant, filters: ReportFilters): Promise<ReportRow[]> {
  const invoices = await detailedInvoiceRows(db, filters);
  const loader = new SettlementLoader(tenant);
  const rows: ReportRow[] = [];
  for (let start = 0; start < invoices.length; start += 5000) {
    const chunk = invoices.slice(start, start + 5000);
    const paidIds = chunk.filter((invoice) => invoice.status === "paid").map((invoice) => invoice.id);
    const openIds = chunk.filter((invoice) => invoice.status === "open").map((invoice) => invoice.id);
    const [contexts, open] = await Promise.all([
      loader.load(db, paidIds),
      OpenInvoices.load(db, tenant, openIds),
    ]);
    for (const invoice of chunk) {
      rows.push(
        invoice.status === "renegotiated"
          ? renegotiated(invoice)
          : invoice.status === "open"
            ? openComposition(invoice, open.composedOn(invoice.id, filters.today), filters.today)
            : paidComposition(invoice, contexts.get(invoice.id)?.context),
      );
    }
  }
  return rows;
}

function baseOf(invoice: DetailedInvoiceRow) {
  return {
    invoice: invoice.invoice,
    customer: invoice.customer,
    description: invoice.description,
    dueDate: invoice.dueDate,
    status: dashboardReports.statuses[invoice.status] ?? invoice.status,
    principalCents: invoice.principalCents,
  };
}

function renegotiated(invoice: DetailedInvoiceRow): ReportRow {
  const fine = invoice.agreementFineCents ?? 0;
  const interest = invoice.agreementInterestCents ?? 0;
  const discount = invoice.agreementDiscountCents ?? 0;
  return {
    ...baseOf(invoice),
    asOf: invoice.agreementAsOf,
    fineCents: fine,
    interestCents: interest,
    discountCents: discount,
    totalCents: invoice.principalCents + fine + interest - discount,
    paidCents: invoice.paidCents,
    balanceCents: 0,
  };
}

/** An open invoice today, from its open-debt line (null: nothing left to pay). */
function openComposition(
  invoice: DetailedInvoiceRow,
  line: ComposedInvoice | null,
  today: string,
): ReportRow {
  const fine = line?.fineChargedCents ?? 0;
  const interest = line?.interestChargedCents ?? 0;
  return {
    ...baseOf(invoice),
    ...(line?.coveredBy ? { status: dashboardReports.statuses.covered! } : {}),
    asOf: today,
    fineCents: fine,
    interestCents: interest,
    discountCents: 0,
    totalCents: invoice.principalCents + fine + interest,
    paidCents: line?.paidCents ?? invoice.paidCents,
    balanceCents: line?.owed ? line.totalDueCents : 0,
  };
}

/** A paid invoice as charged on the day of its last payment. */
function paidComposition(
  invoice: DetailedInvoiceRow,
  context: Parameters<typeof settleInvoice>[0] | undefined,
): ReportRow {
  if (!context) throw new Error(`invoice ${invoice.id} has no settlement context`);
  const asOf =
    context.payments.reduce((latest, payment) => (payment.paidOn > latest ? payment.paidOn : latest), "") ||
    invoice.dueDate;
  const settled = settleInvoice(context, asOf);
  const total = invoice.principalCents + settled.fineChargedCents + settled.interestChargedCents;
  const discount = Math.max(0, total - settled.paidCents);
  return {
    ...baseOf(invoice),
    asOf,
    fineCents: settled.fineChargedCents,
    interestCents: settled.interestChargedCents,
    discountCents: discount,
    totalCents: total - discount,
    paidCents: settled.paidCents,
    balanceCents: 0,
  };
}

/**
 * How long a report shown on screen brings its rollup up to date before it reads (the recovery
 * report's attribution, the summary's overdue columns from the panel's sums): the first catch-up
 * after an upgrade computes every customer (minutes on a large portfolio), which a page must not
 * wait for; the worker's tick takes the rest, and the report says how many are pending.
 */
export const REPORT_REFRESH_BUDGET_MS = 2_000;

/**
 * Runs one report for a tenant over the query's period and filters, reading from `db` (the
 * replica, or the primary). `primary` takes the writes a report needs first: the recovery report
 * and the summary bring their rollups up to date there (attribution/attribution.service.ts, the
 * panel's fold) and read them there, within `refreshBudgetMs` (default: until up to date, as a
 * file must be).
 */
export async function runReport(
  db: Executor,
  tenant: Tenant,
  name: ReportName,
  query: TReportQuery,
  today: string,
  primary: Executor = db,
  refreshBudgetMs = Number.POSITIVE_INFINITY,
): Promise<ReportTable> {
  const period = defaultPeriod(today);
  const filters: ReportFilters = {
    tenantId: tenant.id,
    timeZone: tenant.timeZone,
    from: query.from ?? period.from,
    to: query.to ?? period.to,
    today,
    overdueDueOnOrBefore: overdueCutoffOf(tenant, today),
    groupId: query.group ?? null,
    tag: query.tag ?? null,
  };
  // checked after the defaults, so "De" alone past the default "Até" is refused too
  if (filters.from > filters.to)
    throw validationError(
      "from",
      dashboardReports.periodReversed(formatBrazilianDate(filters.from), formatBrazilianDate(filters.to)),
    );
  let rows: ReportRow[];
  let pendingCustomers: number | undefined;
  switch (name) {
    case "summary": {
      const summary = await summaryRows(db, filters, primary, refreshBudgetMs);
      rows = summary.rows as unknown as ReportRow[];
      pendingCustomers = summary.pending;
      break;
    }
    case "detailed":
      rows = await detailedRows(db, tenant, filters);
      break;
    case "oldest":
      rows = (await oldestRows(db, filters)) as unknown as ReportRow[];
      break;
    case "recovery": {
      const refresh = await refreshAttribution(primary, tenant.id, refreshBudgetMs);
      const table = await recoveryTable(db, filters, query);
      const meta = dashboardReports.reports[name]!;
      return {
        name,
        title: meta.title,
        description: meta.description,
        from: filters.from,
        to: filters.to,
        asOf: today,
        ...table,
        pendingCustomers: refresh.pending,
      };
    }
    case "message-costs":
      rows = (await messageCostRows(db, filters)) as unknown as ReportRow[];
      break;
    case "agreement-breaks":
      rows = (await agreementBreakRows(db, filters)) as unknown as ReportRow[];
      break;
  }
  if (name === "message-costs") rows = rows.map(withLabels);
  const columns = COLUMNS[name];
  const meta = dashboardReports.reports[name]!;
  return {
    name,
    title: meta.title,
    description: meta.description,
    from: filters.from,
    to: filters.to,
    asOf: today,
    columns,
    rows,
    totals: SUMMABLE.has(name) ? totalsOf(columns, rows) : null,
    ...(pendingCustomers === undefined ? {} : { pendingCustomers }),
  };
}

/**
 * API clients read `channel` and `provider` as stable codes; people (page, CSV, XLSX — the
 * columns shown) read `channelLabel` and `providerLabel`, their pt-BR names.
 */
function withLabels(row: ReportRow): ReportRow {
  const channel = String(row.channel);
  const labelled: ReportRow = { ...row, channelLabel: dashboardReports.channels[channel] ?? channel };
  if (row.provider === undefined) return labelled;
  const provider = String(row.provider);
  return { ...labelled, providerLabel: dashboardReports.providers[provider] ?? provider };
}

function totalsOf(columns: ReportColumn[], rows: ReportRow[]): ReportRow {
  const totals: ReportRow = {};
  for (const entry of columns) {
    if (entry.type === "money" || (entry.type === "integer" && entry.key !== "daysOverdue")) {
      totals[entry.key] = rows.reduce((sum, row) => sum + Number(row[entry.key] ?? 0), 0);
    } else totals[entry.key] = null;
  }
  const first = columns[0]!;
  totals[first.key] = dashboardReports.total;
  return totals;
}
