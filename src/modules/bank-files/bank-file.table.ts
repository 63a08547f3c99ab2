import type { ColumnType, Generated, Insertable, Selectable } from "kysely";
import type { CanonicalEvent, Direction, LayoutKind } from "../../domain/cnab/layout.ts";

export interface BankFileTable {
  tenant_id: string;
  id: Generated<string>;
  direction: Direction;
  layout: LayoutKind;
  bank_code: string;
  bank_account_id: string | null;
  sha256: string;
  file_sequence: number | null;
  record_count: Generated<number>;
  problem_count: Generated<number>;
  content: string | null;
  created_at: Generated<Date>;
}

export type RecordOutcome = "staged" | "applied" | "duplicate" | "queued" | "noted";

export interface BankFileRecordTable {
  tenant_id: string;
  file_id: string;
  line: number;
  idempotency_key: string;
  our_number: string;
  occurrence_code: string;
  event: CanonicalEvent;
  reasons: string;
  amount_cents: number;
  paid_cents: number;
  interest_cents: number;
  discount_cents: number;
  rebate_cents: number;
  fee_cents: number;
  occurred_on: string | null;
  credited_on: string | null;
  payer_document: string;
  invoice_id: string | null;
  outcome: ColumnType<RecordOutcome, RecordOutcome | undefined, RecordOutcome>;
}

export type BankFileRow = Selectable<BankFileTable>;
export type NewBankFileRow = Insertable<BankFileTable>;
export type NewBankFileRecordRow = Insertable<BankFileRecordTable>;
