import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

export type InteractionKind = "call" | "note";
export type CallOutcome = "answered" | "no_answer" | "voicemail" | "wrong_number" | "refused";

/** A phone call or note the team recorded about a customer (migration 0009). */
export interface CustomerInteractionTable {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  kind: InteractionKind;
  body: ColumnType<string, string | undefined, string>;
  outcome: CallOutcome | null;
  promised_on: string | null;
  promised_cents: number | null;
  operator_id: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export type CustomerInteractionRow = Selectable<CustomerInteractionTable>;
export type NewCustomerInteractionRow = Insertable<CustomerInteractionTable>;
