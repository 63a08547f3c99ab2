import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

export type BoletoStatus = "pending" | "registered" | "rejected" | "written_off";

export type InvoiceStatus = "open" | "paid" | "cancelled" | "renegotiated";

export interface InvoiceTable {
  tenant_id: string;
  id: Generated<string>;
  external_id: string;
  customer_id: string;
  contract_id: string | null;
  description: Generated<string>;
  amount_cents: number;
  issue_date: string;
  due_date: string;
  status: Generated<InvoiceStatus>;
  consumer: Generated<boolean>;
  fine_bps: number | null;
  interest_monthly_bps: number | null;
  paid_cents: Generated<number>;
  paid_at: Date | null;
  typeable_line: string | null;
  barcode: string | null;
  pix_payload: string | null;
  /** The boleto's "nosso número", when Régua generated the boleto from the tenant's bank settings. */
  our_number: number | null;
  /** the bank account that issued the boleto and the our number by its bank's rules (0020) */
  bank_account_id: ColumnType<string | null, string | null | undefined, string | null>;
  bank_our_number: ColumnType<string | null, string | null | undefined, string | null>;
  /** what the bank said of the boleto (CNAB return files): pending, registered, rejected, written_off */
  boleto_status: ColumnType<BoletoStatus | null, BoletoStatus | null | undefined, BoletoStatus | null>;
  boleto_status_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** what the last remittance told the bank, so the next one sends only changes */
  boleto_sent_due_date: ColumnType<string | null, string | null | undefined, string | null>;
  boleto_write_off_sent: ColumnType<boolean, boolean | undefined, boolean>;
  boleto_protest_sent: ColumnType<boolean, boolean | undefined, boolean>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  /** The invoice's tags and its customer's, kept by the database (migration 0012) for `?tag=`. */
  effective_tags: ColumnType<string[], never, never>;
  /** the day invoice.overdue was announced (null: not yet) */
  overdue_announced_on: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type InvoiceRow = Selectable<InvoiceTable>;
export type NewInvoiceRow = Insertable<InvoiceTable>;
