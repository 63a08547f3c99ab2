import type { ColumnType, Generated, Insertable, Selectable } from "kysely";
import type { AgreementStatus } from "./agreement.ts";

type Json<T> = ColumnType<T, string, string>;

export interface AgreementSettingsTable {
  tenant_id: string;
  /** Overrides of DEFAULT_AGREEMENT_SETTINGS (camelCase keys, as the API takes them). */
  settings: Json<Record<string, unknown>>;
  policy_id: string | null;
  updated_at: Generated<Date>;
}

export interface AgreementTable {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  /** Per tenant, 1, 2, 3… ("Acordo nº 12"), given on insert by a trigger (agreement_counters, 0027). */
  number: Generated<number>;
  status: Generated<AgreementStatus>;
  created_by: string;
  debt: Json<unknown>;
  terms: Json<unknown>;
  concession_cents: number;
  total_cents: number;
  created_at: Generated<Date>;
  activated_at: Date | null;
  ended_at: Date | null;
  end_reason: string | null;
}

export interface AgreementInvoiceTable {
  tenant_id: string;
  agreement_id: string;
  invoice_id: string;
}

export interface AgreementInstallmentTable {
  tenant_id: string;
  agreement_id: string;
  number: number;
  invoice_id: string;
  due_date: string;
  amount_cents: number;
}

export interface AgreementImputationTable {
  tenant_id: string;
  id: Generated<string>;
  agreement_id: string;
  invoice_id: string;
  amount_cents: number;
  paid_at: Date;
}

/** A payment made on an original invoice, credited to one of the agreement's installments. */
export interface AgreementCreditTable {
  tenant_id: string;
  id: Generated<string>;
  agreement_id: string;
  payment_id: string;
  invoice_id: string;
  amount_cents: number;
  paid_at: Date;
}

export type AgreementRow = Selectable<AgreementTable>;
export type NewAgreementRow = Insertable<AgreementTable>;
export type AgreementInstallmentRow = Selectable<AgreementInstallmentTable>;
