import type { Kysely, Transaction } from "kysely";
import { sql } from "kysely";
import type { Database } from "../../db/database.ts";
import { todayIn } from "../../domain/dates.ts";
import type { Clock } from "../../shared/clock.ts";
import { recordBureauSettlements } from "../groups/group.service.ts";
import { invoiceFromRow, refreshSettlements } from "../invoices/invoice.service.ts";
import { paymentFromRow } from "../payments/payment.service.ts";
import type { PaymentRow } from "../payments/payment.table.ts";
import { recordPaymentAndSettle } from "../payments/payment-effects.service.ts";
import { applyStanding, refreshStandingForCustomer } from "../standing/standing.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { publishEvents } from "../webhooks/webhook.service.ts";

/**
 * THE one place where bank files pay invoices: every payment a return file applies goes through
 * here, and only the payments use case settles (src/modules/payments). When the payments use case
 * offers one batch entry, this file is what points at it.
 *
 * Payments on invoices an agreement speaks for (originals of an agreement in force, installments)
 * go one by one through `recordPaymentAndSettle`, which routes them where the agreement says, each
 * in its own transaction once the file's is committed (`settleAgreementPayments`; idempotent by the
 * payment's external id, so running it again changes nothing). The rest — nearly all of a bank's file — are recorded in one statement and settled with the same
 * homes that use case calls: `refreshSettlements` (CC art. 354), standing, the bureau removal
 * deadline and `invoice.paid` in the outbox.
 */
export async function settleBankPayments(
  trx: Transaction<Database>,
  tenant: Tenant,
  fileId: string,
  clock: Clock,
): Promise<void> {
  const now = clock.now();
  const inserted = await sql<PaymentRow>`
    insert into payments (tenant_id, external_id, invoice_id, invoice_external_id, amount_cents, method, paid_at)
    select r.tenant_id, 'cnab:' || r.idempotency_key, r.invoice_id, i.external_id, r.paid_cents, 'boleto',
           (coalesce(r.occurred_on, r.credited_on)::timestamp + interval '12 hours') at time zone ${tenant.timeZone}
    from bank_file_records r join invoices i on i.tenant_id = r.tenant_id and i.id = r.invoice_id
    where r.tenant_id = ${tenant.id} and r.file_id = ${fileId} and r.outcome = 'applied' and r.event = 'paid'
      and not ${viaAgreement}
    on conflict (tenant_id, external_id) do nothing
    returning *`.execute(trx);
  const payments = inserted.rows;
  if (payments.length === 0) return;
  const invoiceIds = payments.map((payment) => payment.invoice_id!);
  await refreshSettlements(trx, tenant, invoiceIds);
  const settled = await settledInvoices(trx, tenant.id, invoiceIds);
  const today = todayIn(tenant.timeZone, now);
  await refreshStanding(trx, tenant, [...new Set(settled.map((row) => row.customer_id))], today, now);
  // the bureau's removal deadline runs from each payment's day
  const customersByDay = new Map<string, Set<string>>();
  const customerOf = new Map(settled.map((row) => [row.id, row.customer_id]));
  for (const payment of payments) {
    const day = todayIn(tenant.timeZone, payment.paid_at);
    const set = customersByDay.get(day) ?? new Set<string>();
    set.add(customerOf.get(payment.invoice_id!)!);
    customersByDay.set(day, set);
  }
  for (const [day, customers] of customersByDay)
    await recordBureauSettlements(trx, tenant, [...customers], day, today);
  const paymentOf = new Map(payments.map((payment) => [payment.invoice_id!, payment]));
  await publishEvents(
    trx,
    settled
      .filter((row) => row.status === "paid")
      .map((row) => ({
        tenantId: tenant.id,
        type: "invoice.paid",
        customerId: row.customer_id,
        data: { invoice: invoiceFromRow(row), payment: paymentFromRow(paymentOf.get(row.id)!) },
        occurredAt: now,
      })),
  );
}

/** An invoice an agreement speaks for: an original of one in force, or an installment. */
const viaAgreement = sql<boolean>`(
  exists (select 1 from agreement_invoices ai join agreements a on a.tenant_id = ai.tenant_id and a.id = ai.agreement_id
          where ai.tenant_id = r.tenant_id and ai.invoice_id = r.invoice_id and a.status in ('proposed', 'active'))
  or exists (select 1 from agreement_installments inst where inst.tenant_id = r.tenant_id and inst.invoice_id = r.invoice_id))`;

/** After the file's transaction: the payments on invoices an agreement speaks for, one by one. */
export async function settleAgreementPayments(
  db: Kysely<Database>,
  tenant: Tenant,
  fileId: string,
  clock: Clock,
): Promise<void> {
  const rows = await sql<{ idempotency_key: string; invoice_id: string; paid_cents: string; paid_at: Date }>`
    select r.idempotency_key, r.invoice_id, r.paid_cents,
           (coalesce(r.occurred_on, r.credited_on)::timestamp + interval '12 hours') at time zone ${tenant.timeZone} as paid_at
    from bank_file_records r
    where r.tenant_id = ${tenant.id} and r.file_id = ${fileId} and r.outcome = 'applied' and r.event = 'paid'
      and ${viaAgreement}
    order by r.line`.execute(db);
  for (const row of rows.rows) {
    await settleOneBankPayment(
      db,
      tenant,
      {
        externalId: `cnab:${row.idempotency_key}`,
        invoiceId: row.invoice_id,
        amountCents: Number(row.paid_cents),
        paidAt: new Date(row.paid_at),
      },
      clock,
    );
  }
}

/**
 * One bank payment through the payments use case, whole (settlement, standing, agreements,
 * events): the agreement path above and the reconciliation queue's decisions.
 */
export function settleOneBankPayment(
  db: Kysely<Database>,
  tenant: Tenant,
  payment: { externalId: string; invoiceId: string; amountCents: number; paidAt: Date },
  clock: Clock,
) {
  return recordPaymentAndSettle(db, tenant, { ...payment, method: "boleto" }, clock);
}

async function settledInvoices(trx: Transaction<Database>, tenantId: string, ids: string[]) {
  const rows = [];
  for (let start = 0; start < ids.length; start += 5000) {
    rows.push(
      ...(await trx
        .selectFrom("invoices")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("id", "in", ids.slice(start, start + 5000))
        .execute()),
    );
  }
  return rows;
}

/** A few customers are re-evaluated one by one; a bank's whole day at once, in one statement. */
async function refreshStanding(
  trx: Transaction<Database>,
  tenant: Tenant,
  customerIds: string[],
  today: string,
  now: Date,
): Promise<void> {
  if (customerIds.length <= 50) {
    for (const customerId of customerIds)
      await refreshStandingForCustomer(trx, tenant.id, customerId, today, now);
    return;
  }
  await applyStanding(trx, tenant, today, { now });
}
