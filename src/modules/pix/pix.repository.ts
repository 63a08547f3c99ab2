import { type Insertable, sql, type Updateable } from "kysely";
import type { Executor } from "../../db/database.ts";
import { openInvoicesRelation } from "../open-debt/open-debt.sql.ts";
import type {
  CobvStatus,
  PixChargeRow,
  PixChargeTable,
  PixReceivedTable,
  PixRecurrenceRow,
  PixRecurrenceTable,
  PixRecurringChargeRow,
  PixRecurringChargeTable,
  PixRefundTable,
  PixSettingsRow,
  PixSettingsTable,
} from "./pix.table.ts";

export function findPixSettings(db: Executor, tenantId: string): Promise<PixSettingsRow | undefined> {
  return db.selectFrom("pix_settings").selectAll().where("tenant_id", "=", tenantId).executeTakeFirst();
}

/**
 * The settings whose webhook URL carries this token: the token names the tenant (its route,
 * tenants/token-route.ts; null for a token made before routing, found by the token alone).
 */
export function findPixSettingsByWebhookToken(
  db: Executor,
  tenantId: string | null,
  token: string,
): Promise<PixSettingsRow | undefined> {
  return db
    .selectFrom("pix_settings")
    .selectAll()
    .$if(tenantId !== null, (query) => query.where("tenant_id", "=", tenantId!))
    .where("webhook_token", "=", token)
    .executeTakeFirst();
}

