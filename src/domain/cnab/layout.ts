import type { BankCode } from "../bank-boleto.ts";

/**
 * CNAB layouts as data: each bank and layout is one `CnabLayout` value (positions, widths, types,
 * code tables) read and written by the one codec in codec.ts. Positions are 1-based and inclusive,
 * as the manuals print them.
 */

/**
 * num: digits, right-aligned, zero-filled · alpha: text, left-aligned, blank-filled (upper case,
 * no accents) · date: DDMMAAAA (CNAB 240) · date6: DDMMAA (CNAB 400) · cents: digits in cents.
 */
export type FieldType = "num" | "alpha" | "date" | "date6" | "cents";

export interface FieldSpec {
  name: string;
  start: number;
  end: number;
  type: FieldType;
  /** a constant: written as is, and the record is recognised by its constants */
  value?: string;
  /** the bank wants the our number here without its check digit (the last character) */
  withoutCheckDigit?: true;
  /**
   * a constant Régua writes but does not recognise the record by: a bank may send another value
   * (the layout versions of CNAB 240 headers differ from bank to bank and release to release)
   */
  writeOnly?: true;
  /** the value written here is the one named `source` (a bank repeats a value in two places) */
  source?: string;
}

export interface RecordSpec {
  name: string;
  fields: FieldSpec[];
  /** the record may be left out of a title (CNAB 240 segment R, Itaú 400's fine record) */
  optional?: true;
}

export const CANONICAL_EVENTS = [
  "registered",
  "rejected",
  "paid",
  "written_off",
  "due_date_changed",
  "protested",
  "other",
] as const;
export type CanonicalEvent = (typeof CANONICAL_EVENTS)[number];

/** What a remittance asks of the bank. */
export const INSTRUCTIONS = ["register", "write_off", "change_due_date", "protest"] as const;
export type Instruction = (typeof INSTRUCTIONS)[number];

export type LayoutKind = "cnab240" | "cnab400";
export type Direction = "remittance" | "return";

export interface CnabLayout {
  kind: LayoutKind;
  bank: BankCode;
  width: 240 | 400;
  /** where the manuals' positions came from, shown in docs/bank-files.md */
  source: string;
  /** file header and trailer (and batch header and trailer in CNAB 240), for both directions */
  envelope: {
    fileHeader: RecordSpec;
    batchHeader?: RecordSpec;
    batchTrailer?: RecordSpec;
    fileTrailer: RecordSpec;
  };
  /** the records that together describe one title, in file order (240: P Q R / T U; 400: one) */
  remittanceDetail: RecordSpec[];
  returnDetail: RecordSpec[];
  /** the bank's return movement (occurrence) codes → canonical events; any other code is `other` */
  returnEvents: Record<string, CanonicalEvent>;
  /** the bank's remittance movement codes for each instruction */
  instructionCodes: Record<Instruction, string>;
  /** CNAB 400: the first instruction (157–158) that asks the bank to protest after the given days */
  protestInstruction: string;
  /** the code that says the fine is a percentage (FEBRABAN and most banks 2, Santander 400 4) */
  finePercentCode: string;
}

/** Replaces fields of a record by name (a bank's deviation from the base layout), keeping order by start. */
export function withFields(record: RecordSpec, replaced: FieldSpec[], removed: string[] = []): RecordSpec {
  const names = new Set([...replaced.map((field) => field.name), ...removed]);
  const fields = [...record.fields.filter((field) => !names.has(field.name)), ...replaced].sort(
    (a, b) => a.start - b.start,
  );
  return record.optional ? { name: record.name, fields, optional: true } : { name: record.name, fields };
}
