import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { BankFileRow, NewBankFileRecordRow, NewBankFileRow, RecordOutcome } from "./bank-file.table.ts";

/** The columns of a file but its content (a remittance's can be tens of megabytes: never read back). */
const SUMMARY_COLUMNS = [
  "tenant_id",
  "id",
  "direction",
  "layout",
  "bank_code",
  "bank_account_id",
  "sha256",
  "file_sequence",
  "record_count",
  "problem_count",
  "created_at",
] as const;

export type BankFileSummaryRow = Omit<BankFileRow, "content">;

export function insertBankFile(db: Executor, row: NewBankFileRow): Promise<BankFileSummaryRow> {
  return db.insertInto("bank_files").values(row).returning(SUMMARY_COLUMNS).executeTakeFirstOrThrow();
}

export function findBankFileByHash(
  db: Executor,
  tenantId: string,
  direction: "remittance" | "return",
  sha256: string,
): Promise<BankFileRow | undefined> {
  return db
    .selectFrom("bank_files")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("direction", "=", direction)
    .where("sha256", "=", sha256)
    .executeTakeFirst();
}

export function findBankFile(db: Executor, tenantId: string, id: string): Promise<BankFileRow | undefined> {
  return db
    .selectFrom("bank_files")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export function findBankFiles(db: Executor, tenantId: string, limit: number): Promise<BankFileSummaryRow[]> {
  return db
    .selectFrom("bank_files")
    .select(SUMMARY_COLUMNS)
    .where("tenant_id", "=", tenantId)
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
}

export async function updateBankFileCounts(
  db: Executor,
  tenantId: string,
  id: string,
  counts: { records: number; problems: number },
): Promise<void> {
  await db
    .updateTable("bank_files")
    .set({ record_count: counts.records, problem_count: counts.problems })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .execute();
}

/**
 * The file's records are parsed into a temporary table first (no index, no write-ahead log,
 * dropped at commit) and written to bank_file_records once, with their invoice and outcome
 * decided: a record is inserted once and never updated.
 */
export async function createStagingTable(db: Executor): Promise<void> {
  await sql`
    create temporary table staged_bank_records (
      line int4 not null, idempotency_key text not null, our_number text not null, occurrence_code text not null,
      event text not null, reasons text not null, amount_cents int8 not null, paid_cents int8 not null,
      interest_cents int8 not null, discount_cents int8 not null, rebate_cents int8 not null, fee_cents int8 not null,
      occurred_on date, credited_on date, payer_document text not null
    ) on commit drop`.execute(db);
}

/** Stages a chunk of return records in one statement, sent as one JSON parameter. */
export async function stageRecords(db: Executor, rows: StagedRecord[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into staged_bank_records (line, idempotency_key, our_number, occurrence_code, event, reasons,
      amount_cents, paid_cents, interest_cents, discount_cents, rebate_cents, fee_cents, occurred_on, credited_on,
      payer_document)
    select line, idempotency_key, our_number, occurrence_code, event, reasons, amount_cents, paid_cents,
      interest_cents, discount_cents, rebate_cents, fee_cents, occurred_on, credited_on, payer_document
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(line int4, idempotency_key text, our_number text,
      occurrence_code text, event text, reasons text, amount_cents int8, paid_cents int8, interest_cents int8,
      discount_cents int8, rebate_cents int8, fee_cents int8, occurred_on date, credited_on date,
      payer_document text)`.execute(db);
}

/** A return record as staged: the row bank_file_records will hold, before its invoice and outcome. */
export type StagedRecord = Omit<NewBankFileRecordRow, "tenant_id" | "file_id" | "invoice_id" | "outcome">;

/**
 * Fresh statistics for the staged records, which the decision plans by: a temporary table has
 * none (unanalysed, a file of 100,000 records was taken for 25 million rows and the statement
 * compiled with JIT, seconds of a loaded server's time for nothing).
 */
export async function analyzeStagedRecords(db: Executor): Promise<void> {
  await sql`analyze staged_bank_records`.execute(db);
}

/**
 * Writes the staged records to bank_file_records in one statement, each with its invoice and
 * outcome decided. A record names its invoice by its our number (without leading zeros) among the
 * boletos the file's bank issued (the first by id, should two accounts of the bank share a number),
 * whose status and face value the outcome reads:
 *
 * - duplicate: a movement an earlier file (or an earlier line of this one) already carried;
 * - queued, for payments that cannot be applied on their own (the reconciliation queue, in the
 *   same statement): no boleto with that our number, an invoice already paid or no longer open, a
 *   face value other than the invoice's, a payment short of what the boleto asked, or a second
 *   payment of the same invoice in the file;
 * - applied: the other payments (settled next, bank-payments.ts), and registrations, rejections
 *   and write-offs of a known boleto (markBoletos);
 * - noted: the rest is informative.
 */
export async function decideStagedRecords(
  db: Executor,
  tenantId: string,
  file: { id: string; bankCode: string },
  paidOnFallback: string,
): Promise<void> {
  await sql`
    with matched as (
      select distinct on (s.line) s.*, i.id as invoice_id, i.status as invoice_status, i.amount_cents as invoice_cents
      from staged_bank_records s
      left join (invoices i join bank_accounts a on a.tenant_id = i.tenant_id and a.id = i.bank_account_id
          and a.bank_code = ${file.bankCode})
        on i.tenant_id = ${tenantId} and i.bank_our_number is not null and ltrim(i.bank_our_number, '0') = s.our_number
      order by s.line, i.id
    ), repeated as (
      select line from (
        select line, row_number() over (partition by idempotency_key order by line) as nth
        from staged_bank_records
      ) within_file where nth > 1
      union
      select s.line from staged_bank_records s join bank_file_records earlier
        on earlier.tenant_id = ${tenantId} and earlier.idempotency_key = s.idempotency_key
        and earlier.outcome <> 'duplicate' and earlier.outcome <> 'staged'
    ), flagged as (
      select m.*, repeated.line is not null as duplicate
      from matched m left join (select distinct line from repeated) repeated on repeated.line = m.line
    ), fresh as (
      select f.*,
        case when f.event = 'paid' and not f.duplicate then
          row_number() over (partition by f.invoice_id, f.event = 'paid' and not f.duplicate order by f.line)
        end as nth
      from flagged f
    ), decided as (
      select f.*,
        case
          when duplicate or event <> 'paid' then null
          when invoice_id is null then 'unknown_boleto'
          when invoice_status = 'paid' or nth > 1 then 'already_paid'
          when invoice_status <> 'open' then 'invoice_not_open'
          when amount_cents <> invoice_cents or paid_cents <= 0
            or paid_cents < amount_cents - discount_cents - rebate_cents then 'amount_mismatch'
        end as reason
      from fresh f
    ), queued as (
      insert into reconciliation_items (tenant_id, file_id, line, reason, our_number, payer_document, paid_cents,
        paid_on, invoice_id)
      select ${tenantId}, ${file.id}, line, reason, our_number, payer_document, paid_cents,
        coalesce(occurred_on, credited_on, ${paidOnFallback}::date), invoice_id
      from decided where reason is not null
    )
    insert into bank_file_records (tenant_id, file_id, line, idempotency_key, our_number, occurrence_code, event,
      reasons, amount_cents, paid_cents, interest_cents, discount_cents, rebate_cents, fee_cents, occurred_on,
      credited_on, payer_document, invoice_id, outcome)
    select ${tenantId}, ${file.id}, line, idempotency_key, our_number, occurrence_code, event, reasons, amount_cents,
      paid_cents, interest_cents, discount_cents, rebate_cents, fee_cents, occurred_on, credited_on, payer_document,
      invoice_id,
      case
        when duplicate then 'duplicate'
        when reason is not null then 'queued'
        when event = 'paid' then 'applied'
        when invoice_id is not null and event in ('registered', 'rejected', 'written_off') then 'applied'
        else 'noted'
      end
    from decided
    order by line`.execute(db);
}

/** The boleto statuses registrations, rejections and write-offs give (one statement for them all). */
export async function markBoletos(db: Executor, tenantId: string, fileId: string): Promise<void> {
  await sql`
    update invoices i set
      boleto_status = case r.event when 'registered' then 'registered' when 'rejected' then 'rejected' else 'written_off' end,
      boleto_status_reason = case when r.event = 'rejected' then nullif(r.reasons, '') else null end,
      updated_at = now()
    from (select distinct on (invoice_id) invoice_id, event, reasons from bank_file_records
          where tenant_id = ${tenantId} and file_id = ${fileId} and outcome = 'applied'
            and event in ('registered', 'rejected', 'written_off')
          order by invoice_id, line desc) r
    where i.tenant_id = ${tenantId} and i.id = r.invoice_id`.execute(db);
}

export interface OutcomeCount {
  event: string;
  outcome: RecordOutcome;
  count: number;
  cents: number;
}

export async function countOutcomes(db: Executor, tenantId: string, fileId: string): Promise<OutcomeCount[]> {
  const rows = await db
    .selectFrom("bank_file_records")
    .select((eb) => [
      "event",
      "outcome",
      eb.fn.countAll<string>().as("count"),
      eb.fn.coalesce(eb.fn.sum<string>("paid_cents"), sql<string>`0`).as("cents"),
    ])
    .where("tenant_id", "=", tenantId)
    .where("file_id", "=", fileId)
    .groupBy(["event", "outcome"])
    .execute();
  return rows.map((row) => ({
    event: row.event,
    outcome: row.outcome,
    count: Number(row.count),
    cents: Number(row.cents),
  }));
}
