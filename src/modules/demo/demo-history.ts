import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/database.ts";
import { addDays, type IsoDate } from "../../domain/dates.ts";
import { FixedClock } from "../../shared/clock.ts";
import { AppError } from "../../shared/errors.ts";
import { proposeAgreement } from "../agreements/agreement.service.ts";
import type { Agreement } from "../agreements/agreement.ts";
import { runTenantDay } from "../daily-run/daily-run.service.ts";
import { RECOVERY_WEEKS } from "../dashboard/panel.ts";
import { importRows } from "../imports/import.service.ts";
import type { ImportReport } from "../imports/import.ts";
import { dispatchDue } from "../messages/dispatcher.ts";
import { followShortLink } from "../messages/message.service.ts";
import { recordPayment } from "../payments/payment.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import type { CsvRow } from "./demo.generator.ts";

/**
 * The demo's past weeks, lived through the product's own paths with the clock pinned to each day:
 * the day's run (agreements, planner, standing: `runTenantDay`, so `regua runs` lists them), the
 * dispatcher on the capture transport, the debtors who click a message's link and pay, and a few
 * who negotiate in the portal and pay the first installment. What the panel's recovery chart, the
 * reports and the timelines then show is what a tenant that has been running looks like.
 *
 * The payments are the generator's own (its payer profiles stay as documented), imported on the
 * day they were made rather than up front, so each lands after the messages the régua sent before it.
 */
export interface HistoryOptions {
  /** The first day lived (inclusive); the history stops the day before `today`. */
  from: IsoDate;
  today: IsoDate;
  /** The generator's payment rows dated on or after `from`. */
  payments: CsvRow[];
  /** Called with each day's payment import, to be added to the load's totals. */
  onImport: (report: ImportReport) => void;
}

export interface HistoryReport {
  days: number;
  messagesSent: number;
  clicks: number;
  agreements: number;
  /** Invoices those agreements issued, one per installment. */
  installments: number;
  /** Payments of agreement installments (first payments and those that fell due), through the payments use case. */
  agreementPayments: number;
}

/**
 * How many days of history `npm start` and `regua demo` live by default: half the panel's recovery
 * chart (six of its twelve weeks), a tenant six weeks into its régua. Each day costs a run, a
 * dispatch and a payments import, and `npm start` waits for them (bench/demo.bench.ts): the whole
 * chart took 64 s, past the first load's 60 s floor; `regua demo --history-days 84` fills it.
 */
export const DEMO_HISTORY_DAYS = (RECOVERY_WEEKS / 2) * 7;
/** Share (in tenths) of paying debtors who clicked the message's link before paying. */
const CLICKING_TENTHS = 6;
/** Share (in tenths) of the demo's agreements whose debtor stops paying the installments. */
const BREAKING_TENTHS = 4;
/** Debtors who negotiate in the portal during the history: one per this many customers (at least 2). */
const CUSTOMERS_PER_AGREEMENT = 100;

/**
 * The demo tenant works in São Paulo, which has kept UTC−3 all year since 2019: a wall-clock time
 * of its day as an instant.
 */
function at(date: IsoDate, time: string): Date {
  return new Date(`${date}T${time}-03:00`);
}

export async function replayHistory(
  db: Kysely<Database>,
  tenant: Tenant,
  options: HistoryOptions,
): Promise<HistoryReport> {
  const paymentsByDay = new Map<IsoDate, CsvRow[]>();
  for (const row of options.payments) {
    const day = row.paid_at!.slice(0, 10);
    const rows = paymentsByDay.get(day);
    if (rows) rows.push(row);
    else paymentsByDay.set(day, [row]);
  }
  const report: HistoryReport = {
    days: 0,
    messagesSent: 0,
    clicks: 0,
    agreements: 0,
    installments: 0,
    agreementPayments: 0,
  };
  // two weeks before today (a week into a three-week history): the agreements made are still in
  // force or just broken, whatever the history's length
  const negotiationDay = [addDays(options.from, 7), addDays(options.today, -14)].sort().at(-1)!;
  for (let date = options.from; date < options.today; date = addDays(date, 1)) {
    // the worker's run of the morning, then the dispatcher at 10:00 (inside the contact window)
    await runTenantDay(db, tenant, date, at(date, "06:00:00"));
    // no process SMTP_URL: whatever the environment says, the demo's messages are only captured
    const dispatched = await dispatchDue(
      db,
      // a replay, not a live worker: outcomes are written a hundred at a time
      { clock: new FixedClock(at(date, "10:00:00")), tenantId: tenant.id, batchSize: 500, recordEvery: 100 },
      {},
    );
    report.messagesSent += dispatched.sent;
    const payments = paymentsByDay.get(date) ?? [];
    if (payments.length > 0) {
      report.clicks += await clickBeforePaying(db, tenant, payments);
      options.onImport(
        await importRows(db, tenant, "payments", payments, { today: date, now: at(date, "22:00:00") }),
      );
    }
    report.agreementPayments += await payInstallmentsDue(db, tenant, date);
    if (date === negotiationDay) {
      const made = await negotiate(db, tenant, date, options.payments);
      report.agreements += made.length;
      report.installments += made.reduce((sum, agreement) => sum + agreement.installments.length, 0);
      report.agreementPayments += made.length;
    }
    report.days += 1;
  }
  return report;
}

/**
 * Most debtors who pay open the régua's last message first: its link is followed (the product's
 * click tracking) a quarter of an hour before the payment, when that message had left by then.
 */
