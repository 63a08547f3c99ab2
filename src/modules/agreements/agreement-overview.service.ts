import type { Executor } from "../../db/database.ts";
import type { IsoDate } from "../../domain/dates.ts";
import { findCustomerById } from "../customers/customer.repository.ts";
import { OpenInvoices } from "../open-debt/open-debt.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { findAgreementPayments } from "./agreement.repository.ts";
import { getAgreement } from "./agreement.service.ts";
import type { Agreement, AgreementOverview } from "./agreement.ts";

/**
 * The agreement page's read (GET /v1/agreements/{id}/overview), null when the tenant has no such
 * agreement. What an open installment costs today comes from the open-debt read model, as on the
 * customer page and in the portal; nothing here computes an amount.
 */
export async function getAgreementOverview(
  db: Executor,
  tenant: Tenant,
  id: string,
  today: IsoDate,
): Promise<AgreementOverview | null> {
  const agreement = await getAgreement(db, tenant.id, id);
  if (!agreement) return null;
  const [customer, creator, payments, owed] = await Promise.all([
    findCustomerById(db, tenant.id, agreement.customerId),
    creatorOf(db, tenant.id, agreement.createdBy),
    findAgreementPayments(db, tenant.id, id),
    OpenInvoices.load(
      db,
      tenant,
      agreement.installments.map((installment) => installment.invoiceId),
    ),
  ]);
  return {
    asOf: today,
    timeZone: tenant.timeZone,
    agreement,
    customer: { id: agreement.customerId, name: customer?.name ?? "" },
    createdBy: creator,
    history: historyOf(agreement),
    installments: agreement.installments.map((installment) => {
      const ofToday = installment.status === "open" ? owed.owedOn(installment.invoiceId, today) : null;
      return {
        ...installment,
        todayCents: ofToday ? ofToday.totalDueCents : null,
        daysOverdue: ofToday ? ofToday.daysOverdue : 0,
      };
    }),
    payments: payments.map((payment) => ({
      paymentId: payment.payment_id,
      paidAt: payment.paid_at,
      amountCents: Number(payment.amount_cents),
      method: payment.method,
      installmentNumber: payment.installment_number,
      originalInvoiceExternalId: payment.original_external_id,
    })),
  };
}

/**
 * The statuses the agreement went through, from what its row records: proposed when made, active
 * on the first payment, then how it ended (completed, lapsed, broken, cancelled) with the reason.
 */
function historyOf(agreement: Agreement): AgreementOverview["history"] {
  const history: AgreementOverview["history"] = [
    { status: "proposed", at: agreement.createdAt, reason: null },
  ];
  if (agreement.activatedAt) history.push({ status: "active", at: agreement.activatedAt, reason: null });
  if (agreement.endedAt && agreement.status !== "proposed" && agreement.status !== "active") {
    history.push({ status: agreement.status, at: agreement.endedAt, reason: agreement.endReason });
  }
  return history;
}

/** Who made it, by name when an operator did ('operator:<id>', 'api_key:<id>', 'portal:<customer>'). */
async function creatorOf(
  db: Executor,
  tenantId: string,
  createdBy: string,
): Promise<AgreementOverview["createdBy"]> {
  const [kind, id] = createdBy.split(":", 2);
  if (kind === "operator" && id) {
    const operator = await db
      .selectFrom("operators")
      .select(["name", "email"])
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .executeTakeFirst();
    return { kind: "operator", name: operator ? operator.name || operator.email : null };
  }
  if (kind === "api_key" || kind === "portal") return { kind, name: null };
  return { kind: "other", name: null };
}
