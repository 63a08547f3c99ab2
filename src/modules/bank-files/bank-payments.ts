import type { Kysely, Transaction } from "kysely";
import { sql } from "kysely";
import type { Database } from "../../db/database.ts";
import { withHashJoins, withSortMemory } from "../../db/transaction.ts";
import type { Clock } from "../../shared/clock.ts";
import { stepTimer } from "../../shared/step-timings.ts";
import type { InvoiceStatus } from "../invoices/invoice.table.ts";
import { settlePayment } from "../payments/payment.service.ts";
import type { PaymentRow } from "../payments/payment.table.ts";
import {
  applyPaymentEffects,
  type LockedInvoice,
  type RecordedPayment,
} from "../payments/payment-effects.service.ts";
import type { Tenant } from "../tenants/tenant.ts";

/**
 * THE one place where bank files pay invoices. A return file's payments are written in one
 * statement (idempotent by `cnab:<record key>`: importing the file again writes nothing) and settled
 * by the payments use case's effects in the file's transaction (applyPaymentEffects: agreements,
 * Código Civil art. 354, the régua stopped, standing restored, the bureau's removal deadline and
 * `invoice.paid` in the outbox) — the same effects as a payment from the API, a CSV or Pix.
 */
export async function settleBankPayments(
  trx: Transaction<Database>,
  tenant: Tenant,
  fileId: string,
  clock: Clock,
): Promise<void> {
  const now = clock.now();
  const timer = stepTimer("bank payments");
  // A file's worth of rows: hash joins and a sort in memory (see withHashJoins). The invoices are
  // locked for the settlement here, in id order as lockInvoicesOfPayments does, while the
  // payments are written, and handed to the effects as locked, which then lock nothing again (a
  // pass of their own logged a lock for each invoice and a full image of each page; locking rows
  // already held still read a file's worth of them).
  const inserted = await withHashJoins(trx, () =>
    sql<PaymentWithLockedInvoice>`
    with paying as (
      select tenant_id, invoice_id, line, idempotency_key, paid_cents, occurred_on, credited_on
      from bank_file_records
      where tenant_id = ${tenant.id} and file_id = ${fileId} and outcome = 'applied' and event = 'paid'
    ), locked as materialized (
      select i.id, i.external_id, i.status, i.customer_id from invoices i
      where i.tenant_id = ${tenant.id} and i.id in (select invoice_id from paying)
      order by i.id
      for update of i
    ), inserted as (
      insert into payments (tenant_id, external_id, invoice_id, invoice_external_id, amount_cents, method, paid_at,
        source)
      select r.tenant_id, 'cnab:' || r.idempotency_key, r.invoice_id, l.external_id, r.paid_cents, 'boleto',
             (coalesce(r.occurred_on, r.credited_on)::timestamp + interval '12 hours') at time zone ${tenant.timeZone},
             'bank_file'
      from paying r join locked l on l.id = r.invoice_id
      order by r.line
      on conflict (tenant_id, external_id) do nothing
      returning *
    )
    select p.*, l.status as locked_status, l.customer_id as locked_customer_id
    from inserted p join locked l on l.id = p.invoice_id`.execute(trx),
  );
  const payments: RecordedPayment[] = [];
  const locked = new Map<string, LockedInvoice>();
  for (const { locked_status: status, locked_customer_id: customerId, ...payment } of inserted.rows) {
    payments.push(payment as RecordedPayment);
    locked.set(payment.invoice_id!, { id: payment.invoice_id!, status, customer_id: customerId });
  }
  timer.step("insert payments");
  // a file's worth of invoices hashed and events sorted by the effects: in memory (withSortMemory)
  await withSortMemory(trx, () => applyPaymentEffects(trx, tenant, payments, now, [...locked.values()]));
}

/** A payment the file recorded, with its invoice as the statement locked it. */
type PaymentWithLockedInvoice = PaymentRow & { locked_status: InvoiceStatus; locked_customer_id: string };

/** One bank payment through the payments use case, whole: the reconciliation queue's decisions. */
export function settleOneBankPayment(
  db: Kysely<Database>,
  tenant: Tenant,
  payment: { externalId: string; invoiceId: string; amountCents: number; paidAt: Date },
  clock: Clock,
) {
  const { externalId, ...rest } = payment;
  return settlePayment(
    db,
    tenant,
    { ...rest, method: "boleto", source: "bank_file", idempotencyKey: externalId },
    clock.now(),
  );
}
