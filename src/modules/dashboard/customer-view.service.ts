import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import type { IsoDate } from "../../domain/dates.ts";
import { notFound } from "../../shared/errors.ts";
import { findCustomerById } from "../customers/customer.repository.ts";
import { getCustomer } from "../customers/customer.service.ts";
import { findInvoicesOfCustomer } from "../invoices/invoice.repository.ts";
import { getOpenDebt } from "../open-debt/open-debt.service.ts";
import {
  type DecidedStanding,
  decideCustomerStanding,
  getCustomerStanding,
  type SubjectStanding,
} from "../standing/standing.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import {
  findActivePause,
  findAgreementsOfCustomer,
  findInstallmentsOfCustomer,
} from "./customer-view.repository.ts";
import { findTimeline } from "./timeline.repository.ts";

/**
 * What the customer view shows at the top: the profile with contacts and consents, the standing the
 * one rule decides today (the banner's and the portal's), pause, the badges, the invoices with what
 * each one is owed today (the open-debt read model: fine and interest included, an original an
 * agreement replaced marked and not owed directly) and the agreements.
 */
export async function getCustomerOverview(
  db: Kysely<Database>,
  tenant: Tenant,
  customerId: string,
  today: IsoDate,
) {
  const row = await findCustomerById(db, tenant.id, customerId);
  if (!row) throw notFound("Cliente", customerId);
  const [customer, standings, decided, pause, invoiceRows, agreements, debt, installments] =
    await Promise.all([
      getCustomer(db, tenant.id, customerId),
      getCustomerStanding(db, tenant.id, customerId),
      decideCustomerStanding(db, tenant, customerId, today),
      findActivePause(db, tenant.id, customerId, today),
      findInvoicesOfCustomer(db, tenant.id, customerId),
      findAgreementsOfCustomer(db, tenant.id, customerId),
      getOpenDebt(db, tenant, customerId, today),
      findInstallmentsOfCustomer(db, tenant.id, customerId),
    ]);
  const installmentOf = new Map(installments.map((row) => [row.invoice_id, row]));
  const owedToday = new Map(debt.invoices.map((invoice) => [invoice.id, invoice]));
  // newest due date first: what is owed now comes before the history
  const invoices = [...invoiceRows].reverse().map((invoice) => {
    const open = owedToday.get(invoice.id);
    return {
      id: invoice.id,
      externalId: invoice.external_id,
      description: invoice.description,
      issueDate: invoice.issue_date,
      dueDate: invoice.due_date,
      status: invoice.status,
      amountCents: invoice.amount_cents,
      paidCents: invoice.paid_cents,
      daysOverdue: open?.daysOverdue ?? 0,
      /** The agreement in force that replaced it: shown "Em acordo", its installments are owed. */
      agreement: open?.coveredBy ?? null,
      /** The agreement this invoice is a payment of ("Acordo nº 12 — parcela 2/3"). */
      installment: installmentLabelOf(installmentOf.get(invoice.id)),
      owed: open?.owed ?? false,
      today: open
        ? {
            outstandingPrincipalCents: open.outstandingPrincipalCents,
            fineCents: open.fineCents,
            interestCents: open.interestCents,
            totalDueCents: open.totalDueCents,
          }
        : null,
    };
  });
  const creditLimitCents = row.credit_limit_cents;
  return {
    asOf: today,
    /** the tenant's time zone: instants (consents, opt-outs, agreements) are shown as its dates */
    timeZone: tenant.timeZone,
    customer: { ...customer, creditLimitCents, anonymizedAt: row.anonymized_at },
    standing: standingShown(standings[0] ?? null, decided[0] ?? null, today),
    pause: pause
      ? { id: pause.id, until: pause.until!, reason: pause.reason, createdAt: pause.created_at }
      : null,
    badges: {
      overdueInvoices: debt.totals.overdueInvoices,
      overdueCents: debt.totals.overdueCents,
      openCents: debt.totals.owedBalanceCents,
      totalDueTodayCents: debt.totals.owedCents,
      creditLimitExceeded: creditLimitCents !== null && debt.totals.owedBalanceCents > creditLimitCents,
    },
    invoices,
    agreements: agreements.map((agreement) => ({
      id: agreement.id,
      number: agreement.number,
      status: agreement.status,
      totalCents: agreement.total_cents,
      concessionCents: agreement.concession_cents,
      createdAt: agreement.created_at,
    })),
  };
}

function installmentLabelOf(
  row: { agreement_id: string; agreement_number: number; number: number; count: number } | undefined,
) {
  return row
    ? {
        agreementId: row.agreement_id,
        agreementNumber: row.agreement_number,
        number: row.number,
        count: row.count,
      }
    : null;
}

/** Today's decided standing; the recorded since and reason while they still hold. */
function standingShown(recorded: SubjectStanding | null, decided: DecidedStanding | null, today: IsoDate) {
  if (!decided) return recorded;
  if (recorded && recorded.standing === decided.standing)
    return { ...recorded, daysOverdue: decided.daysOverdue };
  return {
    subjectKind: "customer" as const,
    subjectId: decided.subjectId,
    standing: decided.standing,
    since: today,
    reason: decided.reason,
    daysOverdue: decided.daysOverdue,
  };
}

export type CustomerOverview = Awaited<ReturnType<typeof getCustomerOverview>>;

/** A page of the customer's timeline (timeline.repository.ts), newest first. */
export async function getTimelinePage(
  db: Kysely<Database>,
  tenantId: string,
  customerId: string,
  page: { limit: number; before?: { atMicros: number; kind: string; id: string } },
) {
  if (!(await findCustomerById(db, tenantId, customerId))) throw notFound("Cliente", customerId);
  return findTimeline(db, tenantId, customerId, page);
}
