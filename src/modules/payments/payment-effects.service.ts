import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import { todayIn } from "../../domain/dates.ts";
import type { Clock } from "../../shared/clock.ts";
import { refreshStandingForCustomer } from "../standing/standing.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { publishEvent } from "../webhooks/webhook.service.ts";
import { type PaymentReport, recordPayment } from "./payment.service.ts";
import type { TRecordPayment } from "./payment.ts";

/**
 * Records a payment and what follows from it: the invoice settles (billing core), the customer's
 * standing is re-evaluated at once (a suspended customer who paid is restored without waiting for
 * the night's run), and `invoice.paid` goes to the outbox when the invoice became paid. The régua
 * stops for a paid invoice because the planner never plans steps for invoices that are not open.
 */
export async function recordPaymentAndSettle(
  db: Kysely<Database>,
  tenant: Tenant,
  input: TRecordPayment,
  clock: Clock,
): Promise<PaymentReport> {
  const report = await recordPayment(db, tenant, input);
  if (!report.created || !report.invoice) return report;
  const now = clock.now();
  await refreshStandingForCustomer(
    db,
    tenant.id,
    report.invoice.customerId,
    todayIn(tenant.timeZone, now),
    now,
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
