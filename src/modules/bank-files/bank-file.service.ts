import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.ts";
import { withSortMemory } from "../../db/transaction.ts";
import type { CanonicalEvent } from "../../domain/cnab/layout.ts";
import { type CnabFileHeader, type CnabItem, type ReturnRecord, readCnab } from "../../domain/cnab/reader.ts";
import { todayIn } from "../../domain/dates.ts";
import { bankFileRecordsTotal } from "../../observability/metrics.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError, notFound } from "../../shared/errors.ts";
import { stepTimer } from "../../shared/step-timings.ts";
import type { Tenant } from "../tenants/tenant.ts";
import {
  analyzeStagedRecords,
  type BankFileSummaryRow,
  countOutcomes,
  createStagingTable,
  decideStagedRecords,
  findBankFile,
  findBankFileByHash,
  findBankFiles,
  insertBankFile,
  markBoletos,
  type StagedRecord,
  stageRecords,
  updateBankFileCounts,
} from "./bank-file.repository.ts";
import type { BankFileSummary, FileProblem, ReturnImportReport } from "./bank-file.ts";
import { settleBankPayments } from "./bank-payments.ts";
import type { LineSource } from "./line-source.ts";

const STAGE_CHUNK = 5000;

class DryRunRollback extends Error {}

/** The SHA-256 of a file's lines (line endings do not count: CRLF and LF give the same hash). */
export async function hashLines(source: LineSource): Promise<string> {
  const hash = createHash("sha256");
  for await (const line of source()) hash.update(`${line.replace(/\r$/, "")}\n`);
  return hash.digest("hex");
}

/**
 * Applies a return file: parse (streamed) → stage every record in bulk (a temporary table) → match
 * boletos and write each record once with its outcome, queueing what cannot be applied on its own →
 * settle payments (bank-payments.ts) → mark registrations, rejections and write-offs. The same file again changes nothing (its
 * hash), nor does the same movement in another file (each record's idempotency key). A dry run
 * reports the same and writes nothing.
 */
