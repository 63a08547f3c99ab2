import { z } from "zod";

/**
 * Glossary of the delinquency panel (painel de inadimplência), all as of the tenant's local day:
 * - overdue invoice: open, not fully paid, due before today; its days overdue are calendar days
 *   since the due date. Amounts are the outstanding principal (amount less payments), without
 *   fine and interest: the panel compares the portfolio over time, and late charges grow daily.
 * - small delay: overdue 1 to SMALL_DELAY_DAYS days — usually a forgotten boleto, not a debtor in
 *   trouble — shown apart from the delinquency proper (more than SMALL_DELAY_DAYS days).
 * - aging phase: a band of days overdue (1–5, 6–15, 16–30, 31–60, 61–90, more than 90).
 * - recovered: a payment received for an invoice already past due on the day it was paid; it is
 *   credited to the channel of the last message sent for that invoice in the
 *   RECOVERY_ATTRIBUTION_DAYS days before the payment, or to "none" when none was.
 */
// The panel's rollup keeps each customer's previous due date only this far back
// (panel-rollup.sql.ts): a change needs a migration marking every customer stale.
export const SMALL_DELAY_DAYS = 5;
/** A week is long enough for a debtor to act on a reminder, short enough not to credit an old one. */
export const RECOVERY_ATTRIBUTION_DAYS = 7;
/** The recovery chart shows this many weeks (Monday to Sunday), the current one last. */
export const RECOVERY_WEEKS = 12;

export const AGING_PHASES = [
  { key: "1-5", fromDays: 1, toDays: 5 },
  { key: "6-15", fromDays: 6, toDays: 15 },
  { key: "16-30", fromDays: 16, toDays: 30 },
  { key: "31-60", fromDays: 31, toDays: 60 },
  { key: "61-90", fromDays: 61, toDays: 90 },
  { key: "90+", fromDays: 91, toDays: null },
] as const;
export type AgingPhaseKey = (typeof AGING_PHASES)[number]["key"];

export const RECOVERY_CHANNELS = ["email", "sms", "whatsapp", "letter", "task", "none"] as const;
export type RecoveryChannel = (typeof RECOVERY_CHANNELS)[number];

const ZTally = z.object({
  cents: z.number().int(),
  invoices: z.number().int(),
  customers: z.number().int(),
});
export type Tally = z.infer<typeof ZTally>;

export const ZPanel = z.object({
  asOf: z.string().describe("O dia do credor a que os números se referem (AAAA-MM-DD)"),
  pendingCustomers: z
    .number()
    .int()
    .describe(
      "Clientes com alterações ainda não somadas aos números de vencidos (0: em dia); o worker as soma em instantes",
    ),
  overdue: ZTally.describe("Tudo o que está vencido e em aberto (principal)"),
  smallDelays: ZTally.describe(`Atrasos de até ${SMALL_DELAY_DAYS} dias`),
  delinquent: ZTally.describe(`Atrasos de mais de ${SMALL_DELAY_DAYS} dias`),
  aging: z.array(
    z.object({
      phase: z.enum(AGING_PHASES.map((phase) => phase.key) as [AgingPhaseKey, ...AgingPhaseKey[]]),
      fromDays: z.number().int(),
      toDays: z.number().int().nullable(),
      cents: z.number().int(),
      invoices: z.number().int(),
    }),
  ),
  recovery: z.object({
    attributionDays: z.number().int(),
    weeks: z.array(
      z.object({
        weekStart: z.string(),
        weekEnd: z.string(),
        totalCents: z.number().int(),
        payments: z.number().int(),
        byChannel: z.record(z.enum(RECOVERY_CHANNELS), z.number().int()),
      }),
    ),
  }),
  agreements: z.object({
    proposed: z.number().int(),
    active: z.number().int(),
    activeCents: z.number().int().describe("Total dos acordos ativos"),
    completed: z.number().int(),
    broken: z.number().int(),
    brokenRate: z
      .number()
      .nullable()
      .describe("Quebrados ÷ (ativos + concluídos + quebrados); null sem nenhum acordo desses"),
  }),
});
export type Panel = z.infer<typeof ZPanel>;
