import type { Kysely } from "kysely";
import { sql } from "kysely";
import type { Database } from "../../db/database.ts";
import { addDays, type IsoDate } from "../../domain/dates.ts";
import { FixedClock } from "../../shared/clock.ts";
import { runDay } from "../daily-run/daily-run.service.ts";
import type { DayReport } from "../daily-run/daily-run.ts";
import { Random } from "../demo/random.ts";
import { dispatchDue } from "../messages/dispatcher.ts";
import { OpenInvoices, overdueCutoffOf } from "../open-debt/open-debt.service.ts";
import { openInvoicesRelation } from "../open-debt/open-debt.sql.ts";
import { recordPayment } from "../payments/payment.service.ts";
import type { Tenant } from "../tenants/tenant.ts";

/**
 * `regua simulate`: the régua run day by day over the current portfolio with seeded debtors. Each
 * invoice draws (from the seed and its id) how its debtor behaves — pays after a reminder before
 * the due date, pays after a post-due notice, or never pays — and payments go through the
 * payments service like real ones, so standing is restored as in production.
 */
export type DebtorBehaviour = "pays_on_reminder" | "pays_when_overdue" | "never_pays";

export interface SimulatedDay {
  date: IsoDate;
  actionsByChannel: Record<string, number>;
  skipped: number;
  standingChanges: { from: string; to: string; count: number }[];
  payments: number;
  paidCents: number;
  overdueCents: number;
}

export function behaviourOf(seed: number, invoiceId: string): DebtorBehaviour {
  const random = new Random(seed, hashOf(invoiceId));
  const draw = random.next();
  return draw < 0.45 ? "pays_on_reminder" : draw < 0.8 ? "pays_when_overdue" : "never_pays";
}

function hashOf(text: string): number {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index += 1)
    hash = Math.imul(hash ^ text.charCodeAt(index), 16777619);
  return hash | 0;
}

export async function simulate(
  db: Kysely<Database>,
  tenant: Tenant,
  from: IsoDate,
  to: IsoDate,
  seed: number,
  onDay?: (day: SimulatedDay) => void,
): Promise<SimulatedDay[]> {
  const days: SimulatedDay[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const report = await runDay(db, tenant, date, { now: new Date(`${date}T09:00:00Z`) });
    await dispatchDue(db, { clock: new FixedClock(`${date}T15:00:00Z`), tenantId: tenant.id });
    const paid = await payAfterMessages(db, tenant, date, seed);
    // the panel's figure: the open-debt rule's overdue balances (originals an agreement replaces left out)
    const overdue = await sql<{ cents: number | null }>`
      select sum(o.balance_cents)::bigint as cents
      from ${openInvoicesRelation(tenant.id, overdueCutoffOf(tenant, date), { onlyOverdue: true })} o`.execute(
      db,
    );
    const day = summarise(report, paid, Number(overdue.rows[0]?.cents ?? 0));
    days.push(day);
    onDay?.(day);
  }
  return days;
}

/**
 * Debtors who react to today's messages pay today what the open-debt read model says they owe on
 * the day (fine and interest included, so the invoice is settled), through the payments service.
 */
async function payAfterMessages(
  db: Kysely<Database>,
  tenant: Tenant,
  date: IsoDate,
  seed: number,
): Promise<{ count: number; cents: number; standing: DayReport["standing"] }> {
  const messaged = await sql<{
    invoice_id: string;
    customer_id: string;
    offset_days: number;
  }>`
    select distinct on (a.invoice_id) a.invoice_id, a.customer_id, a.offset_days
    from dunning_actions a
    where a.tenant_id = ${tenant.id} and a.send_on = ${date}::date and a.status in ('planned', 'sent', 'delivered')
      and a.channel in ('email', 'sms', 'whatsapp', 'letter')
    order by a.invoice_id, a.offset_days desc`.execute(db);
  const owed = await OpenInvoices.load(
    db,
    tenant,
    messaged.rows.map((row) => row.invoice_id),
  );
  let count = 0;
  let cents = 0;
  const standing: DayReport["standing"] = [];
  for (const row of messaged.rows) {
    const behaviour = behaviourOf(seed, row.invoice_id);
    const pays =
      (behaviour === "pays_on_reminder" && row.offset_days <= 0) ||
      (behaviour === "pays_when_overdue" && row.offset_days > 0);
    const line = pays ? owed.lineOn(row.invoice_id, date) : null;
    if (!line?.owed) continue;
    const paidAt = new Date(`${date}T15:00:00Z`);
    // the payments use case restores the customer's standing at once; its transitions are the day's
    const report = await recordPayment(
      db,
      tenant,
      {
        externalId: `sim-${seed}-${row.invoice_id}`,
        invoiceId: row.invoice_id,
        amountCents: line.totalDueCents,
        method: "pix",
        paidAt,
      },
      paidAt,
    );
    standing.push(...(report.standing ?? []));
    count += 1;
    cents += line.totalDueCents;
  }
  return { count, cents, standing };
}

function summarise(
  report: DayReport,
  paid: { count: number; cents: number; standing: DayReport["standing"] },
  overdueCents: number,
): SimulatedDay {
  const actionsByChannel: Record<string, number> = {};
  let skipped = 0;
  for (const row of report.plan.counts) {
    if (row.status === "skipped") skipped += row.count;
    else actionsByChannel[row.channel] = (actionsByChannel[row.channel] ?? 0) + row.count;
  }
  const changes = new Map<string, number>();
  for (const change of [...report.standing, ...paid.standing]) {
    if (change.subjectKind !== "customer") continue;
    const key = `${change.from}→${change.to}`;
    changes.set(key, (changes.get(key) ?? 0) + change.count);
  }
  return {
    date: report.date,
    actionsByChannel,
    skipped,
    standingChanges: [...changes].map(([key, count]) => {
      const [from, to] = key.split("→") as [string, string];
      return { from, to, count };
    }),
    payments: paid.count,
    paidCents: paid.cents,
    overdueCents,
  };
}
