import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import type { Clock } from "../../shared/clock.ts";
import { notFound } from "../../shared/errors.ts";
import { contractFromRow } from "../contracts/contract.service.ts";
import { messageOf } from "../customers/collection-history.ts";
import { customerFromRow } from "../customers/customer.service.ts";
import { anonymizeCustomerRows, findEverythingOfCustomer } from "../customers/lgpd.repository.ts";
import { invoiceFromRow } from "../invoices/invoice.service.ts";
import { paymentFromRow } from "../payments/payment.service.ts";

/**
 * LGPD requests of a data subject (art. 18): the export of everything held on them, and the
 * anonymisation of their personal data, which keeps invoices and payments (art. 16 I: records the
 * creditor must keep by law) but no longer says whose they were.
 * A module of its own because the export spans customers, contracts, invoices and payments: it
 * sits above them all.
 */
export async function exportCustomerData(
  db: Kysely<Database>,
  tenantId: string,
  customerId: string,
  clock: Clock,
) {
  const held = await findEverythingOfCustomer(db, tenantId, customerId);
  if (!held.customer) throw notFound("Cliente", customerId);
  return {
    exportedAt: clock.now(),
    customer: customerFromRow(held.customer, held.contacts),
    anonymizedAt: held.customer.anonymized_at,
    contracts: held.contracts.map(contractFromRow),
    invoices: held.invoices.map(invoiceFromRow),
    payments: held.payments.map(paymentFromRow),
    actions: held.actions.map((row) => ({
      id: row.id,
      invoiceId: row.invoice_id,
      stepName: row.step_name,
      channel: row.channel,
      status: row.status,
      skipReason: row.skip_reason,
      plannedOn: row.planned_on,
      sendOn: row.send_on,
      amountCents: Number(row.amount_cents),
    })),
    standings: held.standings.map((row) => ({
      subjectKind: row.subject_kind,
      subjectId: row.subject_id,
      standing: row.standing,
      since: row.since,
      reason: row.reason,
    })),
    standingHistory: held.transitions.map((row) => ({
      from: row.from_standing,
      to: row.to_standing,
      reason: row.reason,
      effectiveOn: row.effective_on,
      at: row.at,
    })),
    messages: held.messages.map(messageOf),
    events: held.events.map((row) => ({
      id: row.id,
      type: row.type,
      occurredAt: row.occurred_at,
      payload: row.payload,
    })),
  };
}

export async function anonymizeCustomer(
  db: Kysely<Database>,
  tenantId: string,
  customerId: string,
  clock: Clock,
) {
  const found = await db
    .transaction()
    .execute((trx) => anonymizeCustomerRows(trx, tenantId, customerId, clock.now()));
  if (!found) throw notFound("Cliente", customerId);
  return exportCustomerData(db, tenantId, customerId, clock);
}
