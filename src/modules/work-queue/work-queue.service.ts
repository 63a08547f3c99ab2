import type { Executor } from "../../db/database.ts";
import { todayIn } from "../../domain/dates.ts";
import { reasonText } from "../../i18n/pt-BR/effectiveness.ts";
import type { Clock } from "../../shared/clock.ts";
import { validationError } from "../../shared/errors.ts";
import { MAX_SELECTION } from "../messages/batch-send.ts";
import { overdueCutoffOf } from "../open-debt/open-debt.service.ts";
import { decideCustomerStandings, decidedStandingsRelation } from "../standing/standing.service.ts";
import type { Tenant } from "../tenants/tenant.ts";
import {
  type CustomerOverviewRow,
  findCustomerOverviewPage,
  findWorkQueue,
} from "./work-queue.repository.ts";
import type {
  CustomerOverview,
  CustomerSelection,
  TCustomerOverviewQuery,
  TCustomerSelectionQuery,
  WorkQueueEntry,
} from "./work-queue.ts";

/** Today's work queue of the tenant, most urgent customer first (see ORDER and PRIORITY). */
export async function workQueue(
  db: Executor,
  tenant: Tenant,
  limit: number,
  clock: Clock,
): Promise<{ asOf: string; data: WorkQueueEntry[] }> {
  const today = todayIn(tenant.timeZone, clock.now());
  const rows = await findWorkQueue(db, tenant.id, today, overdueCutoffOf(tenant, today), limit);
  return {
    asOf: today,
    data: rows.map((row) => ({
      customerId: row.customer_id,
      externalId: row.external_id,
      name: row.name,
      overdueCents: Number(row.overdue_cents),
      overdueInvoices: row.overdue_invoices,
      daysOverdue: row.days_overdue,
      promise: row.promised_on
        ? {
            promisedOn: row.promised_on,
            promisedCents: row.promised_cents === null ? null : Number(row.promised_cents),
          }
        : null,
      openTasks: row.open_tasks,
      score: row.score,
      scoreParts: {
        amount: row.amount_points,
        days: row.days_points,
        promise: row.promise_points,
        tasks: row.task_points,
      },
      priority:
        row.expected_cents === null
          ? { basis: "points", expectedRecoveryCents: null, probability: null, reasons: [] }
          : {
              basis: "expected_recovery",
              expectedRecoveryCents: Number(row.expected_cents),
              probability: row.probability === null ? null : Number(row.probability),
              reasons: (row.reasons ?? []).map((code) => ({ code, text: reasonText(code) })),
            },
    })),
  };
}

export function customerOverviewFromRow(row: CustomerOverviewRow): CustomerOverview {
  return {
    id: row.id,
    externalId: row.external_id,
    name: row.name,
    document: row.document,
    tags: row.tags,
    standing: row.standing ?? "ok",
    overdueCents: Number(row.overdue_cents),
    overdueInvoices: row.overdue_invoices,
    daysOverdue: row.days_overdue,
    groups: row.groups,
  };
}

export async function customerOverviewPage(
  db: Executor,
  tenant: Tenant,
  filter: TCustomerOverviewQuery,
  options: { limit: number; afterExternalId?: string },
  clock: Clock,
): Promise<CustomerOverviewRow[]> {
  if (
    filter.minDaysOverdue !== undefined &&
    filter.maxDaysOverdue !== undefined &&
    filter.minDaysOverdue > filter.maxDaysOverdue
  ) {
    throw validationError("maxDaysOverdue", "maxDaysOverdue: deve ser maior ou igual a minDaysOverdue");
  }
  const today = todayIn(tenant.timeZone, clock.now());
  const cutoff = overdueCutoffOf(tenant, today);
  // the standing word is the one rule's decision (the customer page's, the banner's), never a stale
  // record: filtering by it decides over the tenant; a plain page decides for its own customers
  if (filter.standing) {
    const decided = await decidedStandingsRelation(db, tenant, today);
    return findCustomerOverviewPage(db, tenant.id, today, cutoff, filter, options, decided);
  }
  const rows = await findCustomerOverviewPage(db, tenant.id, today, cutoff, filter, options, null);
  const standings = await decideCustomerStandings(
    db,
    tenant,
    rows.map((row) => row.id),
    today,
  );
  return rows.map((row) => ({ ...row, standing: standings.get(row.id) ?? "ok" }));
}

/**
 * Every customer the list's filters match — "select all N" — resolved here by the list's own
 * query, never from the page the browser loaded; at most one selection's worth (MAX_SELECTION).
 */
export async function customerSelection(
  db: Executor,
  tenant: Tenant,
  filter: TCustomerSelectionQuery,
  clock: Clock,
): Promise<CustomerSelection> {
  const rows = await customerOverviewPage(
    db,
    tenant,
    { ...filter, limit: MAX_SELECTION + 1 },
    { limit: MAX_SELECTION + 1 },
    clock,
  );
  const customerIds = rows.slice(0, MAX_SELECTION).map((row) => row.id);
  return { count: customerIds.length, customerIds, more: rows.length > MAX_SELECTION };
}
