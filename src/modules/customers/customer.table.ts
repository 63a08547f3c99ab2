import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

export interface CustomerTable {
  tenant_id: string;
  id: Generated<string>;
  external_id: string;
  name: string;
  document: string;
  kind: "person" | "company";
  address_street: string | null;
  address_number: string | null;
  address_district: string | null;
  address_city: string | null;
  address_state: string | null;
  address_postal_code: string | null;
  time_zone: Generated<string>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  anonymized_at: Date | null;
  /** Null: no limit (migration 0009). */
  credit_limit_cents: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type ContactChannel = "email" | "sms" | "whatsapp";

export interface ContactTable {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  channel: ContactChannel;
  value: string;
  consent_at: Date | null;
  opted_out_at: Date | null;
  verified_owner: Generated<boolean>;
  unusable_reason: string | null;
  created_at: Generated<Date>;
}

/** Where a contact change came from (contact_changes.source). */
export type ContactChangeSource = "api" | "dashboard" | "csv" | "portal";

/** One change of a customer's contact, told by the timeline (migration 0048). */
export interface ContactChangeTable {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  contact_id: string;
  change: "added" | "edited" | "removed";
  /** What an edit did: opted_out, consent, verified_owner, restored. */
  detail: string | null;
  channel: ContactChannel;
  value: string;
  source: ContactChangeSource;
  /** The operator (dashboard) or API key (api); null for an import or the debtor. */
  actor_id: string | null;
  at: Date;
}

export type CustomerRow = Selectable<CustomerTable>;
export type NewCustomerRow = Insertable<CustomerTable>;
export type ContactRow = Selectable<ContactTable>;
export type NewContactRow = Insertable<ContactTable>;
