import type { Kysely, Transaction } from "kysely";
import { sql } from "kysely";
import type { Database } from "../../db/database.ts";
import { withHashJoins, withSortMemory } from "../../db/transaction.ts";
import type { Clock } from "../../shared/clock.ts";
import { stepTimer } from "../../shared/step-timings.ts";
import { settlePayment } from "../payments/payment.service.ts";
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
  // locked for the settlement first, in id order as lockInvoicesOfPayments does, and handed to the
  // effects as locked, which then lock nothing again (a pass of their own logged a lock for each
  // invoice and a full image of each page). Locking in a statement of its own, before the insert,
  // took about a quarter off the two together: the locked rows gathered in a CTE for the insert to
  // join cost more than reading the invoices again.
  const locked = await withHashJoins(trx, () =>
    sql<LockedInvoice>`
    select i.id, i.status, i.customer_id from invoices i
    where i.tenant_id = ${tenant.id} and i.id in (
      select invoice_id from bank_file_records
      where tenant_id = ${tenant.id} and file_id = ${fileId} and outcome = 'applied' and event = 'paid')
    order by i.id
    for update of i`.execute(trx),
  );
  timer.step("lock invoices");
  const inserted = await withHashJoins(trx, () =>
    sql<RecordedPayment>`
    insert into payments (tenant_id, external_id, invoice_id, invoice_external_id, amount_cents, method, paid_at,
      source)
    select r.tenant_id, 'cnab:' || r.idempotency_key, r.invoice_id, i.external_id, r.paid_cents, 'boleto',
           (coalesce(r.occurred_on, r.credited_on)::timestamp + interval '12 hours') at time zone ${tenant.timeZone},
           'bank_file'
    from bank_file_records r
    join invoices i on i.tenant_id = r.tenant_id and i.id = r.invoice_id
    where r.tenant_id = ${tenant.id} and r.file_id = ${fileId} and r.outcome = 'applied' and r.event = 'paid'
    order by r.line
    on conflict (tenant_id, external_id) do nothing
    returning *`.execute(trx),
  );
  timer.step("insert payments");
  // a record whose payment is already there (`on conflict`) settles nothing: its invoice stays out
  const paying = new Set(inserted.rows.map((payment) => payment.invoice_id));
  const invoices = locked.rows.filter((invoice) => paying.has(invoice.id));
  // a file's worth of invoices hashed and events sorted by the effects: in memory (withSortMemory)
  await withSortMemory(trx, () => applyPaymentEffects(trx, tenant, inserted.rows, now, invoices));
}

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
