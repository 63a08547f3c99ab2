import type { ColumnType, Generated, Selectable } from "kysely";
import type { ScoreBand } from "../../domain/payment-model.ts";

export interface PaymentModelTable {
  tenant_id: string;
  id: Generated<string>;
  horizon_days: number;
  trained_on: string;
  training_rows: number;
  /** the PaymentModel (src/domain/payment-model.ts) as JSON */
  model: ColumnType<unknown, string, string>;
  /** the time-split Evaluation as JSON */
  evaluation: ColumnType<unknown, string | null, string | null>;
  created_at: Generated<Date>;
}

export interface InvoiceScoreTable {
  tenant_id: string;
  invoice_id: string;
  customer_id: string;
  scored_on: string;
  horizon_days: number;
  probability: number;
  band: ScoreBand;
  reasons: string[];
  model_id: string | null;
}

export type PaymentModelRow = Selectable<PaymentModelTable>;
export type InvoiceScoreRow = Selectable<InvoiceScoreTable>;
