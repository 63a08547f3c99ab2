import { z } from "zod";

/**
 * Glossary: the work queue (fila de trabalho) is the analysts' list of customers to act on today,
 * most urgent first (see ORDER in work-queue.repository.ts). Where the customer's overdue debt has
 * a probability of payment, by its expected recovery (probability × amount), with the score's
 * reasons; otherwise — the fallback — by points (`score`), the sum of four parts: the amount
 * overdue, how long it has been overdue, a promise to pay falling due or broken, and open analyst
 * tasks of the régua. The customer overview is the
 * filterable customer list of the dashboard, whose selection feeds the bulk actions.
 */
export interface WorkQueueEntry {
  customerId: string;
  externalId: string;
  name: string;
  overdueCents: number;
  overdueInvoices: number;
  daysOverdue: number;
  promise: { promisedOn: string; promisedCents: number | null } | null;
  openTasks: number;
  score: number;
  scoreParts: { amount: number; days: number; promise: number; tasks: number };
  /** what placed the customer: the expected recovery when scored, else the points */
  priority: {
    basis: "expected_recovery" | "points";
    /** Σ probability × balance of the scored overdue invoices; null on points */
    expectedRecoveryCents: number | null;
    /** the scored debt's chance of payment (0–1), weighted by amount; null on points */
    probability: number | null;
    /** the score's reasons (of the invoice weighing most), in pt-BR; empty on points */
    reasons: { code: string; text: string }[];
  };
}

export type StandingName = "ok" | "warning" | "suspended" | "cancelled";

export interface CustomerOverview {
  id: string;
  externalId: string;
  name: string;
  document: string;
  tags: string[];
  standing: StandingName;
  overdueCents: number;
  overdueInvoices: number;
  daysOverdue: number;
  groups: string[];
}

export const ZWorkQueueQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const ZCustomerOverviewQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(500).optional(),
  standing: z
    .enum(["ok", "warning", "suspended", "cancelled"], {
      error: "standing: use ok, warning, suspended ou cancelled",
    })
    .optional(),
  minDaysOverdue: z.coerce.number().int().min(0).max(36_500).optional(),
  maxDaysOverdue: z.coerce.number().int().min(0).max(36_500).optional(),
  tag: z.string().trim().min(1).max(100).optional(),
  groupId: z.uuid({ error: "groupId: id de grupo inválido" }).optional(),
  search: z.string().trim().min(1).max(200).optional(),
});
export type TCustomerOverviewQuery = z.output<typeof ZCustomerOverviewQuery>;

/** The list's filters alone: what "select all N" resolves on the server. */
export const ZCustomerSelectionQuery = ZCustomerOverviewQuery.omit({ limit: true, cursor: true });
export type TCustomerSelectionQuery = z.output<typeof ZCustomerSelectionQuery>;

export const ZCustomerSelection = z.object({
  count: z.number(),
  customerIds: z.array(z.string()),
  /** more customers match than one selection takes (MAX_SELECTION): refine the filter */
  more: z.boolean(),
});
export type CustomerSelection = z.output<typeof ZCustomerSelection>;
