import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import { addDays, type IsoDate } from "../../domain/dates.ts";
import { AppError } from "../../shared/errors.ts";
import { importRows } from "../imports/import.service.ts";
import type { ImportKind, ImportReport, ImportRowError } from "../imports/import.ts";
import { createTenant } from "../onboarding/onboarding.service.ts";
import { overdueCutoffOf } from "../open-debt/open-debt.service.ts";
import { getTenantBySlug } from "../tenants/tenant.service.ts";
import type { TCreateTenant, Tenant } from "../tenants/tenant.ts";
import {
  type CsvRow,
  DEMO_DEFAULT_CUSTOMERS,
  DEMO_DEFAULT_SEED,
  generateDemoPortfolio,
} from "./demo.generator.ts";
import { analyzePortfolioTables, findPortfolioTotals } from "./demo.repository.ts";
import { type HistoryReport, replayHistory } from "./demo-history.ts";

/**
 * The demo creditor: clearly named as a demonstration, so nobody mistakes its data for a real
 * company's. Its CNPJ is the one documentation examples use; its Pix key is the RFC 4122 example
 * UUID (a random "EVP" key no bank would hand out), so that no demo QR code can move real money.
 */
export const DEMO_TENANT: TCreateTenant = {
  slug: "demo",
  legalName: "Empresa Demonstração Régua Ltda",
  document: "11.222.333/0001-81",
  address: "Av. Paulista, 1000, conj. 101, Bela Vista, São Paulo/SP, 01310-100",
  timeZone: "America/Sao_Paulo",
  defaultFineBps: 200,
  defaultInterestMonthlyBps: 100,
  extraHolidays: [{ date: "01-25", name: "Aniversário de São Paulo", state: "SP", city: "São Paulo" }],
  isDemo: true,
  boletoBankCode: "237",
  boletoAgency: "1234",
  boletoAccount: "1234567",
  boletoWallet: "09",
  pixKey: "123e4567-e89b-42d3-a456-426614174000",
  pixMerchantCity: "SAO PAULO",
};

export interface LoadDemoOptions {
  /** Default 2,000. */
  customers?: number;
  /** Default 2026. */
  seed?: number;
  today: IsoDate;
  /** Customers per chunk (default 5,000). */
  chunkSize?: number;
  /** Called after each chunk with the customers loaded so far. */
  onProgress?: (doneCustomers: number, totalCustomers: number) => void;
  /**
   * Days of régua history lived before `today` (demo-history.ts), when this load creates the demo
   * tenant; default 0 (the portfolio only, as of `today`).
   */
  historyDays?: number;
}

export interface ImportTotals {
  total: number;
  inserted: number;
  updated: number;
  unchanged: number;
  failed: number;
}

export interface DemoLoadResult {
  tenant: Tenant;
  /** Whether the demo tenant was created by this load (false: reused). */
  tenantCreated: boolean;
  customers: ImportTotals;
  invoices: ImportTotals;
  payments: ImportTotals;
  /** The first rejected rows (at most 20), with the customer chunk they came from. */
  errors: (ImportRowError & { kind: ImportKind; chunk: number })[];
  /** The weeks of régua lived before `today`, when there were any. */
  history: HistoryReport | null;
}

const MAX_ERRORS_KEPT = 20;

/**
 * Loads the demo portfolio into the demo tenant (created when missing) through the same CSV import
 * a real creditor uses: customers, then invoices, then payments, one chunk of customers at a time.
 * Loading again with the same seed and day changes nothing (imports upsert by external id). A
 * different seed or day rewrites the same customer ids and adds the invoices the earlier load did
 * not have, so a clean portfolio for another seed starts from an empty database.
 */
