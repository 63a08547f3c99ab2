import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import { daysBetween, type IsoDate } from "../../domain/dates.ts";
import { notFound } from "../../shared/errors.ts";
import { findCustomerById } from "../customers/customer.repository.ts";
import { getCustomer } from "../customers/customer.service.ts";
import { findInvoicesOfCustomer } from "../invoices/invoice.repository.ts";
import { amountDue, SettlementLoader } from "../invoices/invoice.service.ts";
import { getCustomerStanding } from "../standing/standing.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import { findActivePause, findAgreementsOfCustomer } from "./customer-view.repository.ts";
import { findTimeline } from "./timeline.repository.ts";

/**
 * What the customer view shows at the top: the profile with contacts and consents, standing and
 * pause, the badges, the invoices with what each one is owed today (fine and interest included,
 * CDC art. 52 and Lei 7.089/1983 via amountDue) and the agreements.
 */
export async function getCustomerOverview(
  db: Kysely<Database>,
  tenant: Tenant,
  customerId: string,
  today: IsoDate,
) {
  const row = await findCustomerById(db, tenant.id, customerId);
  if (!row) throw notFound("Cliente", customerId);
  const [customer, standings, pause, invoiceRows, agreements] = await Promise.all([
    getCustomer(db, tenant.id, customerId),
    getCustomerStanding(db, tenant.id, customerId),
    findActivePause(db, tenant.id, customerId, today),
    findInvoicesOfCustomer(db, tenant.id, customerId),
    findAgreementsOfCustomer(db, tenant.id, customerId),
  ]);
  const open = invoiceRows.filter((invoice) => invoice.status === "open");
  const contexts = await new SettlementLoader(tenant).load(
    db,
    open.map((invoice) => invoice.id),
  );
  // newest due date first: what is owed now comes before the history
  const invoices = [...invoiceRows].reverse().map((invoice) => {
    const context = contexts.get(invoice.id)?.context;
    const due = context ? amountDue(context, today) : null;
    const outstanding =
      invoice.status === "open" ? Math.max(invoice.amount_cents - invoice.paid_cents, 0) : 0;
    return {
      id: invoice.id,
      externalId: invoice.external_id,
      description: invoice.description,
      issueDate: invoice.issue_date,
      dueDate: invoice.due_date,
      status: invoice.status,
      amountCents: invoice.amount_cents,
      paidCents: invoice.paid_cents,
      daysOverdue: outstanding > 0 && invoice.due_date < today ? daysBetween(invoice.due_date, today) : 0,
      today: due
        ? {
            outstandingPrincipalCents: due.outstandingPrincipalCents,
            fineCents: due.fineCents,
            interestCents: due.interestCents,
            totalDueCents: due.totalDueCents,
          }
        : null,
    };
  });
  const overdue = invoices.filter((invoice) => invoice.daysOverdue > 0);
  const openCents = open.reduce(
    (sum, invoice) => sum + Math.max(invoice.amount_cents - invoice.paid_cents, 0),
    0,
  );
  const creditLimitCents = row.credit_limit_cents;
  return {
    asOf: today,
    /** the tenant's time zone: instants (consents, opt-outs, agreements) are shown as its dates */
    timeZone: tenant.timeZone,
    customer: { ...customer, creditLimitCents, anonymizedAt: row.anonymized_at },
    standing: standings[0] ?? null,
    pause: pause
      ? { id: pause.id, until: pause.until!, reason: pause.reason, createdAt: pause.created_at }
      : null,
    badges: {
      overdueInvoices: overdue.length,
      overdueCents: overdue.reduce(
        (sum, invoice) => sum + (invoice.today?.outstandingPrincipalCents ?? 0),
        0,
      ),
      openCents,
      totalDueTodayCents: invoices.reduce((sum, invoice) => sum + (invoice.today?.totalDueCents ?? 0), 0),
      creditLimitExceeded: creditLimitCents !== null && openCents > creditLimitCents,
    },
    invoices,
    agreements: agreements.map((agreement) => ({
      id: agreement.id,
      status: agreement.status,
      totalCents: agreement.total_cents,
      concessionCents: agreement.concession_cents,
      createdAt: agreement.created_at,
    })),
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
