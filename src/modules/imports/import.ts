import type { IsoDate } from "../../domain/dates.ts";

/**
 * Glossary: an import brings one CSV file of customers, invoices or payments into a tenant. Rows
 * are upserted by external id (importing the same file again changes nothing); a row with any
 * problem is reported (row, column, reason) and not written, while the valid rows are.
 */
export type ImportKind = "customers" | "invoices" | "payments";
export const IMPORT_KINDS: readonly ImportKind[] = ["customers", "invoices", "payments"];

export interface ImportRowError {
  /** 1-based data row (the header excluded). */
  row: number;
  /**
   * The file's line number as a spreadsheet shows it (the header is line 1), set when the rows
   * came from a file; the API, the CLI and the dashboard all name rows by it.
   */
  line?: number;
  /** The CSV column at fault, or null when the problem is the row as a whole. */
  column: string | null;
  message: string;
}

export interface ImportReport {
  kind: ImportKind;
  total: number;
  inserted: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: ImportRowError[];
  /** Payments only: how many of the written payments name an invoice not (yet) known. */
  unmatched?: number;
  dryRun?: boolean;
}

export interface ImportOptions {
  today: IsoDate;
  /**
   * The instant the import happens (the clock's now): payments' effects — standing transitions,
   * `invoice.paid` and `customer.standing_changed` events — carry it. Default: noon UTC of `today`.
   */
  now?: Date;
  dryRun?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** The file's charset (utf-8, windows-1252 …); detected when absent (src/shared/text-encoding.ts). */
  encoding?: string;
}

/** Columns each file must have in its header (the others are optional). */
export const REQUIRED_COLUMNS: Record<ImportKind, readonly string[]> = {
  customers: ["external_id", "name", "document"],
  invoices: ["external_id", "customer_external_id", "amount", "due_date"],
  payments: ["external_id", "invoice_external_id", "amount", "paid_at"],
};

export const KNOWN_COLUMNS: Record<ImportKind, readonly string[]> = {
  customers: [
    "external_id",
    "name",
    "document",
    "kind",
    "email",
    "mobile",
    "whatsapp",
    "street",
    "number",
    "district",
    "city",
    "state",
    "postal_code",
    "tags",
  ],
  invoices: [
    "external_id",
    "customer_external_id",
    "description",
    "amount",
    "issue_date",
    "due_date",
    "fine_percent",
    "interest_percent",
    "consumer",
    "typeable_line",
    "pix_payload",
    "status",
  ],
  payments: ["external_id", "invoice_external_id", "amount", "paid_at", "method"],
};

const YES = new Set(["sim", "s", "yes", "y", "true", "1", "verdadeiro"]);
const NO = new Set(["não", "nao", "n", "no", "false", "0", "falso"]);

/** 'sim'/'yes'/'true' → true, 'não'/'no'/'false' → false, empty → the default; null when unreadable. */
export function parseYesNo(text: string | undefined, fallback: boolean): boolean | null {
  const value = (text ?? "").trim().toLowerCase();
  if (value === "") return fallback;
  if (YES.has(value)) return true;
  if (NO.has(value)) return false;
  return null;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A payment's paid_at: an ISO instant with its offset, or a calendar day. A bare day becomes
 * 12:00 UTC of that day, an instant that falls on the same calendar day in every Brazilian time
 * zone (UTC−2 to UTC−5), so the payment day never shifts.
 */
export function parsePaidAt(text: string, parseDay: (text: string) => IsoDate): Date {
  const value = text.trim();
  if (INSTANT.test(value)) {
    const instant = new Date(value.replace(" ", "T"));
    if (Number.isNaN(instant.getTime())) throw new Error(`data e hora "${text}" inválida`);
    const day = value.slice(0, 10);
    parseDay(day);
    return instant;
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw new Error(`data e hora "${text}" sem fuso; acrescente Z ou o deslocamento, como -03:00`);
  }
  return new Date(`${parseDay(value)}T12:00:00Z`);
}

/** Rows are validated in TypeScript, then written in chunks of this many with one statement per table. */
export const IMPORT_CHUNK_SIZE = 5000;
