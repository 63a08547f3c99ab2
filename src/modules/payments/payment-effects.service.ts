import type { Executor } from "../../db/database.ts";
import { todayIn } from "../../domain/dates.ts";
import { stepTimer } from "../../shared/step-timings.ts";
import {
  applyAgreementLifecycle,
  applyInstallmentPayment,
  applyPaymentToAgreement,
  type PaymentToAgreement,
} from "../agreements/agreement.service.ts";
import { recordBureauSettlements } from "../groups/group.service.ts";
import { invoiceFromRow, refreshSettlements } from "../invoices/invoice.service.ts";
import type { InvoiceRow } from "../invoices/invoice.table.ts";
import { refreshStandingForCustomers, type StandingChange } from "../standing/standing.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { publishEvents } from "../webhooks/webhook.service.ts";
import {
  findInvoicesConcerningAgreements,
  findInvoicesOfPayments,
  lockInvoicesOfPayments,
  stopReguaOfSettledInvoices,
} from "./payment.repository.ts";
import type { PaymentRow } from "./payment.table.ts";
import { paymentFromRow } from "./payment.ts";

/** A payment just written with its invoice found: what applyPaymentEffects settles. */
export type RecordedPayment = PaymentRow & { invoice_id: string };

/** A payment's invoice as its caller locked it (`for update`, in id order, in this transaction). */
export type LockedInvoice = Pick<InvoiceRow, "id" | "status" | "customer_id">;

export interface PaymentEffects {
  /** per payment id, what an agreement did with it (see applyPaymentToAgreement) */
  agreements: Map<string, PaymentToAgreement>;
  /** invoices these payments left paid (one `invoice.paid` event each) */
  paidInvoiceIds: string[];
  /** planned steps of the régua cancelled because their invoice is settled */
  stoppedActions: number;
  standing: StandingChange[];
}

/**
 * What a payment settles, decided once for every path in (API, CSV, gateway, bank file, Pix), in
 * the caller's transaction, for one payment or a whole file:
 *
 * 1. a payment an agreement speaks for goes where the agreement says (applyPaymentToAgreement);
 * 2. the invoices settle: interest and fine first, then principal (Código Civil art. 354);
 * 3. an agreement's first installment paid activates it, the last completes it;
 * 4. the régua stops for every settled invoice: its planned steps are skipped ('paid');
 * 5. the customers' standing is re-evaluated at once (a suspended customer who paid is restored,
 *    with `customer.standing_changed`), and a bureau listing gets its removal deadline;
 * 6. `invoice.paid` goes to the outbox for each invoice that became paid.
 *
 * The planner, for its part, never plans a step for an invoice that is not open.
 */
export async function applyPaymentEffects(
  trx: Executor,
  tenant: Tenant,
  payments: RecordedPayment[],
  now: Date,
  /** the payments' invoices, when the caller locked them already: a file's worth is locked once */
  locked?: LockedInvoice[],
): Promise<PaymentEffects> {
  const effects: PaymentEffects = {
    agreements: new Map(),
    paidInvoiceIds: [],
    stoppedActions: 0,
    standing: [],
  };
  if (payments.length === 0) return effects;
  const timer = stepTimer("payment effects");
  const today = todayIn(tenant.timeZone, now);
  const invoiceIds = [...new Set(payments.map((payment) => payment.invoice_id))];
  const before = new Map(
    (locked ?? (await lockInvoicesOfPayments(trx, tenant.id, invoiceIds))).map((row) => [row.id, row]),
  );
  const concerned = await findInvoicesConcerningAgreements(trx, tenant.id, invoiceIds);
  timer.step("lock invoices");

  for (const payment of payments) {
    const invoice = before.get(payment.invoice_id);
    if (!invoice || !concerned.has(payment.invoice_id)) continue;
    const outcome = await applyPaymentToAgreement(trx, tenant, payment, invoice, now);
    if (outcome) effects.agreements.set(payment.id, outcome);
  }
  timer.step("agreements");
  const settled = await refreshSettlements(trx, tenant, invoiceIds);
  timer.step("settle invoices");
  await moveAgreements(trx, tenant, payments, concerned, effects.agreements, today, now);
  const changed = await changedInvoices(trx, tenant.id, settled, concerned);
  timer.step("read settled invoices");
  effects.stoppedActions = await stopReguaOfSettledInvoices(trx, tenant.id, invoiceIds, now);
  timer.step("stop the régua");
  const invoices = [...before.values()];
  const customerIds = [...new Set(invoices.map((invoice) => invoice.customer_id))];
  effects.standing = await refreshStandingForCustomers(trx, tenant.id, customerIds, today, now);
  timer.step("standing");
  await recordBureauRemovals(trx, tenant, payments, invoices, today);
  timer.step("bureau removals");

  const lastPaymentOf = new Map(payments.map((payment) => [payment.invoice_id, payment]));
  const paid = changed.filter(
    (invoice) => invoice.status === "paid" && before.get(invoice.id)?.status !== "paid",
  );
  effects.paidInvoiceIds = paid.map((invoice) => invoice.id);
  await publishEvents(
    trx,
    (function* () {
      for (const invoice of paid)
        yield {
          tenantId: tenant.id,
          type: "invoice.paid",
          customerId: invoice.customer_id,
          data: { invoice: invoiceFromRow(invoice), payment: paymentOrNull(lastPaymentOf.get(invoice.id)) },
          occurredAt: now,
        };
    })(),
  );
  timer.step("invoice.paid events");
  return effects;
}

