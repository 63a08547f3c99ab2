import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

export interface WebhookEndpointTable {
  tenant_id: string;
  id: Generated<string>;
  url: string;
  description: Generated<string>;
  events: ColumnType<string[], string[] | undefined, string[]>;
  secret: string;
  disabled_at: Date | null;
  created_at: Generated<Date>;
}

export type DeliveryStatus = "pending" | "delivered" | "failed";

export interface WebhookDeliveryTable {
  tenant_id: string;
  id: Generated<string>;
  seq: Generated<number>;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  customer_id: string | null;
  payload: ColumnType<unknown, string, string>;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Generated<Date>;
}

export interface WebhookAttemptTable {
  tenant_id: string;
  delivery_id: string;
  attempt: number;
  at: Date;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface WebhookOutboxCursorTable {
  tenant_id: string;
  source: string;
  last_id: string;
}

export interface PaymentGatewayTable {
  tenant_id: string;
  provider: string;
  secret: string;
  created_at: Generated<Date>;
}

export type WebhookEndpointRow = Selectable<WebhookEndpointTable>;
export type NewWebhookEndpointRow = Insertable<WebhookEndpointTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptTable>;

export interface StandingTokenTable {
  tenant_id: string;
  token_hash: string;
  customer_id: string;
  expires_at: Date;
}
