import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { IsoDate } from "../../domain/dates.ts";

/** The pause of the régua in force for the customer on `today` (the one lasting longest). */
export function findActivePause(db: Executor, tenantId: string, customerId: string, today: IsoDate) {
  return db
    .selectFrom("customer_pauses")
    .select(["id", "until", "reason", "created_at"])
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .where("kind", "=", "pause")
    .where("released_at", "is", null)
    .where("until", ">=", today)
    .orderBy("until", "desc")
    .limit(1)
    .executeTakeFirst();
}

export function findAgreementsOfCustomer(db: Executor, tenantId: string, customerId: string) {
  return db
    .selectFrom("agreements")
    .select(["id", "number", "status", "total_cents", "concession_cents", "created_at"])
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .orderBy("created_at", "desc")
    .execute();
}

/**
 * The customer's invoices that are installments of an agreement, with what names them for people
 * ("Acordo nº 12 — parcela 2/3"): the agreement's number, the installment's and their count.
 */
export function findInstallmentsOfCustomer(db: Executor, tenantId: string, customerId: string) {
  return db
    .selectFrom("agreement_installments as ai")
    .innerJoin("agreements as a", (join) =>
      join.onRef("a.tenant_id", "=", "ai.tenant_id").onRef("a.id", "=", "ai.agreement_id"),
    )
    .select([
      "ai.invoice_id",
      "ai.agreement_id",
      "ai.number",
      "a.number as agreement_number",
      sql<number>`(a.terms ->> 'installments')::int`.as("count"),
    ])
    .where("a.tenant_id", "=", tenantId)
    .where("a.customer_id", "=", customerId)
    .execute();
}
