import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { parseBrazilianDate } from "../../domain/dates.ts";
import { parseBrazilianAmount } from "../../domain/money.ts";
import { importRowsTotal } from "../../observability/metrics.ts";
import { validationError } from "../../shared/errors.ts";
import { listIssues } from "../../shared/validation.ts";
import { type BoletoIssuer, boletoIssuerOf, boletoIssuerOfAccount } from "../bank-accounts/boleto-issuer.ts";
import { customerColumns } from "../customers/customer.service.ts";
import { ZCreateCustomer } from "../customers/customer.ts";
import { BOLETO_MAX_CENTS } from "../invoices/invoice.service.ts";
import type { InvoiceStatus } from "../invoices/invoice.table.ts";
import { canTransition, INVOICE_STATUS_LABEL, transitionError, ZCreateInvoice } from "../invoices/invoice.ts";
import {
  boletoNeedsOurNumber,
  checkGivenBoleto,
  checkGivenPix,
  invoiceBoleto,
} from "../invoices/payment-documents.ts";
import { linkUnmatchedPayments } from "../payments/payment.repository.ts";
import type { PaymentRow } from "../payments/payment.table.ts";
import { futurePaymentProblem, ZRecordPayment } from "../payments/payment.ts";
import { applyPaymentEffects, type RecordedPayment } from "../payments/payment-effects.service.ts";
import { reserveOurNumbers } from "../tenants/tenant.repository.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { readCsvFile } from "./csv.ts";
import {
  type ContactImportRow,
  type CustomerImportRow,
  type ExistingInvoice,
  findIdsByExternalId,
  findInvoicesByExternalId,
  findPaymentsByExternalId,
  type InvoiceImportRow,
  type PaymentImportRow,
  syncContacts,
  upsertCustomers,
  upsertInvoices,
  writePayments,
} from "./import.repository.ts";
import {
  IMPORT_CHUNK_SIZE,
  type ImportKind,
  type ImportOptions,
  type ImportReport,
  type ImportRowError,
  parsePaidAt,
  parseYesNo,
  REQUIRED_COLUMNS,
} from "./import.ts";

type Row = Record<string, string>;

