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
    .select(["id", "status", "total_cents", "concession_cents", "created_at"])
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .orderBy("created_at", "desc")
    .execute();
}