/** Writes the changed columns; the first write creates the row with a new webhook token. */
export function upsertPixSettings(
  db: Executor,
  tenantId: string,
  changes: Updateable<PixSettingsTable>,
  newWebhookToken: string,
): Promise<PixSettingsRow> {
  const values = { tenant_id: tenantId, webhook_token: newWebhookToken, ...changes };
  const query = db.insertInto("pix_settings").values(values as never);
  return (
    Object.keys(changes).length === 0
      ? query.onConflict((conflict) => conflict.column("tenant_id").doUpdateSet({ updated_at: sql`now()` }))
      : query.onConflict((conflict) =>
          conflict.column("tenant_id").doUpdateSet({ ...changes, updated_at: sql`now()` } as never),
        )
  )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function markPixSettings(
  db: Executor,
  tenantId: string,
  changes: Pick<Updateable<PixSettingsTable>, "webhook_registered_at" | "swept_until">,
): Promise<unknown> {
  return db.updateTable("pix_settings").set(changes).where("tenant_id", "=", tenantId).execute();
}

/** Every tenant with Pix configured (the worker's sweep and charge jobs go through them). */
export function listPixTenantIds(db: Executor): Promise<string[]> {
  return db
    .selectFrom("pix_settings")
    .select("tenant_id")
    .execute()
    .then((rows) => rows.map((row) => row.tenant_id));
}

export function findChargeOfInvoice(
  db: Executor,
  tenantId: string,
  invoiceId: string,
): Promise<PixChargeRow | undefined> {
  return db
    .selectFrom("pix_charges")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("invoice_id", "=", invoiceId)
    .executeTakeFirst();
}

export function findChargeByTxid(
  db: Executor,
  tenantId: string,
  txid: string,
): Promise<PixChargeRow | undefined> {
  return db
    .selectFrom("pix_charges")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("txid", "=", txid)
    .executeTakeFirst();
}

export function upsertCharge(
  db: Executor,
  row: Insertable<PixChargeTable> & { revision: number },
): Promise<PixChargeRow> {
  return db
    .insertInto("pix_charges")
    .values(row as never)
    .onConflict((conflict) =>
      conflict.columns(["tenant_id", "txid"]).doUpdateSet({
        status: row.status,
        location: row.location,
        pix_copy_paste: row.pix_copy_paste,
        amount_cents: row.amount_cents,
        due_date: row.due_date,
        revision: row.revision,
        updated_at: sql`now()`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function setChargeStatus(
  db: Executor,
  tenantId: string,
  txid: string,
  status: CobvStatus,
): Promise<unknown> {
  return db
    .updateTable("pix_charges")
    .set({ status, updated_at: sql`now()` })
    .where("tenant_id", "=", tenantId)
    .where("txid", "=", txid)
    .execute();
}

/**
 * Active charges whose invoice is no longer open (paid by boleto or another means, cancelled,
 * renegotiated): one set-based read, so the worker removes them at the PSP.
 */
export function findChargesOfClosedInvoices(db: Executor, tenantId: string): Promise<PixChargeRow[]> {
  return db
    .selectFrom("pix_charges as c")
    .innerJoin("invoices as i", (join) =>
      join.onRef("i.tenant_id", "=", "c.tenant_id").onRef("i.id", "=", "c.invoice_id"),
    )
    .selectAll("c")
    .where("c.tenant_id", "=", tenantId)
    .where("c.status", "=", "ATIVA")
    .where("i.status", "<>", "open")
    .execute();
}

/** Records a Pix received; false when its endToEndId was already recorded (a repeated notification). */
export async function insertReceivedIfNew(db: Executor, row: PixReceivedTable): Promise<boolean> {
  const inserted = await db
    .insertInto("pix_received")
    .values(row)
    .onConflict((conflict) => conflict.columns(["tenant_id", "end_to_end_id"]).doNothing())
    .returning("end_to_end_id")
    .executeTakeFirst();
  return inserted !== undefined;
}

export function setReceivedPayment(
  db: Executor,
  tenantId: string,
  endToEndId: string,
  paymentId: string,
): Promise<unknown> {
  return db
    .updateTable("pix_received")
    .set({ payment_id: paymentId })
    .where("tenant_id", "=", tenantId)
    .where("end_to_end_id", "=", endToEndId)
    .execute();
}

export function upsertRefund(db: Executor, row: Omit<PixRefundTable, "updated_at">): Promise<unknown> {
  return db
    .insertInto("pix_refunds")
    .values(row)
    .onConflict((conflict) =>
      conflict.columns(["tenant_id", "end_to_end_id", "refund_id"]).doUpdateSet({
        status: row.status,
        settled_at: row.settled_at,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

export function listRefunds(db: Executor, tenantId: string) {
  return db
    .selectFrom("pix_refunds")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .orderBy("requested_at")
    .execute();
}

export function insertRecurrence(
  db: Executor,
  row: Omit<PixRecurrenceTable, "id" | "created_at" | "updated_at" | "fallback_notified_at">,
): Promise<PixRecurrenceRow> {
  return db.insertInto("pix_recurrences").values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateRecurrence(
  db: Executor,
  tenantId: string,
  id: string,
  changes: Omit<Updateable<PixRecurrenceTable>, "tenant_id" | "id">,
): Promise<PixRecurrenceRow> {
  return db
    .updateTable("pix_recurrences")
    .set({ ...changes, updated_at: sql`now()` } as never)
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findRecurrence(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<PixRecurrenceRow | undefined> {
  return db
    .selectFrom("pix_recurrences")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export function findRecurrenceByRecId(
  db: Executor,
  tenantId: string,
  recId: string,
): Promise<PixRecurrenceRow | undefined> {
  return db
    .selectFrom("pix_recurrences")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("rec_id", "=", recId)
    .executeTakeFirst();
}

export function findLiveRecurrenceOfContract(
  db: Executor,
  tenantId: string,
  contractId: string,
): Promise<PixRecurrenceRow | undefined> {
  return db
    .selectFrom("pix_recurrences")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("contract_id", "=", contractId)
    .where("status", "in", ["CRIADA", "APROVADA"])
    .executeTakeFirst();
}

/**
 * Open invoices of contracts with an approved recurrence, due from `from` to `to` (the window 2–10
 * days ahead), without a recurring charge yet: one set-based read per tenant.
 */
export function findInvoicesToScheduleCobr(db: Executor, tenantId: string, from: string, to: string) {
  return db
    .selectFrom("invoices as i")
    .innerJoin("pix_recurrences as r", (join) =>
      join
        .onRef("r.tenant_id", "=", "i.tenant_id")
        .onRef("r.contract_id", "=", "i.contract_id")
        .on("r.status", "=", "APROVADA"),
    )
    .leftJoin("pix_recurring_charges as c", (join) =>
      join.onRef("c.tenant_id", "=", "i.tenant_id").onRef("c.invoice_id", "=", "i.id"),
    )
    .select([
      "i.id as invoiceId",
      "i.external_id as externalId",
      "i.due_date as dueDate",
      "i.amount_cents as amountCents",
      "i.paid_cents as paidCents",
      "i.customer_id as customerId",
      "r.id as recurrenceId",
      "r.rec_id as recId",
    ])
    .where("i.tenant_id", "=", tenantId)
    .where("i.status", "=", "open")
    .where("i.due_date", ">=", from)
    .where("i.due_date", "<=", to)
    .where("c.txid", "is", null)
    .where("r.rec_id", "is not", null)
    .orderBy("i.due_date")
    .execute();
}

export function insertRecurringCharge(
  db: Executor,
  row: Omit<PixRecurringChargeTable, "created_at" | "updated_at">,
): Promise<PixRecurringChargeRow> {
  return db.insertInto("pix_recurring_charges").values(row).returningAll().executeTakeFirstOrThrow();
}

export function findRecurringCharge(
  db: Executor,
  tenantId: string,
  txid: string,
): Promise<PixRecurringChargeRow | undefined> {
  return db
    .selectFrom("pix_recurring_charges")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("txid", "=", txid)
    .executeTakeFirst();
}

export function updateRecurringCharge(
  db: Executor,
  tenantId: string,
  txid: string,
  changes: Pick<Partial<PixRecurringChargeTable>, "status" | "end_code">,
): Promise<unknown> {
  return db
    .updateTable("pix_recurring_charges")
    .set({ ...changes, updated_at: sql`now()` })
    .where("tenant_id", "=", tenantId)
    .where("txid", "=", txid)
    .execute();
}

/** The invoice's Pix copy-and-paste becomes the cobv's dynamic BR Code: every reader of the invoice shows it. */
export function setInvoicePixPayload(db: Executor, tenantId: string, invoiceId: string, payload: string) {
  return db
    .updateTable("invoices")
    .set({ pix_payload: payload, updated_at: sql`now()` })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", invoiceId)
    .execute();
}

/** Open invoices without a cobv, still payable on `today` (due date + days of validity). */
export async function findInvoicesWithoutCobv(
  db: Executor,
  tenantId: string,
  today: string,
  /** The open-debt rule's overdue cut-off (overdueCutoffOf). */
  overdueDueOnOrBefore: string,
  daysValidAfterDue: number,
  limit: number,
): Promise<{ id: string }[]> {
  // originals an agreement in force replaces are not in the relation: their installments are charged
  const result = await sql<{ id: string }>`
    select o.id from ${openInvoicesRelation(tenantId, overdueDueOnOrBefore)} o
    where o.due_date + ${daysValidAfterDue}::int >= ${today}::date
      and not exists (select 1 from pix_charges c where c.tenant_id = o.tenant_id and c.invoice_id = o.id)
    order by o.due_date
    limit ${limit}`.execute(db);
  return result.rows;
}

/** Recurring charges still pending at the PSP whose invoice is no longer open. */
export function findRecurringChargesOfClosedInvoices(
  db: Executor,
  tenantId: string,
): Promise<{ txid: string }[]> {
  return db
    .selectFrom("pix_recurring_charges as c")
    .innerJoin("invoices as i", (join) =>
      join.onRef("i.tenant_id", "=", "c.tenant_id").onRef("i.id", "=", "c.invoice_id"),
    )
    .select("c.txid")
    .where("c.tenant_id", "=", tenantId)
    .where("c.status", "in", ["CRIADA", "ATIVA"])
    .where("i.status", "<>", "open")
    .execute();
}

/** The contract's open invoice due soonest from `today` on. */
export function findNextOpenInvoiceOfContract(
  db: Executor,
  tenantId: string,
  contractId: string,
  today: string,
) {
  return db
    .selectFrom("invoices")
    .select(["id", "due_date", "external_id"])
    .where("tenant_id", "=", tenantId)
    .where("contract_id", "=", contractId)
    .where("status", "=", "open")
    .where("due_date", ">=", today)
    .orderBy("due_date")
    .executeTakeFirst();
}

/** A debtor's active contracts, oldest first (the portal's Pix Automático page). */
export function findActiveContractsOfCustomer(db: Executor, tenantId: string, customerId: string) {
  return db
    .selectFrom("contracts")
    .select(["id", "external_id", "plan"])
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .where("status", "=", "active")
    .orderBy("created_at")
    .execute();
}