/**
 * The payments' invoices whose settlement changed, as they are now: the rows the settlement wrote,
 * and those an agreement speaks for read again (its rules may have moved them after). An invoice
 * in neither did not change, so it cannot have become paid.
 */
async function changedInvoices(
  trx: Executor,
  tenantId: string,
  settled: InvoiceRow[],
  concerned: Set<string>,
): Promise<InvoiceRow[]> {
  if (concerned.size === 0) return settled;
  const reread = await findInvoicesOfPayments(trx, tenantId, [...concerned]);
  const rereadIds = new Set(reread.map((invoice) => invoice.id));
  return [...settled.filter((invoice) => !rereadIds.has(invoice.id)), ...reread];
}

/** The agreements the payments moved: credited ones re-evaluated, paid installments applied. */
async function moveAgreements(
  trx: Executor,
  tenant: Tenant,
  payments: RecordedPayment[],
  concerned: Set<string>,
  outcomes: Map<string, PaymentToAgreement>,
  today: string,
  now: Date,
): Promise<void> {
  const credited = new Set<string>();
  const installments = new Set<string>();
  for (const payment of payments) {
    const outcome = outcomes.get(payment.id);
    if (outcome?.outcome === "credited") credited.add(outcome.agreementId);
    else if (concerned.has(payment.invoice_id)) installments.add(payment.invoice_id);
  }
  for (const agreementId of credited) await applyAgreementLifecycle(trx, tenant, today, now, agreementId);
  for (const invoiceId of installments) await applyInstallmentPayment(trx, tenant, invoiceId, now);
}

/**
 * Debtors listed with a credit bureau who owe nothing overdue any more: the removal falls due
 * counting from the day they paid (their latest payment here, in the tenant's time zone).
 */
async function recordBureauRemovals(
  trx: Executor,
  tenant: Tenant,
  payments: RecordedPayment[],
  invoices: { id: string; customer_id: string }[],
  today: string,
): Promise<void> {
  const customerOf = new Map(invoices.map((invoice) => [invoice.id, invoice.customer_id]));
  const paidOnByCustomer = new Map<string, string>();
  // a file's payments share a handful of instants: each is turned into a day once
  const dayOf = new Map<number, string>();
  for (const payment of payments) {
    const customerId = customerOf.get(payment.invoice_id);
    if (!customerId) continue;
    const instant = payment.paid_at.getTime();
    let day = dayOf.get(instant);
    if (day === undefined) {
      day = todayIn(tenant.timeZone, payment.paid_at);
      dayOf.set(instant, day);
    }
    const known = paidOnByCustomer.get(customerId);
    if (!known || day > known) paidOnByCustomer.set(customerId, day);
  }
  const customersByDay = new Map<string, string[]>();
  for (const [customerId, day] of paidOnByCustomer) {
    const customers = customersByDay.get(day);
    if (customers) customers.push(customerId);
    else customersByDay.set(day, [customerId]);
  }
  for (const [day, customerIds] of customersByDay) {
    await recordBureauSettlements(trx, tenant, customerIds, day, today);
  }
}

function paymentOrNull(payment: RecordedPayment | undefined) {
  return payment ? paymentFromRow(payment) : null;
}
