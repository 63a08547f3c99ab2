import type { Executor } from "../../db/database.ts";
import type { CustomerInteractionRow, NewCustomerInteractionRow } from "./interaction.table.ts";

export function insertInteraction(
  db: Executor,
  row: NewCustomerInteractionRow,
): Promise<CustomerInteractionRow> {
  return db.insertInto("customer_interactions").values(row).returningAll().executeTakeFirstOrThrow();
}

/** Actions planned for the customer but not yet sent, up to `until`: a pause skips them now. */
export async function skipPlannedActionsOfCustomer(
  db: Executor,
  tenantId: string,
  customerId: string,
  until: string,
  now: Date,
): Promise<number> {
  const result = await db
    .updateTable("dunning_actions")
    .set({ status: "skipped", skip_reason: "paused", updated_at: now })
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .where("status", "=", "planned")
    .where("send_on", "<=", until)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function updateCreditLimit(
  db: Executor,
  tenantId: string,
  customerId: string,
  creditLimitCents: number | null,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable("customers")
    .set({ credit_limit_cents: creditLimitCents, updated_at: now })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", customerId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends the customer's open pauses (not disputes) now; returns how many were open. */
export async function releaseOpenPauses(
  db: Executor,
  tenantId: string,
  customerId: string,
  now: Date,
): Promise<number> {
  const result = await db
    .updateTable("customer_pauses")
    .set({ released_at: now })
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .where("kind", "=", "pause")
    .where("released_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
