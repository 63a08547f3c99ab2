import type { Generated, Insertable, Selectable } from "kysely";

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
  created_at: Generated<Date>;
}

export type PaymentRow = Selectable<PaymentTable>;
export type NewPaymentRow = Insertable<PaymentTable>;
