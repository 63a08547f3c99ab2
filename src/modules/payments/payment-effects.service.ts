import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import { todayIn } from "../../domain/dates.ts";
import type { Clock } from "../../shared/clock.ts";
import { applyAgreementLifecycle, applyInstallmentPayment } from "../agreements/agreement.service.ts";
import { recordBureauSettlements } from "../groups/group.service.ts";
import { refreshStandingForCustomer } from "../standing/standing.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { publishEvent } from "../webhooks/webhook.service.ts";
import { type PaymentReport, recordPayment } from "./payment.service.ts";
import type { TRecordPayment } from "./payment.ts";

/**
 * Records a payment and what follows from it: the invoice settles (billing core), the customer's
 * standing is re-evaluated at once (a suspended customer who paid is restored without waiting for
 * the night's run), a credit-bureau listing of a debtor who owes nothing overdue any more gets its
 * removal deadline, and `invoice.paid` goes to the outbox when the invoice became paid. The régua
 * stops for a paid invoice because the planner never plans steps for invoices that are not open.
 */
export async function recordPaymentAndSettle(
  db: Kysely<Database>,
  tenant: Tenant,
  input: TRecordPayment,
  clock: Clock,
): Promise<PaymentReport> {
  const now = clock.now();
  const report = await recordPayment(db, tenant, input, now);
  if (!report.created || !report.invoice) return report;
  const today = todayIn(tenant.timeZone, now);
  // an installment of an agreement: its first payment activates it, the last completes it; so
  // does a payment on an original invoice that was credited to the agreement's installments
  if (report.agreement?.outcome === "credited") {
    await applyAgreementLifecycle(db, tenant, today, now, report.agreement.agreementId);
  } else {
    await applyInstallmentPayment(db, tenant, report.invoice.id, now);
  }
  await refreshStandingForCustomer(db, tenant.id, report.invoice.customerId, today, now);
  // a debtor listed with a credit bureau who now owes nothing overdue: the removal falls due
  await recordBureauSettlements(
    db,
    tenant,
    [report.invoice.customerId],
    todayIn(tenant.timeZone, report.payment.paidAt),
    today,
  );
  if (report.invoice.status === "paid") {
    await publishEvent(db, {
      tenantId: tenant.id,
      type: "invoice.paid",
      customerId: report.invoice.customerId,
      data: { invoice: report.invoice, payment: report.payment },
      occurredAt: now,
    });
  }
  return report;
}