export async function importReturnFile(
  db: Kysely<Database>,
  tenant: Tenant,
  source: LineSource,
  options: { dryRun?: boolean; clock: Clock },
): Promise<ReturnImportReport> {
  const timer = stepTimer("return file");
  const sha256 = await hashLines(source);
  timer.step("hash");
  const before = await findBankFileByHash(db, tenant.id, "return", sha256);
  if (before) return { ...(await reportOf(db, tenant.id, before, [])), alreadyImported: true };
  let report: ReturnImportReport | undefined;
  try {
    report = await db.transaction().execute(async (trx) => {
      const { file, problems, records } = await stageFile(trx, tenant, source, sha256);
      timer.step("parse and stage");
      await analyzeStagedRecords(trx);
      timer.step("analyse");
      // a file's records matched to their invoices, sorted and numbered by key, line and invoice: in
      // memory (withSortMemory)
      await withSortMemory(trx, () =>
        decideStagedRecords(
          trx,
          tenant.id,
          { id: file.id, bankCode: file.bank_code },
          todayIn(tenant.timeZone, options.clock.now()),
        ),
      );
      timer.step("decide and queue");
      await settleBankPayments(trx, tenant, file.id, options.clock);
      timer.step("settle payments");
      await markBoletos(trx, tenant.id, file.id);
      await updateBankFileCounts(trx, tenant.id, file.id, { records, problems: problems.length });
      const done = await reportOf(trx, tenant.id, { ...file, record_count: records }, problems);
      timer.step("marks and report");
      if (options.dryRun) {
        report = { ...done, fileId: null, dryRun: true };
        throw new DryRunRollback();
      }
      return done;
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
    return report!;
  }
  countBankRecords(report);
  return report;
}

/** A committed file's records as counters (regua_bank_file_records_total), by canonical event. */
function countBankRecords(report: ReturnImportReport): void {
  for (const [event, counts] of Object.entries(report.events))
    bankFileRecordsTotal.inc({ event }, counts.applied + counts.duplicate + counts.queued + counts.noted);
}

/** Reads the file and stages its records in chunks; refuses a file that is not a return at all. */
async function stageFile(
  trx: Executor,
  tenant: Tenant,
  source: LineSource,
  sha256: string,
): Promise<{ file: BankFileSummaryRow; problems: FileProblem[]; records: number }> {
  const problems: FileProblem[] = [];
  let file: BankFileSummaryRow | null = null;
  let chunk: StagedRecord[] = [];
  let records = 0;
  let staging: Promise<void> = Promise.resolve();
  await createStagingTable(trx);
  for await (const item of readCnab(source())) {
    if (item.type === "problem") {
      problems.push({ line: item.line, message: item.message });
      continue;
    }
    if (item.type === "header") {
      file = await insertBankFile(trx, {
        tenant_id: tenant.id,
        direction: "return",
        layout: item.layout,
        bank_code: item.bank,
        bank_account_id: null,
        sha256,
        file_sequence: item.fileSequence,
        content: null,
      });
      if (item.direction !== "return") throw notAReturn(item);
      continue;
    }
    if (item.type !== "return" || !file) continue;
    records += 1;
    chunk.push(stagedRow(file, item));
    if (chunk.length >= STAGE_CHUNK) {
      // the database stores one chunk while the next is parsed
      await staging;
      staging = stageRecords(trx, chunk);
      // awaited before the next chunk or at the end; a parse error first must not leave it unhandled
      staging.catch(() => {});
      chunk = [];
    }
  }
  if (!file) {
    const first = problems[0];
    throw new AppError(
      "validation_failed",
      `arquivo: ${first ? `linha ${first.line}: ${first.message}` : "vazio"}`,
      "file",
    );
  }
  await staging;
  await stageRecords(trx, chunk);
  return { file, problems, records };
}

function notAReturn(header: CnabFileHeader): AppError {
  return new AppError(
    "validation_failed",
    `arquivo: é uma remessa (${header.layout} do banco ${header.bank}); importe o arquivo de retorno que o banco devolveu`,
    "file",
  );
}

function stagedRow(file: BankFileSummaryRow, record: ReturnRecord): StagedRecord {
  return {
    line: record.line,
    idempotency_key: [
      file.bank_code,
      record.ourNumber,
      record.occurrenceCode,
      record.occurredOn ?? "",
      record.amountCents,
      record.paidCents,
    ].join(":"),
    our_number: record.ourNumber,
    occurrence_code: record.occurrenceCode,
    event: record.event,
    reasons: record.reasons,
    amount_cents: record.amountCents,
    paid_cents: record.paidCents,
    interest_cents: record.interestCents,
    discount_cents: record.discountCents,
    rebate_cents: record.rebateCents,
    fee_cents: record.feeCents,
    occurred_on: record.occurredOn,
    credited_on: record.creditedOn,
    payer_document: record.payerDocument,
  };
}

async function reportOf(
  db: Executor,
  tenantId: string,
  file: BankFileSummaryRow,
  problems: FileProblem[],
): Promise<ReturnImportReport> {
  const counts = await countOutcomes(db, tenantId, file.id);
  const events: ReturnImportReport["events"] = {};
  const paid = { count: 0, cents: 0 };
  const queued = { count: 0, cents: 0 };
  for (const row of counts) {
    const event = row.event as CanonicalEvent;
    const entry = events[event] ?? { applied: 0, duplicate: 0, queued: 0, noted: 0 };
    events[event] = entry;
    if (row.outcome !== "staged") entry[row.outcome] += row.count;
    if (event === "paid" && row.outcome === "applied") {
      paid.count += row.count;
      paid.cents += row.cents;
    }
    if (row.outcome === "queued") {
      queued.count += row.count;
      queued.cents += row.cents;
    }
  }
  return {
    fileId: file.id,
    layout: file.layout,
    bank: file.bank_code,
    alreadyImported: false,
    dryRun: false,
    records: file.record_count,
    events,
    paid,
    queued,
    problems,
  };
}

function summaryOf(row: BankFileSummaryRow): BankFileSummary {
  return {
    id: row.id,
    direction: row.direction,
    layout: row.layout,
    bankCode: row.bank_code,
    bankAccountId: row.bank_account_id,
    fileSequence: row.file_sequence,
    records: row.record_count,
    problems: row.problem_count,
    createdAt: row.created_at,
  };
}

export async function listBankFiles(db: Executor, tenantId: string): Promise<BankFileSummary[]> {
  return (await findBankFiles(db, tenantId, 100)).map(summaryOf);
}

/** A remittance file's text, to download again. */
export async function getRemittanceContent(db: Executor, tenantId: string, id: string): Promise<string> {
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await findBankFile(db, tenantId, id) : undefined;
  if (row?.direction !== "remittance" || row.content === null) throw notFound("Remessa", id);
  return row.content;
}

/** Reads a file without a database (the `regua cnab parse` command). */
export async function* parseCnabLines(source: LineSource): AsyncGenerator<CnabItem> {
  yield* readCnab(source());
}