export async function loadDemo(db: Kysely<Database>, options: LoadDemoOptions): Promise<DemoLoadResult> {
  const { tenant, created } = await demoTenant(db);
  const total = options.customers ?? DEMO_DEFAULT_CUSTOMERS;
  const result: DemoLoadResult = {
    tenant,
    tenantCreated: created,
    customers: emptyTotals(),
    invoices: emptyTotals(),
    payments: emptyTotals(),
    errors: [],
    history: null,
  };
  // the history is lived once, by the load that creates the tenant: living it again would click twice
  const historyFrom =
    created && (options.historyDays ?? 0) > 0 ? addDays(options.today, -options.historyDays!) : null;
  const laterPayments: CsvRow[] = [];
  const chunks = generateDemoPortfolio({
    customers: total,
    seed: options.seed ?? DEMO_DEFAULT_SEED,
    today: options.today,
    ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
    rates: { fineBps: tenant.defaultFineBps, interestMonthlyBps: tenant.defaultInterestMonthlyBps },
  });
  let chunkNumber = 0;
  for (const chunk of chunks) {
    chunkNumber += 1;
    // Statistics go stale each time the tables double: refresh them before chunks 2, 3, 5, 9, 17…
    if (chunkNumber > 1 && isPowerOfTwo(chunkNumber - 1)) await analyzePortfolioTables(db);
    // payments made during the history are imported on their day, after that day's messages
    const payments = historyFrom
      ? chunk.payments.filter((row) =>
          row.paid_at!.slice(0, 10) < historyFrom ? true : !laterPayments.push(row),
        )
      : chunk.payments;
    for (const [kind, rows] of [
      ["customers", chunk.customers],
      ["invoices", chunk.invoices],
      ["payments", payments],
    ] as const) {
      const report = await importRows(db, tenant, kind, rows, { today: historyFrom ?? options.today });
      addReport(result, report, chunkNumber);
    }
    options.onProgress?.(chunk.firstCustomer + chunk.customers.length, total);
  }
  if (historyFrom) {
    result.history = await replayHistory(db, tenant, {
      from: historyFrom,
      today: options.today,
      payments: laterPayments,
      onImport: (report) => addReport(result, report, chunkNumber),
    });
  }
  return result;
}

/** The demo tenant, created on first use; a non-demo tenant holding the slug is never touched. */
async function demoTenant(db: Kysely<Database>): Promise<{ tenant: Tenant; created: boolean }> {
  try {
    const tenant = await getTenantBySlug(db, DEMO_TENANT.slug);
    if (!tenant.isDemo) {
      throw new AppError(
        "conflict",
        `o credor '${DEMO_TENANT.slug}' já existe e não é de demonstração; a demo não escreve nos dados dele`,
      );
    }
    return { tenant, created: false };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "not_found") throw error;
    return { tenant: await createTenant(db, DEMO_TENANT), created: true };
  }
}

function isPowerOfTwo(n: number): boolean {
  return (n & (n - 1)) === 0;
}

function emptyTotals(): ImportTotals {
  return { total: 0, inserted: 0, updated: 0, unchanged: 0, failed: 0 };
}

function addReport(result: DemoLoadResult, report: ImportReport, chunk: number): void {
  const totals = result[report.kind];
  totals.total += report.total;
  totals.inserted += report.inserted;
  totals.updated += report.updated;
  totals.unchanged += report.unchanged;
  totals.failed += report.failed;
  for (const error of report.errors) {
    if (result.errors.length >= MAX_ERRORS_KEPT) break;
    result.errors.push({ ...error, kind: report.kind, chunk });
  }
}

export interface PortfolioSummary {
  customers: number;
  invoices: number;
  openInvoices: number;
  /** Original amounts of the open invoices (late charges not included). */
  openCents: number;
  overdueInvoices: number;
  /** What the panel shows overdue: balances past the payable day (the open-debt rule). */
  overdueCents: number;
  overdueCustomers: number;
  paidInvoices: number;
  payments: number;
  paymentsCents: number;
}

/**
 * Counts and amounts of a tenant's portfolio as of `today`, for the demo's closing summary; the
 * overdue ones as the panel shows them (the open-debt rule).
 */
export async function summarizePortfolio(
  db: Kysely<Database>,
  tenant: Tenant,
  today: IsoDate,
): Promise<PortfolioSummary> {
  const row = await findPortfolioTotals(db, tenant.id, overdueCutoffOf(tenant, today));
  return {
    customers: row.customers,
    invoices: row.invoices,
    openInvoices: row.open_invoices,
    openCents: row.open_cents,
    overdueInvoices: row.overdue_invoices,
    overdueCents: row.overdue_cents,
    overdueCustomers: row.overdue_customers,
    paidInvoices: row.paid_invoices,
    payments: row.payments,
    paymentsCents: row.payments_cents,
  };
}
