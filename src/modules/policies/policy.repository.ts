import type { Executor } from "../../db/database.ts";
import type {
  ContactWindowRow,
  NewPolicyRow,
  NewPolicyStepRow,
  PolicyRow,
  PolicyStepRow,
} from "./policy.table.ts";

export function findPolicies(db: Executor, tenantId: string): Promise<PolicyRow[]> {
  return db
    .selectFrom("policies")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .orderBy("priority")
    .orderBy("name")
    .execute();
}

export function findPolicyByName(
  db: Executor,
  tenantId: string,
  name: string,
): Promise<PolicyRow | undefined> {
  return db
    .selectFrom("policies")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("name", "=", name)
    .executeTakeFirst();
}

export function findStepsOfTenant(db: Executor, tenantId: string): Promise<PolicyStepRow[]> {
  return db
    .selectFrom("policy_steps")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .orderBy("policy_id")
    .orderBy("position")
    .execute();
}

export function insertPolicy(db: Executor, row: NewPolicyRow): Promise<PolicyRow> {
  return db.insertInto("policies").values(row).returningAll().executeTakeFirstOrThrow();
}

export function lockPolicyByName(
  db: Executor,
  tenantId: string,
  name: string,
): Promise<PolicyRow | undefined> {
  return db
    .selectFrom("policies")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("name", "=", name)
    .forUpdate()
    .executeTakeFirst();
}

export function updatePolicyRow(
  db: Executor,
  tenantId: string,
  id: string,
  row: Omit<NewPolicyRow, "tenant_id">,
): Promise<PolicyRow> {
  return db
    .updateTable("policies")
    .set({ ...row, updated_at: new Date() })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Replaces a policy's steps, keeping the id of every step whose name survives: planned actions
 * are unique per step id, so an edited policy does not plan an unchanged step twice.
 */
export async function replaceSteps(
  db: Executor,
  tenantId: string,
  policyId: string,
  steps: Omit<NewPolicyStepRow, "tenant_id" | "policy_id" | "id">[],
): Promise<void> {
  const existing = await db
    .selectFrom("policy_steps")
    .select(["id", "name"])
    .where("tenant_id", "=", tenantId)
    .where("policy_id", "=", policyId)
    .execute();
  const idByName = new Map(existing.map((row) => [row.name, row.id]));
  await db
    .deleteFrom("policy_steps")
    .where("tenant_id", "=", tenantId)
    .where("policy_id", "=", policyId)
    .execute();
  if (steps.length === 0) return;
  await db
    .insertInto("policy_steps")
    .values(
      steps.map((step) => {
        const id = idByName.get(step.name);
        return { ...step, tenant_id: tenantId, policy_id: policyId, ...(id ? { id } : {}) };
      }),
    )
    .execute();
}

export async function deletePolicyRow(db: Executor, tenantId: string, id: string): Promise<void> {
  await db.deleteFrom("policies").where("tenant_id", "=", tenantId).where("id", "=", id).execute();
}

export function findContactWindows(db: Executor, tenantId: string): Promise<ContactWindowRow[]> {
  return db.selectFrom("contact_windows").selectAll().where("tenant_id", "=", tenantId).execute();
}

export async function insertContactWindows(db: Executor, rows: ContactWindowRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("contact_windows")
    .values(rows)
    .onConflict((conflict) => conflict.columns(["tenant_id", "state"]).doNothing())
    .execute();
}

export async function upsertAssignment(
  db: Executor,
  tenantId: string,
  policyId: string,
  subject: { customerId: string } | { contractId: string },
): Promise<void> {
  const column = "customerId" in subject ? "customer_id" : "contract_id";
  const id = "customerId" in subject ? subject.customerId : subject.contractId;
  await db
    .deleteFrom("policy_assignments")
    .where("tenant_id", "=", tenantId)
    .where(column, "=", id)
    .execute();
  await db
    .insertInto("policy_assignments")
    .values({ tenant_id: tenantId, policy_id: policyId, [column]: id })
    .execute();
}
