import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { PlanChangeRequestRow, PlanChangeRequestTable } from "./plan-change.table.ts";

export async function findCatalogue(db: Executor, tenantId: string): Promise<unknown> {
  const row = await db
    .selectFrom("plan_catalogues")
    .select("plans")
    .where("tenant_id", "=", tenantId)
    .executeTakeFirst();
  return row?.plans ?? [];
}

export async function upsertCatalogue(
  db: Executor,
  tenantId: string,
  plans: unknown,
  now: Date,
): Promise<void> {
  const json = JSON.stringify(plans);
  await db
    .insertInto("plan_catalogues")
    .values({ tenant_id: tenantId, plans: sql`${json}::jsonb`, updated_at: now })
    .onConflict((conflict) =>
      conflict.column("tenant_id").doUpdateSet({ plans: sql`${json}::jsonb`, updated_at: now }),
    )
    .execute();
}

export async function insertRequest(
  db: Executor,
  values: Omit<PlanChangeRequestTable, "id" | "status" | "decided_at">,
): Promise<PlanChangeRequestRow> {
  return db.insertInto("plan_change_requests").values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findRequestsOfCustomer(
  db: Executor,
  tenantId: string,
  customerId: string,
): Promise<PlanChangeRequestRow[]> {
  return db
    .selectFrom("plan_change_requests")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .orderBy("requested_at", "desc")
    .execute();
}

/** The request, locked until the deciding transaction ends (two decisions cannot both pass). */
export async function lockRequest(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<PlanChangeRequestRow | undefined> {
  return db
    .selectFrom("plan_change_requests")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

export async function setRequestStatus(
  db: Executor,
  tenantId: string,
  id: string,
  status: "confirmed" | "declined",
  now: Date,
): Promise<PlanChangeRequestRow> {
  return db
    .updateTable("plan_change_requests")
    .set({ status, decided_at: now })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
