import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import { type IsoDate, todayIn } from "../../domain/dates.ts";
import { formatBrl } from "../../domain/money.ts";
import type { Standing, StandingThresholds } from "../../domain/standing.ts";
import { standing as text } from "../../i18n/pt-BR/standing.ts";
import type { Clock } from "../../shared/clock.ts";
import { payableWithDocuments, requireOpenDebt } from "../open-debt/open-debt.service.ts";
import { getTenant } from "../tenants/tenant.service.ts";
import { decideCustomerStanding } from "./standing.service.ts";

/**
 * What a creditor's login screen shows about a customer: the standing the one rule decides today
 * (standing.sql.ts), the days overdue it counts, a pt-BR message with the policy's thresholds
 * (warning after `warningDays`, blocked after `suspendedDays`) and what is owed today (the
 * open-debt read model), each invoice with a boleto and Pix for the amount of the day.
 */
export interface PendingInvoice {
  id: string;
  externalId: string;
  description: string;
  dueDate: IsoDate;
  totalDueCents: number;
  /** Boleto and Pix for `totalDueCents`, payable until `payUntil` (re-issued for the day when late). */
  typeableLine: string | null;
  pixPayload: string | null;
  payUntil: IsoDate;
}

export interface LoginStanding {
  customerId: string;
  status: Standing;
  /** true when the login screen should block access (suspended or cancelled). */
  blocked: boolean;
  daysOverdue: number;
  thresholds: { warningDays: number; suspendedDays: number };
  message: string;
  asOf: IsoDate;
  /** What the customer owes today (overdue and not yet due; invoices an agreement replaced left out). */
  amountDueCents: number;
  overdueCents: number;
  pending: PendingInvoice[];
}

const DEFAULT_THRESHOLDS: StandingThresholds = {
  warningDays: 5,
  suspendedDays: 20,
  cancelledDays: 60,
  dayKind: "calendar",
  minimumCents: 0,
};

function messageOf(
  status: Standing,
  days: number,
  thresholds: StandingThresholds,
  totalCents: number,
): string {
  const total = formatBrl(totalCents);
  switch (status) {
    case "ok":
      return days > 0 ? text.banner.okWithOverdue(total, days) : text.banner.ok;
    case "warning":
      return text.banner.warning(total, days, Math.max(thresholds.suspendedDays - days, 1));
    case "suspended":
      return text.banner.suspended(total, days);
    case "cancelled":
      return text.banner.cancelled(total);
  }
}

export async function getLoginStanding(
  db: Kysely<Database>,
  tenantId: string,
  customerId: string,
  clock: Clock,
): Promise<LoginStanding> {
  const tenant = await getTenant(db, tenantId);
  const today = todayIn(tenant.timeZone, clock.now());
  const debt = await requireOpenDebt(db, tenant, customerId, today);
  const [decided] = await decideCustomerStanding(db, tenant, customerId, today);
  const thresholds = decided?.thresholds ?? DEFAULT_THRESHOLDS;
  const status = decided?.standing ?? "ok";
  const days = decided?.daysOverdue ?? 0;
  const pending: PendingInvoice[] = payableWithDocuments(tenant, debt)
    .slice(0, 50)
    .map((invoice) => ({
      id: invoice.id,
      externalId: invoice.externalId,
      description: invoice.description,
      dueDate: invoice.dueDate,
      totalDueCents: invoice.totalDueCents,
      typeableLine: invoice.documents.typeableLine,
      pixPayload: invoice.documents.pixPayload,
      payUntil: invoice.documents.dueDate,
    }));
  return {
    customerId,
    status,
    blocked: status === "suspended" || status === "cancelled",
    daysOverdue: days,
    thresholds: { warningDays: thresholds.warningDays, suspendedDays: thresholds.suspendedDays },
    message: messageOf(status, days, thresholds, debt.totals.owedCents),
    asOf: today,
    amountDueCents: debt.totals.owedCents,
    overdueCents: debt.totals.overdueCents,
    pending,
  };
}