/** Collects the report while an import runs. */
class ImportRun {
  readonly report: ImportReport;
  private readonly failedRows = new Set<number>();
  private readonly seen = new Set<string>();
  constructor(kind: ImportKind, total: number) {
    this.report = { kind, total, inserted: 0, updated: 0, unchanged: 0, failed: 0, errors: [] };
  }
  fail(row: number, column: string | null, message: string): void {
    const key = `${row}|${column}|${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.report.errors.push({ row, column, message });
    this.failedRows.add(row);
  }
  hasFailed(row: number): boolean {
    return this.failedRows.has(row);
  }
  finish(): ImportReport {
    this.report.failed = this.failedRows.size;
    this.report.errors.sort((a, b) => a.row - b.row);
    return this.report;
  }
}

/** Thrown inside the transaction of a dry run so that everything it wrote is rolled back. */
class DryRunRollback extends Error {}

/**
 * Imports rows of one kind into a tenant (see docs in import.ts). Everything runs in one
 * transaction: rows are validated in TypeScript, then written a chunk at a time with one statement
 * per table; with `dryRun` the same work is done and rolled back, so the report (inserted, updated,
 * unchanged, errors) is exactly what a real run would give.
 */
export async function importRows(
  db: Kysely<Database>,
  tenant: Tenant,
  kind: ImportKind,
  rows: Record<string, string>[],
  options: ImportOptions,
): Promise<ImportReport> {
  const normalized = rows.map(normalizeRow);
  checkColumns(kind, normalized[0]);
  const run = new ImportRun(kind, normalized.length);
  flagDuplicateIds(normalized, run);
  const work = async (trx: Executor) => {
    if (kind === "customers") await importCustomers(trx, tenant, normalized, run, options);
    else if (kind === "invoices") await importInvoices(trx, tenant, normalized, run, options);
    else await importPayments(trx, tenant, normalized, run, options);
  };
  if (options.dryRun) {
    try {
      await db.transaction().execute(async (trx) => {
        await work(trx);
        throw new DryRunRollback();
      });
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
    }
    run.report.dryRun = true;
  } else {
    await db.transaction().execute(work);
  }
  const report = run.finish();
  if (!report.dryRun) {
    importRowsTotal.inc({ kind, result: "imported" }, report.inserted + report.updated + report.unchanged);
    importRowsTotal.inc({ kind, result: "rejected" }, report.failed);
  }
  return report;
}

/**
 * Reads a CSV file (UTF-8 or Windows-1252, ',' or ';') and imports it; rows with the wrong field
 * count are row errors, and every error names the file line it is on.
 */
export async function importCsvFile(
  db: Kysely<Database>,
  tenant: Tenant,
  kind: ImportKind,
  path: string,
  options: ImportOptions,
): Promise<ImportReport> {
  const parsed = readCsvFile(path, options.encoding);
  checkColumns(kind, Object.fromEntries(parsed.header.map((name) => [name, ""])));
  const malformed = new Set(parsed.malformed.map((problem) => problem.row));
  // Malformed rows are left out of the import and reported with their original row numbers.
  const keep = parsed.rows.map((row, index) => (malformed.has(index + 1) ? blankRow(row) : row));
  const report = await importRows(db, tenant, kind, keep, options);
  const extra: ImportRowError[] = parsed.malformed.map((problem) => ({
    row: problem.row,
    column: null,
    message: problem.message,
  }));
  report.errors = [...report.errors.filter((error) => !malformed.has(error.row)), ...extra].sort(
    (a, b) => a.row - b.row,
  );
  report.failed = new Set(report.errors.map((error) => error.row)).size;
  for (const error of report.errors) error.line = parsed.lines[error.row - 1] ?? error.row + 1;
  return report;
}

/** A malformed row is replaced by an empty one, which fails validation and so is never written. */
function blankRow(row: Row): Row {
  return Object.fromEntries(Object.keys(row).map((key) => [key, ""]));
}

function normalizeRow(row: Row): Row {
  const result: Row = {};
  for (const [key, value] of Object.entries(row)) result[key.trim().toLowerCase()] = (value ?? "").trim();
  return result;
}

function checkColumns(kind: ImportKind, first: Row | undefined): void {
  if (!first) return;
  const missing = REQUIRED_COLUMNS[kind].filter((column) => !(column in first));
  if (missing.length > 0) {
    throw validationError(
      "cabeçalho",
      `faltam colunas obrigatórias no arquivo de ${kind}: ${missing.join(", ")} (o cabeçalho tem: ${Object.keys(first).join(", ")})`,
    );
  }
}

/** Two rows with one external id cannot both be right: every occurrence is an error, none is written. */
function flagDuplicateIds(rows: Row[], run: ImportRun): void {
  const seen = new Map<string, number[]>();
  rows.forEach((row, index) => {
    const id = row.external_id ?? "";
    if (id === "") return;
    const list = seen.get(id);
    if (list) list.push(index + 1);
    else seen.set(id, [index + 1]);
  });
  for (const [id, rowNumbers] of seen) {
    if (rowNumbers.length < 2) continue;
    const lines = rowNumbers.map((row) => row + 1).join(", ");
    for (const row of rowNumbers) {
      run.fail(row, "external_id", `external_id '${id}' repetido no arquivo (linhas ${lines}); deixe um só`);
    }
  }
}

function reportProgress(options: ImportOptions, done: number, total: number): void {
  options.onProgress?.(Math.min(done, total), total);
}

function optional(text: string | undefined): string | null {
  return text === undefined || text === "" ? null : text;
}

/** Runs `parse` on a cell and records its error message against the column; undefined on failure. */
function cell<T>(run: ImportRun, row: number, column: string, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    run.fail(row, column, (error as Error).message);
    return undefined;
  }
}

function failIssues(
  run: ImportRun,
  row: number,
  issues: { field: string; message: string }[],
  columnOf: (field: string) => string | null,
): void {
  for (const issue of issues) run.fail(row, columnOf(issue.field), issue.message);
}

const CUSTOMER_KIND_ALIASES: Record<string, string> = {
  pf: "person",
  pessoa: "person",
  "pessoa física": "person",
  pj: "company",
  empresa: "company",
  "pessoa jurídica": "company",
};

function customerKindOf(text: string | undefined): string | undefined {
  const value = (text ?? "").trim().toLowerCase();
  if (value === "") return undefined;
  return CUSTOMER_KIND_ALIASES[value] ?? value;
}

// ─── customers ──────────────────────────────────────────────────────────────────────────────────

const CUSTOMER_COLUMNS: Record<string, string> = {
  externalId: "external_id",
  name: "name",
  document: "document",
  kind: "kind",
  "address.street": "street",
  "address.number": "number",
  "address.district": "district",
  "address.city": "city",
  "address.state": "state",
  "address.postalCode": "postal_code",
  tags: "tags",
};

async function importCustomers(
  trx: Executor,
  tenant: Tenant,
  rows: Row[],
  run: ImportRun,
  options: ImportOptions,
): Promise<void> {
  for (let start = 0; start < rows.length; start += IMPORT_CHUNK_SIZE) {
    const customers: CustomerImportRow[] = [];
    const contacts: ContactImportRow[] = [];
    const end = Math.min(start + IMPORT_CHUNK_SIZE, rows.length);
    for (let index = start; index < end; index += 1) {
      const rowNumber = index + 1;
      if (run.hasFailed(rowNumber)) continue;
      const row = rows[index]!;
      const contactColumns: string[] = [];
      const contactInputs: { channel: "email" | "sms" | "whatsapp"; value: string; consent?: boolean }[] = [];
      if (row.email) {
        contactInputs.push({ channel: "email", value: row.email });
        contactColumns.push("email");
      }
      if (row.mobile) {
        contactInputs.push({ channel: "sms", value: row.mobile });
        contactColumns.push("mobile");
      }
      const whatsapp = parseYesNo(row.whatsapp, false);
      if (whatsapp === null) {
        run.fail(rowNumber, "whatsapp", `valor '${row.whatsapp}' não reconhecido; use sim ou não`);
      } else if (whatsapp && !row.mobile) {
        run.fail(rowNumber, "whatsapp", "WhatsApp marcado, mas sem celular; preencha a coluna mobile");
      } else if (whatsapp) {
        // The file's "sim" is the debtor's opt-in to WhatsApp, recorded as consent.
        contactInputs.push({ channel: "whatsapp", value: row.mobile!, consent: true });
        contactColumns.push("mobile");
      }
      const result = listIssues(ZCreateCustomer, {
        externalId: row.external_id ?? "",
        name: row.name ?? "",
        document: row.document ?? "",
        kind: customerKindOf(row.kind),
        address: {
          street: optional(row.street),
          number: optional(row.number),
          district: optional(row.district),
          city: optional(row.city),
          state: optional(row.state),
          postalCode: optional(row.postal_code),
        },
        contacts: contactInputs,
        tags: (row.tags ?? "")
          .split("|")
          .map((tag) => tag.trim())
          .filter((tag) => tag !== ""),
      });
      if (!result.ok) {
        failIssues(run, rowNumber, result.issues, (field) => {
          const contact = /^contacts\.(\d+)/.exec(field);
          if (contact) return contactColumns[Number(contact[1])] ?? null;
          return CUSTOMER_COLUMNS[field] ?? CUSTOMER_COLUMNS[field.split(".")[0]!] ?? null;
        });
        continue;
      }
      if (run.hasFailed(rowNumber)) continue;
      const columns = customerColumns(tenant, result.value);
      customers.push({
        externalId: columns.external_id,
        name: columns.name,
        document: columns.document,
        kind: columns.kind,
        street: columns.address_street ?? null,
        number: columns.address_number ?? null,
        district: columns.address_district ?? null,
        city: columns.address_city ?? null,
        state: columns.address_state ?? null,
        postalCode: columns.address_postal_code ?? null,
        timeZone: columns.time_zone ?? tenant.timeZone,
        tags: result.value.tags.join("|"),
      });
      const seen = new Set<string>();
      for (const contact of result.value.contacts) {
        const key = `${contact.channel}:${contact.value}`;
        if (seen.has(key)) continue;
        seen.add(key);
        contacts.push({
          customerExternalId: result.value.externalId,
          channel: contact.channel,
          value: contact.value,
          consent: contact.consent ?? false,
        });
      }
    }
    const written = await upsertCustomers(trx, tenant.id, customers);
    const contactsChanged = await syncContacts(trx, tenant.id, contacts, importInstant(options));
    const inserted = new Set(written.filter((row) => row.inserted).map((row) => row.external_id));
    const updated = new Set(written.filter((row) => !row.inserted).map((row) => row.external_id));
    for (const id of contactsChanged) if (!inserted.has(id)) updated.add(id);
    run.report.inserted += inserted.size;
    run.report.updated += updated.size;
    run.report.unchanged += customers.length - inserted.size - updated.size;
    reportProgress(options, end, rows.length);
  }
}

// ─── invoices ───────────────────────────────────────────────────────────────────────────────────

const INVOICE_COLUMNS: Record<string, string> = {
  externalId: "external_id",
  customerExternalId: "customer_external_id",
  customerId: "customer_external_id",
  description: "description",
  amountCents: "amount",
  issueDate: "issue_date",
  dueDate: "due_date",
  consumer: "consumer",
  fineBps: "fine_percent",
  interestMonthlyBps: "interest_percent",
  typeableLine: "typeable_line",
  pixPayload: "pix_payload",
  status: "status",
};

const INVOICE_STATUS_ALIASES: Record<string, "open" | "cancelled"> = {
  "": "open",
  open: "open",
  aberta: "open",
  aberto: "open",
  cancelled: "cancelled",
  canceled: "cancelled",
  cancelada: "cancelled",
  cancelado: "cancelled",
};

interface InvoiceCandidate {
  rowNumber: number;
  externalId: string;
  customerExternalId: string;
  description: string;
  amountCents: number;
  issueDate: string;
  dueDate: string;
  consumer: boolean;
  fineBps: number | null;
  interestMonthlyBps: number | null;
  status: "open" | "cancelled";
  givenBoleto: { typeableLine: string; barcode: string } | null;
  givenPix: string | null;
}

/** A percent such as '2', '2,5' or '0.33' in basis points (2% = 200); empty means "inherit". */
function percentToBps(text: string | undefined): number | null {
  if (!text) return null;
  return parseBrazilianAmount(text.replace(/%$/, "").trim());
}

function validateInvoiceRow(
  row: Row,
  rowNumber: number,
  run: ImportRun,
  options: ImportOptions,
): InvoiceCandidate | null {
  const amount = cell(run, rowNumber, "amount", () => parseBrazilianAmount(row.amount ?? ""));
  const dueDate = cell(run, rowNumber, "due_date", () => parseBrazilianDate(row.due_date ?? ""));
  const issueDate = row.issue_date
    ? cell(run, rowNumber, "issue_date", () => parseBrazilianDate(row.issue_date!))
    : // No issue date: the import day, or the due date when that is earlier.
      dueDate && dueDate < options.today
      ? dueDate
      : options.today;
  const fineBps = cell(run, rowNumber, "fine_percent", () => percentToBps(row.fine_percent));
  const interestBps = cell(run, rowNumber, "interest_percent", () => percentToBps(row.interest_percent));
  const consumer = parseYesNo(row.consumer, true);
  if (consumer === null)
    run.fail(rowNumber, "consumer", `valor '${row.consumer}' não reconhecido; use sim ou não`);
  const status = INVOICE_STATUS_ALIASES[(row.status ?? "").toLowerCase()];
  if (!status)
    run.fail(rowNumber, "status", `status '${row.status}' não aceito na importação; use open ou cancelled`);
  if (run.hasFailed(rowNumber)) return null;
  const result = listIssues(ZCreateInvoice, {
    externalId: row.external_id ?? "",
    customerExternalId: row.customer_external_id ?? "",
    description: row.description ?? "",
    amountCents: amount,
    issueDate,
    dueDate,
    consumer,
    fineBps,
    interestMonthlyBps: interestBps,
    status,
  });
  if (!result.ok) {
    failIssues(run, rowNumber, result.issues, (field) => INVOICE_COLUMNS[field] ?? null);
    return null;
  }
  const data = result.value;
  let givenBoleto: InvoiceCandidate["givenBoleto"] = null;
  if (row.typeable_line) {
    const checked = checkGivenBoleto(row.typeable_line, data, options.today);
    if ("error" in checked) run.fail(rowNumber, "typeable_line", checked.error);
    else givenBoleto = checked;
  }
  let givenPix: string | null = null;
  if (row.pix_payload) {
    const checked = checkGivenPix(row.pix_payload, data);
    if ("error" in checked) run.fail(rowNumber, "pix_payload", checked.error);
    else givenPix = checked.pixPayload;
  }
  if (run.hasFailed(rowNumber)) return null;
  return {
    rowNumber,
    externalId: data.externalId,
    customerExternalId: data.customerExternalId!,
    description: data.description,
    amountCents: data.amountCents,
    issueDate: data.issueDate,
    dueDate: data.dueDate,
    consumer: data.consumer ?? true,
    fineBps: data.fineBps ?? null,
    interestMonthlyBps: data.interestMonthlyBps ?? null,
    status: data.status,
    givenBoleto,
    givenPix,
  };
}

/** Fields that may no longer change once an invoice has payments or left the open status. */
const SETTLED_FIELDS: { key: keyof InvoiceImportRow; column: string; label: string }[] = [
  { key: "customer_id", column: "customer_external_id", label: "o cliente" },
  { key: "amount_cents", column: "amount", label: "o valor" },
  { key: "issue_date", column: "issue_date", label: "a emissão" },
  { key: "due_date", column: "due_date", label: "o vencimento" },
  { key: "consumer", column: "consumer", label: "se é consumidor" },
  { key: "fine_bps", column: "fine_percent", label: "a multa" },
  { key: "interest_monthly_bps", column: "interest_percent", label: "os juros" },
];

const INVOICE_ROW_KEYS: (keyof InvoiceImportRow)[] = [
  "external_id",
  "customer_id",
  "description",
  "amount_cents",
  "issue_date",
  "due_date",
  "status",
  "consumer",
  "fine_bps",
  "interest_monthly_bps",
  "typeable_line",
  "barcode",
  "pix_payload",
  "our_number",
  "bank_account_id",
  "bank_our_number",
];

function sameInvoice(a: InvoiceImportRow, b: InvoiceImportRow): boolean {
  return INVOICE_ROW_KEYS.every((key) => a[key] === b[key]);
}

async function importInvoices(
  trx: Executor,
  tenant: Tenant,
  rows: Row[],
  run: ImportRun,
  options: ImportOptions,
): Promise<void> {
  // new invoices take the boleto POST /v1/invoices gives them: the default bank account's, else the
  // older settings'; an invoice already issued by an account is built again by that account's rules
  const issuer = await boletoIssuerOf(trx, tenant.id);
  const issuers = new Map<string, Promise<BoletoIssuer>>();
  const issuerOfAccount = (accountId: string) => {
    let found = issuers.get(accountId);
    if (!found) {
      found = boletoIssuerOfAccount(trx, tenant.id, accountId);
      issuers.set(accountId, found);
    }
    return found;
  };
  for (let start = 0; start < rows.length; start += IMPORT_CHUNK_SIZE) {
    const end = Math.min(start + IMPORT_CHUNK_SIZE, rows.length);
    const candidates: InvoiceCandidate[] = [];
    for (let index = start; index < end; index += 1) {
      if (run.hasFailed(index + 1)) continue;
      const candidate = validateInvoiceRow(rows[index]!, index + 1, run, options);
      if (candidate) candidates.push(candidate);
    }
    const customerIds = await findIdsByExternalId(trx, "customers", tenant.id, [
      ...new Set(candidates.map((candidate) => candidate.customerExternalId)),
    ]);
    const existing = await findInvoicesByExternalId(
      trx,
      tenant.id,
      candidates.map((candidate) => candidate.externalId),
    );
    const writes: {
      row: InvoiceImportRow;
      isNew: boolean;
      needsNumber: boolean;
      regenerate: boolean;
      pix: boolean;
    }[] = [];
    for (const candidate of candidates) {
      const customerId = customerIds.get(candidate.customerExternalId);
      if (!customerId) {
        run.fail(
          candidate.rowNumber,
          "customer_external_id",
          `cliente '${candidate.customerExternalId}' não encontrado; importe o arquivo de clientes antes`,
        );
        continue;
      }
      const stored = existing.get(candidate.externalId);
      const planned = planInvoiceWrite(candidate, customerId, stored, run, tenant, issuer);
      if (planned) writes.push(planned);
    }
    const numbersNeeded = writes.filter((write) => write.needsNumber).length;
    let nextNumber = numbersNeeded > 0 ? await reserveOurNumbers(trx, tenant.id, numbersNeeded) : 0;
    const toWrite: InvoiceImportRow[] = [];
    for (const write of writes) {
      const row = write.row;
      if (write.needsNumber) row.our_number = nextNumber++;
      if (write.regenerate || write.pix) {
        const rowIssuer = write.isNew
          ? issuer
          : row.bank_account_id
            ? await issuerOfAccount(row.bank_account_id)
            : null;
        const { documents, bank } = invoiceBoleto(
          tenant,
          rowIssuer,
          {
            externalId: row.external_id,
            amountCents: row.amount_cents,
            issueDate: row.issue_date,
            dueDate: row.due_date,
          },
          row.our_number,
        );
        if (write.regenerate) {
          row.typeable_line = documents.typeableLine;
          row.barcode = documents.barcode;
          if (bank) {
            row.bank_account_id = bank.accountId;
            row.bank_our_number = bank.bankOurNumber;
          }
        }
        if (write.pix) row.pix_payload = documents.pixPayload;
      }
      const stored = existing.get(row.external_id);
      if (stored && sameInvoice(row, stored)) {
        run.report.unchanged += 1;
        continue;
      }
      if (write.isNew) run.report.inserted += 1;
      else run.report.updated += 1;
      toWrite.push(row);
    }
    await upsertInvoices(trx, tenant.id, toWrite);
    reportProgress(options, end, rows.length);
  }
  // Payments that arrived before their invoice are matched now, and settle it as any payment does.
  const linked = await linkUnmatchedPayments(trx, tenant.id);
  await applyPaymentEffects(trx, tenant, matchedPayments(linked), importInstant(options));
}

/** The payments written with their invoice found. */
function matchedPayments(rows: PaymentRow[]): RecordedPayment[] {
  return rows.filter((row): row is RecordedPayment => row.invoice_id !== null);
}

function importInstant(options: ImportOptions): Date {
  return options.now ?? new Date(`${options.today}T12:00:00Z`);
}

/**
 * Decides what to write for one valid invoice row: the row itself, and whether it needs a new
 * "nosso número", a regenerated boleto or a regenerated Pix payload. Records an error and returns
 * null when the row would change an invoice in a way its status forbids.
 */
function planInvoiceWrite(
  candidate: InvoiceCandidate,
  customerId: string,
  stored: ExistingInvoice | undefined,
  run: ImportRun,
  tenant: Tenant,
  issuer: BoletoIssuer | null,
): { row: InvoiceImportRow; isNew: boolean; needsNumber: boolean; regenerate: boolean; pix: boolean } | null {
  const row: InvoiceImportRow = {
    external_id: candidate.externalId,
    customer_id: customerId,
    description: candidate.description,
    amount_cents: candidate.amountCents,
    issue_date: candidate.issueDate,
    due_date: candidate.dueDate,
    status: candidate.status,
    consumer: candidate.consumer,
    fine_bps: candidate.fineBps,
    interest_monthly_bps: candidate.interestMonthlyBps,
    typeable_line: candidate.givenBoleto?.typeableLine ?? null,
    barcode: candidate.givenBoleto?.barcode ?? null,
    pix_payload: candidate.givenPix,
    our_number: null,
    bank_account_id: stored?.bank_account_id ?? null,
    bank_our_number: stored?.bank_our_number ?? null,
  };
  // the same rule as POST /v1/invoices; an invoice issued by an account stays with it
  const canBuildBoleto = stored?.bank_account_id
    ? candidate.amountCents <= BOLETO_MAX_CENTS
    : boletoNeedsOurNumber(tenant, stored ? null : issuer, candidate.amountCents);
  if (!stored) {
    const needsNumber = !candidate.givenBoleto && canBuildBoleto;
    return { row, isNew: true, needsNumber, regenerate: needsNumber, pix: candidate.givenPix === null };
  }
  // The file's "open" means "not cancelled": a paid or renegotiated invoice keeps its status.
  let status: InvoiceStatus = stored.status;
  if (candidate.status === "cancelled" && stored.status !== "cancelled") status = "cancelled";
  if (candidate.status === "open" && stored.status === "cancelled") status = "open";
  if (!canTransition(stored.status, status)) {
    run.fail(candidate.rowNumber, "status", `${transitionError(stored.external_id, stored.status, status)}`);
    return null;
  }
  row.status = status;
  if (stored.paid_cents > 0 || stored.status !== "open") {
    const reason =
      stored.paid_cents > 0 ? "já tem pagamentos" : `está ${INVOICE_STATUS_LABEL[stored.status]}`;
    for (const field of SETTLED_FIELDS) {
      if (row[field.key] !== stored[field.key]) {
        run.fail(
          candidate.rowNumber,
          field.column,
          `a fatura ${stored.external_id} ${reason}: não é possível mudar ${field.label}`,
        );
      }
    }
    if (run.hasFailed(candidate.rowNumber)) return null;
  }
  const amountChanged = stored.amount_cents !== row.amount_cents;
  const amountOrDueChanged = amountChanged || stored.due_date !== row.due_date;
  let needsNumber = false;
  let regenerate = false;
  if (!candidate.givenBoleto) {
    row.our_number = stored.our_number;
    if (stored.typeable_line && !amountOrDueChanged) {
      row.typeable_line = stored.typeable_line;
      row.barcode = stored.barcode;
    } else if (canBuildBoleto) {
      needsNumber = stored.our_number === null;
      regenerate = true;
    }
  } else {
    row.our_number = stored.our_number;
  }
  let pix = false;
  if (candidate.givenPix === null) {
    if (stored.pix_payload && !amountChanged) row.pix_payload = stored.pix_payload;
    else pix = true;
  }
  return { row, isNew: false, needsNumber, regenerate, pix };
}

// ─── payments ───────────────────────────────────────────────────────────────────────────────────

const PAYMENT_COLUMNS: Record<string, string> = {
  externalId: "external_id",
  invoiceExternalId: "invoice_external_id",
  amountCents: "amount",
  paidAt: "paid_at",
  method: "method",
};

/** Methods as Brazilian spreadsheets write them, mapped to the stored ones; anything else is validated as is. */
const PAYMENT_METHOD_ALIASES: Record<string, string> = {
  cartao: "card",
  cartão: "card",
  "cartão de crédito": "card",
  dinheiro: "cash",
  transferencia: "transfer",
  transferência: "transfer",
  ted: "transfer",
  doc: "transfer",
  outro: "other",
  outros: "other",
};

function paymentMethodOf(text: string | undefined): string | undefined {
  const value = (text ?? "").trim().toLowerCase();
  if (value === "") return undefined;
  return PAYMENT_METHOD_ALIASES[value] ?? value;
}

async function importPayments(
  trx: Executor,
  tenant: Tenant,
  rows: Row[],
  run: ImportRun,
  options: ImportOptions,
): Promise<void> {
  const recorded: RecordedPayment[] = [];
  let unmatched = 0;
  for (let start = 0; start < rows.length; start += IMPORT_CHUNK_SIZE) {
    const end = Math.min(start + IMPORT_CHUNK_SIZE, rows.length);
    const candidates: (PaymentImportRow & { rowNumber: number })[] = [];
    for (let index = start; index < end; index += 1) {
      const rowNumber = index + 1;
      if (run.hasFailed(rowNumber)) continue;
      const row = rows[index]!;
      const amount = cell(run, rowNumber, "amount", () => parseBrazilianAmount(row.amount ?? ""));
      const paidAt = cell(run, rowNumber, "paid_at", () =>
        parsePaidAt(row.paid_at ?? "", parseBrazilianDate),
      );
      if (run.hasFailed(rowNumber)) continue;
      const result = listIssues(ZRecordPayment, {
        externalId: row.external_id ?? "",
        invoiceExternalId: row.invoice_external_id ?? "",
        amountCents: amount,
        method: paymentMethodOf(row.method),
        paidAt,
      });
      if (!result.ok) {
        failIssues(run, rowNumber, result.issues, (field) => PAYMENT_COLUMNS[field] ?? null);
        continue;
      }
      const future = futurePaymentProblem(result.value.paidAt, options.today, tenant.timeZone);
      if (future) {
        run.fail(rowNumber, "paid_at", future);
        continue;
      }
      candidates.push({
        rowNumber,
        externalId: result.value.externalId,
        invoiceId: null,
        invoiceExternalId: result.value.invoiceExternalId!,
        amountCents: result.value.amountCents,
        method: result.value.method,
        paidAt: result.value.paidAt,
      });
    }
    const invoiceIds = await findIdsByExternalId(trx, "invoices", tenant.id, [
      ...new Set(candidates.map((candidate) => candidate.invoiceExternalId)),
    ]);
    const existing = await findPaymentsByExternalId(
      trx,
      tenant.id,
      candidates.map((candidate) => candidate.externalId),
    );
    const writes: PaymentImportRow[] = [];
    for (const candidate of candidates) {
      candidate.invoiceId = invoiceIds.get(candidate.invoiceExternalId) ?? null;
      const stored = existing.get(candidate.externalId);
      if (!stored) {
        writes.push(candidate);
        run.report.inserted += 1;
        if (!candidate.invoiceId) unmatched += 1;
        continue;
      }
      const same =
        stored.amount_cents === candidate.amountCents &&
        stored.method === candidate.method &&
        stored.paid_at.getTime() === candidate.paidAt.getTime() &&
        stored.invoice_external_id === candidate.invoiceExternalId;
      if (!same) {
        run.fail(
          candidate.rowNumber,
          "external_id",
          `o pagamento '${candidate.externalId}' já foi registrado com outros dados (valor, forma, data ou fatura); um pagamento não muda: use outro id externo`,
        );
      } else if (stored.invoice_id === null && candidate.invoiceId !== null) {
        // Kept unmatched earlier; its invoice exists now.
        writes.push(candidate);
        run.report.updated += 1;
      } else {
        run.report.unchanged += 1;
      }
    }
    recorded.push(...matchedPayments(await writePayments(trx, tenant.id, writes)));
    reportProgress(options, end, rows.length);
  }
  // the same effects as a payment through the API: one use case (src/modules/payments)
  await applyPaymentEffects(trx, tenant, recorded, importInstant(options));
  run.report.unmatched = unmatched;
}
