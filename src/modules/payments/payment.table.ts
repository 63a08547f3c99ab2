import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

/** Where a payment came in (migration 0016): the same use case settles them all. */
export type PaymentSource = "api" | "csv" | "gateway" | "bank_file" | "pix";

export type PaymentMethod = "boleto" | "pix" | "card" | "transfer" | "cash" | "other";

export interface PaymentTable {
  tenant_id: string;
  id: Generated<string>;
  external_id: string;
  invoice_id: string | null;
  invoice_external_id: string | null;
  amount_cents: number;
  method: PaymentMethod;
  paid_at: Date;
  /** the agreement in force that this payment on an original invoice was credited to (0013) */
  credited_to_agreement_id: ColumnType<string | null, string | null | undefined, string | null>;
  source: ColumnType<PaymentSource, PaymentSource | undefined, PaymentSource>;
  created_at: Generated<Date>;
}

export type PaymentRow = Selectable<PaymentTable>;
export type NewPaymentRow = Insertable<PaymentTable>;
