import { z } from "zod";

/**
 * Glossary: an endpoint is a URL of the creditor that receives events; an event is a fact
 * (`invoice.paid`) taken from the domain events outbox; a delivery is one event sent to one
 * endpoint, retried with exponential backoff for up to 3 days; an attempt is one HTTP POST.
 */
export const WEBHOOK_EVENTS = [
  "invoice.created",
  "invoice.overdue",
  "invoice.paid",
  "customer.standing_changed",
  "contract.standing_changed",
  "customer.plan_change_requested",
  "customer.payment_method_change_requested",
  "message.sent",
  "message.delivered",
  "message.failed",
  "agreement.proposed",
  "agreement.activated",
  "agreement.lapsed",
  "agreement.completed",
  "agreement.broken",
  "agreement.cancelled",
] as const;

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  /** Empty: every event. `message.*` matches every message event. */
  events: string[];
  disabledAt: Date | null;
  createdAt: Date;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  customerId: string | null;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
  payload: unknown;
}

export const ZEventName = z.string().regex(/^[a-z_]+\.([a-z_]+|\*)$/, {
  error: `evento desconhecido; use um de ${WEBHOOK_EVENTS.join(", ")} (ou message.*)`,
});

export const ZCreateWebhookEndpoint = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: "url deve ser http:// ou https:// completa" }).max(2000),
  description: z.string().trim().max(200).default(""),
  events: z.array(ZEventName).max(50).default([]),
});
export type TCreateWebhookEndpoint = z.input<typeof ZCreateWebhookEndpoint>;
