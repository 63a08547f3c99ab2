import type { ColumnType, Generated, Selectable } from "kysely";

export type ReconciliationReason = "unknown_boleto" | "amount_mismatch" | "already_paid" | "invoice_not_open";
export type ReconciliationStatus = "open" | "matched" | "split" | "refund";

export interface Allocation {
  invoiceId: string;
  amountCents: number;
  paymentExternalId: string;
}

export interface ReconciliationItemTable {
  tenant_id: string;
  id: Generated<string>;
  file_id: string;
  line: number;
  reason: ReconciliationReason;
  our_number: string;
  payer_document: string;
  paid_cents: number;
  paid_on: string;
  invoice_id: string | null;
  status: ColumnType<ReconciliationStatus, ReconciliationStatus | undefined, ReconciliationStatus>;
  decided_at: Date | null;
  decided_by: string | null;
  allocations: ColumnType<Allocation[], string | undefined, string>;
  created_at: Generated<Date>;
}

export type ReconciliationItemRow = Selectable<ReconciliationItemTable>;