async function clickBeforePaying(db: Kysely<Database>, tenant: Tenant, payments: CsvRow[]): Promise<number> {
  const clicking = payments.filter((row) => stableTenths(row.external_id!) < CLICKING_TENTHS);
  if (clicking.length === 0) return 0;
  const links = await sql<{ code: string; sent_at: Date; external_id: string }>`
    select distinct on (i.id) l.code, m.sent_at, i.external_id
    from invoices i
    join dunning_actions a on a.tenant_id = i.tenant_id and a.invoice_id = i.id
    join messages m on m.tenant_id = a.tenant_id and m.action_id = a.id
    join short_links l on l.tenant_id = m.tenant_id and l.message_id = m.id and l.kind = 'link'
    where i.tenant_id = ${tenant.id}::uuid
      and i.external_id in (${sql.join(clicking.map((row) => row.invoice_external_id!))})
      and m.state in ('sent', 'delivered') and m.sent_at is not null
    order by i.id, m.sent_at desc`.execute(db);
  const paidAt = new Map(clicking.map((row) => [row.invoice_external_id!, new Date(row.paid_at!)]));
  let clicks = 0;
  for (const link of links.rows) {
    const clickAt = new Date(paidAt.get(link.external_id)!.getTime() - 15 * 60_000);
    if (clickAt <= link.sent_at) continue;
    if (await followShortLink(db, link.code, new FixedClock(clickAt))) clicks += 1;
  }
  return clicks;
}

/**
 * A few debtors long overdue, who would not pay otherwise, accept in the portal an agreement in
 * three installments and pay the first one by Pix at once (the payments use case).
 */
async function negotiate(
  db: Kysely<Database>,
  tenant: Tenant,
  date: IsoDate,
  payments: CsvRow[],
): Promise<Agreement[]> {
  const paidLater = new Set(payments.map((row) => row.invoice_external_id!));
  const customers = await sql<{ count: number }>`
    select count(*)::int as count from customers where tenant_id = ${tenant.id}::uuid`.execute(db);
  const wanted = Math.max(2, Math.floor((customers.rows[0]?.count ?? 0) / CUSTOMERS_PER_AGREEMENT));
  const debtors = await sql<{ customer_id: string; invoice_ids: string[]; external_ids: string[] }>`
    select i.customer_id, array_agg(i.id::text order by i.due_date) as invoice_ids,
      array_agg(i.external_id order by i.due_date) as external_ids
    from invoices i
    where i.tenant_id = ${tenant.id}::uuid and i.status = 'open' and i.paid_cents = 0
      and i.due_date < ${date}::date - 30
    group by i.customer_id
    order by i.customer_id
    limit ${wanted * 3}`.execute(db);
  const made: Agreement[] = [];
  for (const debtor of debtors.rows) {
    if (made.length >= wanted) break;
    // an invoice its debtor pays later in the generator's story stays out of any agreement
    if (debtor.external_ids.some((id) => paidLater.has(id))) continue;
    const agreement = await acceptedPlan(db, tenant, debtor.customer_id, debtor.invoice_ids, date);
    if (!agreement) continue;
    const first = agreement.installments[0]!;
    const paidAt = at(date, "14:30:00");
    await recordPayment(
      db,
      tenant,
      {
        externalId: `demo-acordo-${agreement.number}-1`,
        invoiceId: first.invoiceId,
        amountCents: first.amountCents,
        method: "pix",
        paidAt,
      },
      paidAt,
    );
    made.push(agreement);
  }
  return made;
}

/**
 * The agreement a debtor accepts: three installments, or fewer when the tenant's limits (minimum
 * installment, for one) refuse three, or none when even a settlement at once is refused.
 */
async function acceptedPlan(
  db: Kysely<Database>,
  tenant: Tenant,
  customerId: string,
  invoiceIds: string[],
  date: IsoDate,
): Promise<Agreement | null> {
  for (const installments of [3, 2, 0]) {
    try {
      return await proposeAgreement(
        db,
        tenant,
        { customerId, terms: { invoiceIds, installments }, actor: { kind: "portal", customerId } },
        new FixedClock(at(date, "14:00:00")),
      );
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "validation_failed") throw error;
    }
  }
  return null;
}

/**
 * Installments of the demo's agreements due on the day, paid by Pix at noon, except by the debtors
 * who break their word (about 4 in 10: renegotiated debts break often, DOMAIN.md).
 */
async function payInstallmentsDue(db: Kysely<Database>, tenant: Tenant, date: IsoDate): Promise<number> {
  const due = await sql<{ agreement_id: string; number: number; invoice_id: string; amount_cents: number }>`
    select a.id as agreement_id, a.number, i.id as invoice_id, i.amount_cents - i.paid_cents as amount_cents
    from agreements a
    join agreement_installments ai on ai.tenant_id = a.tenant_id and ai.agreement_id = a.id
    join invoices i on i.tenant_id = ai.tenant_id and i.id = ai.invoice_id
    where a.tenant_id = ${tenant.id}::uuid and a.status in ('proposed', 'active')
      and i.status = 'open' and i.due_date = ${date}::date and i.amount_cents > i.paid_cents`.execute(db);
  let paid = 0;
  for (const installment of due.rows) {
    if (stableTenths(installment.agreement_id) < BREAKING_TENTHS) continue;
    const paidAt = at(date, "12:00:00");
    await recordPayment(
      db,
      tenant,
      {
        externalId: `demo-acordo-${installment.number}-${installment.invoice_id}`,
        invoiceId: installment.invoice_id,
        amountCents: installment.amount_cents,
        method: "pix",
        paidAt,
      },
      paidAt,
    );
    paid += 1;
  }
  return paid;
}

/** 0–9 from a text, the same on every run (which debtors click). */
function stableTenths(text: string): number {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index += 1)
    hash = Math.imul(hash ^ text.charCodeAt(index), 16777619);
  return Math.abs(hash % 10);
}
