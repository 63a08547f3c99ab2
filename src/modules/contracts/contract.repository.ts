import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { ContractPaymentMethod, ContractRow, ContractStatus, NewContractRow } from "./contract.table.ts";

export function insertContract(db: Executor, row: NewContractRow): Promise<ContractRow> {
  return db.insertInto("contracts").values(row).returningAll().executeTakeFirstOrThrow();
}

export function findContractById(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<ContractRow | undefined> {
  return db
    .selectFrom("contracts")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export function lockContract(db: Executor, tenantId: string, id: string): Promise<ContractRow | undefined> {
  return db
    .selectFrom("contracts")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

export function updateContractStatus(
  db: Executor,
  tenantId: string,
  id: string,
  status: ContractStatus,
): Promise<ContractRow> {
  return db
    .updateTable("contracts")
    .set({ status, updated_at: sql`now()` })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A customer's contracts, oldest first (the portal's "Meu plano e pagamento"). */
export function findContractsOfCustomer(
  db: Executor,
  tenantId: string,
  customerId: string,
): Promise<ContractRow[]> {
  return db
    .selectFrom("contracts")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "=", customerId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/** Sets the plan or the payment method of a contract (a change the creditor confirmed). */
export function updateContractPlan(
  db: Executor,
  tenantId: string,
  id: string,
  change: { plan: string } | { payment_method: ContractPaymentMethod },
): Promise<ContractRow> {
  return db
    .updateTable("contracts")
    .set({ ...change, updated_at: sql`now()` })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
