import type { CanonicalEvent, LayoutKind } from "../../domain/cnab/layout.ts";

/**
 * Glossary: a bank file is a CNAB file exchanged with a bank — a remittance (remessa) Régua writes
 * to register, change or write off boletos, or a return (retorno) the bank sends with what it
 * registered, rejected, was paid and credited. Every record of a return is kept; each applies at
 * most once, however many files carry it.
 */

export interface BankFileSummary {
  id: string;
  direction: "remittance" | "return";
  layout: LayoutKind;
  bankCode: string;
  bankAccountId: string | null;
  fileSequence: number | null;
  records: number;
  problems: number;
  createdAt: Date;
}

export interface FileProblem {
  line: number;
  message: string;
}

/** What importing a return file did. */
export interface ReturnImportReport {
  fileId: string | null;
  layout: LayoutKind;
  bank: string;
  /** true when this very file was imported before: nothing changed */
  alreadyImported: boolean;
  dryRun: boolean;
  records: number;
  /** per canonical event: how many records were applied, already seen, queued or only noted */
  events: Partial<
    Record<CanonicalEvent, { applied: number; duplicate: number; queued: number; noted: number }>
  >;
  /** payments settled and their sum */
  paid: { count: number; cents: number };
  /** payments sent to the reconciliation queue */
  queued: { count: number; cents: number };
  problems: FileProblem[];
}
