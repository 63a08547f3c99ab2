import { z } from "zod";

/**
 * A timeline entry: when, what kind, and the kind's fields (`data`, camelCase, as the customer
 * view shows them). Kinds: message (the régua's messages, with subject and body as rendered),
 * standing (a change of standing), payment, call, note (customer_interactions), pause and dispute
 * (customer_pauses), agreement, ticket (internal tickets), plan_change (the debtor's request, in the
 * portal, for another plan or payment method, with the creditor's decision), action (a step or batch
 * send scheduled and not sent yet, or skipped with its reason code), group (entering or leaving a
 * customer group), contact (a contact added, edited or removed — by the API, the dashboard, a CSV
 * import or the portal, with who — a channel opted out, a contact confirmed in the portal).
 */
export const TIMELINE_KINDS = [
  "message",
  "standing",
  "payment",
  "call",
  "note",
  "pause",
  "dispute",
  "agreement",
  "ticket",
  "plan_change",
  "action",
  "group",
  "contact",
] as const;

export const ZTimelineEntry = z.object({
  at: z.string().describe("Instante ISO 8601"),
  kind: z.string().describe(`Um de: ${TIMELINE_KINDS.join(", ")}`),
  id: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type TimelineEntry = z.infer<typeof ZTimelineEntry>;

export const ZTimeline = z.object({
  data: z.array(ZTimelineEntry),
  next_cursor: z.string().nullable(),
});
