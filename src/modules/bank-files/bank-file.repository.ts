import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { BankFileRow, NewBankFileRecordRow, NewBankFileRow, RecordOutcome } from "./bank-file.table.ts";

export function insertBankFile(db: Executor, row: NewBankFileRow): Promise<BankFileRow> {
  return db.insertInto("bank_files").values(row).returningAll().executeTakeFirstOrThrow();
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

export function findBankFiles(
  db: Executor,
  tenantId: string,
  limit: number,
): Promise<Omit<BankFileRow, "content">[]> {
  return db
    .selectFrom("bank_files")
    .select([
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
    ])
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

/** Stages a chunk of return records in one statement, sent as one JSON parameter. */
export async function stageRecords(db: Executor, rows: NewBankFileRecordRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into bank_file_records (tenant_id, file_id, line, idempotency_key, our_number, occurrence_code, event,
      reasons, amount_cents, paid_cents, interest_cents, discount_cents, rebate_cents, fee_cents, occurred_on,
      credited_on, payer_document)
    select tenant_id, file_id, line, idempotency_key, our_number, occurrence_code, event, reasons, amount_cents,
      paid_cents, interest_cents, discount_cents, rebate_cents, fee_cents, occurred_on, credited_on, payer_document
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(tenant_id uuid, file_id uuid, line int4,
      idempotency_key text, our_number text, occurrence_code text, event text, reasons text, amount_cents int8,
      paid_cents int8, interest_cents int8, discount_cents int8, rebate_cents int8, fee_cents int8,
      occurred_on date, credited_on date, payer_document text)`.execute(db);
}

/** Fresh statistics after a large staging, so the set-based statements that follow plan with real sizes. */
export async function analyzeStaged(db: Executor): Promise<void> {
  await sql`analyze bank_file_records`.execute(db);
}

/**
 * Names each staged record's invoice by its our number (without leading zeros) among the boletos
 * the file's bank issued, and marks as duplicates the movements an earlier file (or an earlier
 * line of this one) already carried.
 */
export async function matchStagedRecords(
  db: Executor,
  tenantId: string,
  fileId: string,
  bankCode: string,
): Promise<void> {
  await sql`
    update bank_file_records r set invoice_id = i.id
    from invoices i join bank_accounts a on a.tenant_id = i.tenant_id and a.id = i.bank_account_id
    where r.tenant_id = ${tenantId} and r.file_id = ${fileId}
      and i.tenant_id = ${tenantId} and i.bank_our_number is not null
      and ltrim(i.bank_our_number, '0') = r.our_number and a.bank_code = ${bankCode}`.execute(db);
  await sql`
    update bank_file_records r set outcome = 'duplicate'
    from (
      select line from (
        select line, row_number() over (partition by idempotency_key order by line) as nth
        from bank_file_records where tenant_id = ${tenantId} and file_id = ${fileId} and outcome = 'staged'
      ) within_file where nth > 1
      union
      select s.line from bank_file_records s join bank_file_records earlier
        on earlier.tenant_id = s.tenant_id and earlier.idempotency_key = s.idempotency_key
        and earlier.outcome <> 'duplicate' and earlier.outcome <> 'staged'
      where s.tenant_id = ${tenantId} and s.file_id = ${fileId} and s.outcome = 'staged'
    ) seen
    where r.tenant_id = ${tenantId} and r.file_id = ${fileId} and r.line = seen.line`.execute(db);
}

/**
 * Every staged payment is applied or queued, in one statement. Payments that cannot be applied on
 * their own go to the reconciliation queue: no boleto with that
 * our number, an invoice already paid or no longer open, a face value other than the invoice's, a
 * payment short of what the boleto asked, or a second payment of the same invoice in the file.
 */
export async function queueUnmatchedPayments(db: Executor, tenantId: string, fileId: string): Promise<void> {
  await sql`
    with candidates as (
      select r.line, r.invoice_id, i.status, i.amount_cents as invoice_cents, r.amount_cents, r.paid_cents,
             r.discount_cents, r.rebate_cents,
             row_number() over (partition by r.invoice_id order by r.line) as nth
      from bank_file_records r left join invoices i on i.tenant_id = r.tenant_id and i.id = r.invoice_id
      where r.tenant_id = ${tenantId} and r.file_id = ${fileId} and r.outcome = 'staged' and r.event = 'paid'
    ), reasons as (
      select line, invoice_id,
        case
          when invoice_id is null then 'unknown_boleto'
          when status = 'paid' or nth > 1 then 'already_paid'
          when status <> 'open' then 'invoice_not_open'
          when amount_cents <> invoice_cents or paid_cents <= 0
            or paid_cents < amount_cents - discount_cents - rebate_cents then 'amount_mismatch'
        end as reason
      from candidates
    ), queued as (
      insert into reconciliation_items (tenant_id, file_id, line, reason, our_number, payer_document, paid_cents, paid_on, invoice_id)
      select r.tenant_id, r.file_id, r.line, reasons.reason, r.our_number, r.payer_document, r.paid_cents,
             coalesce(r.occurred_on, r.credited_on, current_date), r.invoice_id
      from reasons join bank_file_records r on r.tenant_id = ${tenantId} and r.file_id = ${fileId} and r.line = reasons.line
      where reasons.reason is not null
      returning line
    )
    update bank_file_records r set outcome = case when reasons.reason is null then 'applied' else 'queued' end
    from reasons where r.tenant_id = ${tenantId} and r.file_id = ${fileId} and r.line = reasons.line
      and (reasons.reason is null or exists (select 1 from queued where queued.line = reasons.line))`.execute(
    db,
  );
}

/** The boleto statuses registrations, rejections and write-offs give (one statement each kind). */
export async function markBoletos(db: Executor, tenantId: string, fileId: string): Promise<void> {
  await sql`
    update invoices i set
      boleto_status = case r.event when 'registered' then 'registered' when 'rejected' then 'rejected' else 'written_off' end,
      boleto_status_reason = case when r.event = 'rejected' then nullif(r.reasons, '') else null end,
      updated_at = now()
    from (select distinct on (invoice_id) invoice_id, event, reasons from bank_file_records
          where tenant_id = ${tenantId} and file_id = ${fileId} and outcome = 'staged'
            and invoice_id is not null and event in ('registered', 'rejected', 'written_off')
          order by invoice_id, line desc) r
    where i.tenant_id = ${tenantId} and i.id = r.invoice_id`.execute(db);
  await sql`
    update bank_file_records set outcome = 'applied'
    where tenant_id = ${tenantId} and file_id = ${fileId} and outcome = 'staged'
      and invoice_id is not null and event in ('registered', 'rejected', 'written_off')`.execute(db);
}

/** What is left staged after the payments and boleto marks is informative: noted. */
export async function noteTheRest(db: Executor, tenantId: string, fileId: string): Promise<void> {
  await db
    .updateTable("bank_file_records")
    .set({ outcome: "noted" })
    .where("tenant_id", "=", tenantId)
    .where("file_id", "=", fileId)
    .where("outcome", "=", "staged")
    .execute();
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
