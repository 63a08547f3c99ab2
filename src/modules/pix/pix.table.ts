import type { ColumnType, Generated, Selectable } from "kysely";

/** Row types of migration 0021 (Pix through the BCB standard Pix API). */

export interface PixSettingsTable {
  tenant_id: string;
  base_url: string;
  token_url: string;
  client_id: string;
  /** sealed */
  client_secret: string;
  certificate_pem: string;
  /** sealed */
  private_key_pem: string;
  ca_pem: string | null;
  receiver_key: string;
  days_valid_after_due: Generated<number>;
  recurrence_retry_policy: ColumnType<RetryPolicy, RetryPolicy | undefined, RetryPolicy>;
  webhook_token: string;
  webhook_registered_at: Date | null;
  swept_until: Date | null;
  updated_at: Generated<Date>;
}

export type CobvStatus = "ATIVA" | "CONCLUIDA" | "REMOVIDA_PELO_USUARIO_RECEBEDOR" | "REMOVIDA_PELO_PSP";

export interface PixChargeTable {
  tenant_id: string;
  txid: string;
  invoice_id: string;
  status: CobvStatus;
  location: string;
  pix_copy_paste: string | null;
  amount_cents: number;
  due_date: string;
  revision: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PixReceivedTable {
  tenant_id: string;
  end_to_end_id: string;
  txid: string | null;
  amount_cents: number;
  paid_at: Date;
  payer_info: string | null;
  source: "webhook" | "sweep" | "cobr";
  payment_id: string | null;
  received_at: Date;
}

export interface PixRefundTable {
  tenant_id: string;
  end_to_end_id: string;
  refund_id: string;
  rtr_id: string;
  amount_cents: number;
  status: string;
  nature: string | null;
  requested_at: Date | null;
  settled_at: Date | null;
  updated_at: Generated<Date>;
}

export type RecurrenceJourney = "authorise" | "pay_then_authorise";
export type RetryPolicy = "NAO_PERMITE" | "PERMITE_3R_7D";
export type RecurrenceStatus = "CRIADA" | "APROVADA" | "REJEITADA" | "EXPIRADA" | "CANCELADA";

export interface PixRecurrenceTable {
  tenant_id: string;
  id: Generated<string>;
  contract_id: string;
  customer_id: string;
  rec_id: string | null;
  journey: RecurrenceJourney;
  retry_policy: RetryPolicy;
  status: RecurrenceStatus;
  location: string | null;
  pix_copy_paste: string | null;
  first_invoice_id: string | null;
  end_code: string | null;
  end_reason: string | null;
  fallback_notified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type RecurringChargeStatus = "CRIADA" | "ATIVA" | "CONCLUIDA" | "EXPIRADA" | "REJEITADA" | "CANCELADA";

export interface PixRecurringChargeTable {
  tenant_id: string;
  txid: string;
  recurrence_id: string;
  invoice_id: string;
  status: RecurringChargeStatus;
  due_date: string;
  amount_cents: number;
  end_code: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type PixSettingsRow = Selectable<PixSettingsTable>;
export type PixChargeRow = Selectable<PixChargeTable>;
export type PixRecurrenceRow = Selectable<PixRecurrenceTable>;
export type PixRecurringChargeRow = Selectable<PixRecurringChargeTable>;
