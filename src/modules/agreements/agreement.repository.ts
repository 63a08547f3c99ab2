import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { AgreementInstallmentRow, AgreementRow, NewAgreementRow } from "./agreement.table.ts";
import type { AgreementFilter, AgreementStatus } from "./agreement.ts";

export function findAgreementSettingsRow(db: Executor, tenantId: string) {
  return db.selectFrom("agreement_settings").selectAll().where("tenant_id", "=", tenantId).executeTakeFirst();
}

export async function upsertAgreementSettingsRow(
  db: Executor,
  tenantId: string,
  settings: Record<string, unknown>,
  policyId: string | null,
): Promise<void> {
  await db
    .insertInto("agreement_settings")
    .values({ tenant_id: tenantId, settings: JSON.stringify(settings), policy_id: policyId })
    .onConflict((conflict) =>
      conflict.column("tenant_id").doUpdateSet({
        settings: JSON.stringify(settings),
        policy_id: policyId,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

export function insertAgreement(db: Executor, row: NewAgreementRow): Promise<AgreementRow> {
  return db.insertInto("agreements").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertAgreementLinks(
  db: Executor,
  tenantId: string,
  agreementId: string,
  originals: string[],
  installments: { number: number; invoiceId: string; dueDate: string; amountCents: number }[],
): Promise<void> {
  await db
    .insertInto("agreement_invoices")
    .values(
      originals.map((invoiceId) => ({
        tenant_id: tenantId,
        agreement_id: agreementId,
        invoice_id: invoiceId,
      })),
    )
    .execute();
  await db
    .insertInto("agreement_installments")
    .values(
      installments.map((installment) => ({
        tenant_id: tenantId,
        agreement_id: agreementId,
        number: installment.number,
        invoice_id: installment.invoiceId,
        due_date: installment.dueDate,
        amount_cents: installment.amountCents,
      })),
    )
    .execute();
}

export function findAgreementRow(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<AgreementRow | undefined> {
  return db
    .selectFrom("agreements")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** The agreement row, locked for a transition (FOR UPDATE). */
export function lockAgreement(db: Executor, tenantId: string, id: string): Promise<AgreementRow | undefined> {
  return db
    .selectFrom("agreements")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

export function findAgreementRows(
  db: Executor,
  tenantId: string,
  filter: AgreementFilter,
): Promise<AgreementRow[]> {
  let query = db.selectFrom("agreements").selectAll().where("tenant_id", "=", tenantId);
  if (filter.customerId) query = query.where("customer_id", "=", filter.customerId);
  if (filter.status) query = query.where("status", "=", filter.status);
  if (filter.after) {
    const after = filter.after;
    query = query.where((eb) =>
      eb.or([
        eb("created_at", "<", after.createdAt),
        eb.and([eb("created_at", "=", after.createdAt), eb("id", "<", after.id)]),
      ]),
    );
  }
  query = query.orderBy("created_at", "desc").orderBy("id", "desc");
  if (filter.limit) query = query.limit(filter.limit);
  return query.execute();
}

export interface InstallmentView extends AgreementInstallmentRow {
  invoice_status: string;
  typeable_line: string | null;
  pix_payload: string | null;
  paid_cents: number;
}

export async function findInstallmentsOf(
  db: Executor,
  tenantId: string,
  agreementIds: string[],
): Promise<InstallmentView[]> {
  if (agreementIds.length === 0) return [];
  return db
    .selectFrom("agreement_installments as ai")
    .innerJoin("invoices as i", (join) =>
      join.onRef("i.tenant_id", "=", "ai.tenant_id").onRef("i.id", "=", "ai.invoice_id"),
    )
    .select([
      "ai.tenant_id",
      "ai.agreement_id",
      "ai.number",
      "ai.invoice_id",
      "ai.due_date",
      "ai.amount_cents",
      "i.status as invoice_status",
      "i.typeable_line",
      "i.pix_payload",
      "i.paid_cents",
    ])
    .where("ai.tenant_id", "=", tenantId)
    .where("ai.agreement_id", "in", agreementIds)
    .orderBy("ai.agreement_id")
    .orderBy("ai.number")
    .execute();
}

export async function findOriginalInvoiceIds(
  db: Executor,
  tenantId: string,
  agreementId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom("agreement_invoices")
    .select("invoice_id")
    .where("tenant_id", "=", tenantId)
    .where("agreement_id", "=", agreementId)
    .execute();
  return rows.map((row) => row.invoice_id);
}

/** Of the invoices given, those already in an agreement in force (proposed or active). */
export async function findInvoicesInForce(
  db: Executor,
  tenantId: string,
  invoiceIds: string[],
): Promise<string[]> {
  if (invoiceIds.length === 0) return [];
  const rows = await db
    .selectFrom("agreement_invoices as ao")
    .innerJoin("agreements as a", (join) =>
      join.onRef("a.tenant_id", "=", "ao.tenant_id").onRef("a.id", "=", "ao.agreement_id"),
    )
    .select("ao.invoice_id")
    .where("ao.tenant_id", "=", tenantId)
    .where("ao.invoice_id", "in", invoiceIds)
    .where("a.status", "in", ["proposed", "active"])
    .execute();
  return rows.map((row) => row.invoice_id);
}

export function findAgreementIdOfInstallment(
  db: Executor,
  tenantId: string,
  invoiceId: string,
): Promise<{ agreement_id: string } | undefined> {
  return db
    .selectFrom("agreement_installments")
    .select("agreement_id")
    .where("tenant_id", "=", tenantId)
    .where("invoice_id", "=", invoiceId)
    .executeTakeFirst();
}

export function updateAgreementStatus(
  db: Executor,
  tenantId: string,
  id: string,
  change: { status: AgreementStatus; activated_at?: Date; ended_at?: Date; end_reason?: string },
): Promise<AgreementRow> {
  return db
    .updateTable("agreements")
    .set(change)
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * What the debtor paid towards agreements, oldest first: payments on the installments, and
 * payments on original invoices credited to the installments (agreement_credits).
 */
export function findInstallmentPayments(db: Executor, tenantId: string, agreementIds: string[]) {
  if (agreementIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("payments as p")
    .innerJoin("agreement_installments as ai", (join) =>
      join.onRef("ai.tenant_id", "=", "p.tenant_id").onRef("ai.invoice_id", "=", "p.invoice_id"),
    )
    .select(["ai.agreement_id", "p.id", "p.amount_cents", "p.paid_at"])
    .where("p.tenant_id", "=", tenantId)
    .where("ai.agreement_id", "in", agreementIds)
    .unionAll(
      db
        .selectFrom("agreement_credits as c")
        .select(["c.agreement_id", "c.id", "c.amount_cents", "c.paid_at"])
        .where("c.tenant_id", "=", tenantId)
        .where("c.agreement_id", "in", agreementIds),
    )
    .orderBy("paid_at")
    .orderBy("id")
    .execute();
}

/** The agreement in force (proposed or active) that holds an original invoice, locked. */
export function lockAgreementInForceOfOriginal(
  db: Executor,
  tenantId: string,
  invoiceId: string,
): Promise<AgreementRow | undefined> {
  return db
    .selectFrom("agreements as a")
    .innerJoin("agreement_invoices as ao", (join) =>
      join.onRef("ao.tenant_id", "=", "a.tenant_id").onRef("ao.agreement_id", "=", "a.id"),
    )
    .selectAll("a")
    .where("a.tenant_id", "=", tenantId)
    .where("ao.invoice_id", "=", invoiceId)
    .where("a.status", "in", ["proposed", "active"])
    .forUpdate()
    .executeTakeFirst();
}

/** The agreement's installments not yet paid in full, earliest due first, with what each lacks. */
export async function findOpenInstallments(
  db: Executor,
  tenantId: string,
  agreementId: string,
): Promise<{ invoice_id: string; missing_cents: number }[]> {
  const rows = await db
    .selectFrom("agreement_installments as ai")
    .innerJoin("invoices as i", (join) =>
      join.onRef("i.tenant_id", "=", "ai.tenant_id").onRef("i.id", "=", "ai.invoice_id"),
    )
    .select(["ai.invoice_id", sql<string>`i.amount_cents - i.paid_cents`.as("missing_cents")])
    .where("ai.tenant_id", "=", tenantId)
    .where("ai.agreement_id", "=", agreementId)
    .where("i.status", "=", "open")
    .orderBy("ai.due_date")
    .orderBy("ai.number")
    .execute();
  return rows.map((row) => ({ invoice_id: row.invoice_id, missing_cents: Number(row.missing_cents) }));
}

export async function markPaymentCredited(
  db: Executor,
  tenantId: string,
  paymentId: string,
  agreementId: string,
): Promise<void> {
  await db
    .updateTable("payments")
    .set({ credited_to_agreement_id: agreementId })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", paymentId)
    .execute();
}

export async function insertCredits(
  db: Executor,
  rows: {
    tenant_id: string;
    agreement_id: string;
    payment_id: string;
    invoice_id: string;
    amount_cents: number;
    paid_at: Date;
  }[],
): Promise<void> {
  if (rows.length > 0) await db.insertInto("agreement_credits").values(rows).execute();
}

export async function insertImputations(
  db: Executor,
  rows: {
    tenant_id: string;
    agreement_id: string;
    invoice_id: string;
    amount_cents: number;
    paid_at: Date;
  }[],
): Promise<void> {
  if (rows.length > 0) await db.insertInto("agreement_imputations").values(rows).execute();
}

/**
 * The agreements of the tenant whose state the calendar or the payments moved, in one pass:
 * - activate: proposed, first payment (lowest number) paid;
 * - complete: active (or proposed) with every installment paid;
 * - lapse: proposed, first payment unpaid and due on or before `lapseDueOnOrBefore`;
 * - break: active, some installment unpaid and due on or before `breakDueOnOrBefore`.
 */
export async function findLifecycleCandidates(
  db: Executor,
  tenantId: string,
  cutoffs: { lapseDueOnOrBefore: string; breakDueOnOrBefore: string },
  agreementId?: string,
): Promise<{ id: string; status: AgreementStatus; move: "activate" | "complete" | "lapse" | "break" }[]> {
  const only = agreementId ? sql`and a.id = ${agreementId}::uuid` : sql``;
  const result = await sql<{
    id: string;
    status: AgreementStatus;
    move: "activate" | "complete" | "lapse" | "break";
  }>`
    with facts as (
      select a.id, a.status,
        bool_and(i.status = 'paid') as all_paid,
        bool_or(i.status = 'paid' and ai.number = f.first_number) as first_paid,
        bool_or(i.status = 'open' and ai.number = f.first_number
          and ai.due_date <= ${cutoffs.lapseDueOnOrBefore}::date) as first_missed,
        bool_or(i.status = 'open' and ai.due_date <= ${cutoffs.breakDueOnOrBefore}::date) as overdue_past_tolerance
      from agreements a
      join (select agreement_id, min(number) as first_number from agreement_installments
            where tenant_id = ${tenantId}::uuid group by agreement_id) f on f.agreement_id = a.id
      join agreement_installments ai on ai.tenant_id = a.tenant_id and ai.agreement_id = a.id
      join invoices i on i.tenant_id = ai.tenant_id and i.id = ai.invoice_id
      where a.tenant_id = ${tenantId}::uuid and a.status in ('proposed', 'active') ${only}
      group by a.id, a.status
    )
    select id, status,
      case
        when all_paid then 'complete'
        when status = 'proposed' and first_paid then 'activate'
        when status = 'proposed' and first_missed then 'lapse'
        when status = 'active' and overdue_past_tolerance then 'break'
      end as move
    from facts
    where all_paid or (status = 'proposed' and (first_paid or first_missed))
      or (status = 'active' and overdue_past_tolerance)
    order by id`.execute(db);
  return result.rows;
}

export interface AgreementPaymentRow {
  payment_id: string;
  paid_at: Date;
  amount_cents: number | string;
  method: string;
  installment_number: number;
  original_external_id: string | null;
}

/**
 * The payments towards one agreement, oldest first: those made on its installments and those made
 * on an original invoice and credited to an installment (agreement_credits).
 */
export async function findAgreementPayments(
  db: Executor,
  tenantId: string,
  agreementId: string,
): Promise<AgreementPaymentRow[]> {
  const result = await sql<AgreementPaymentRow>`
    select p.id::text as payment_id, p.paid_at, p.amount_cents, p.method,
      ai.number as installment_number, null::text as original_external_id
    from payments p
    join agreement_installments ai on ai.tenant_id = p.tenant_id and ai.invoice_id = p.invoice_id
    where p.tenant_id = ${tenantId}::uuid and ai.agreement_id = ${agreementId}::uuid
    union all
    select p.id::text, p.paid_at, c.amount_cents, p.method, ai.number, p.invoice_external_id
    from agreement_credits c
    join payments p on p.tenant_id = c.tenant_id and p.id = c.payment_id
    join agreement_installments ai on ai.tenant_id = c.tenant_id and ai.invoice_id = c.invoice_id
    where c.tenant_id = ${tenantId}::uuid and c.agreement_id = ${agreementId}::uuid
    order by paid_at, payment_id`.execute(db);
  return result.rows;
}
