import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import type { Clock } from "../../shared/clock.ts";
import { type PaymentReport, settlePayment } from "../payments/payment.service.ts";
import type { Tenant } from "../tenants/tenant.ts";

/**
 * The ONE place where a Pix becomes a payment: it goes through the payments use case, which
 * settles the invoice (CC art. 354), restores standing, stops the régua and emits the events in
 * its transaction (settlePayment, source pix); never settle here.
 */
export function settlePixPayment(
  db: Kysely<Database>,
  tenant: Tenant,
  input: {
    externalId: string;
    invoiceId?: string;
    invoiceExternalId?: string;
    amountCents: number;
    paidAt: Date;
  },
  clock: Clock,
): Promise<PaymentReport> {
  const { externalId, ...payment } = input;
  return settlePayment(
    db,
    tenant,
    { ...payment, method: "pix", source: "pix", idempotencyKey: externalId },
    clock.now(),
  );
}
