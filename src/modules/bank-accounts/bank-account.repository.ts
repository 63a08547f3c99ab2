import type { Executor } from "../../db/database.ts";
import type { BankAccountRow, NewBankAccountRow } from "./bank-account.table.ts";

export async function insertBankAccount(db: Executor, row: NewBankAccountRow): Promise<BankAccountRow> {
  if (row.is_default) await clearDefault(db, row.tenant_id);
  return db.insertInto("bank_accounts").values(row).returningAll().executeTakeFirstOrThrow();
}

async function clearDefault(db: Executor, tenantId: string): Promise<void> {
  await db
    .updateTable("bank_accounts")
    .set({ is_default: false })
    .where("tenant_id", "=", tenantId)
    .where("is_default", "=", true)
    .execute();
}

export function findBankAccounts(db: Executor, tenantId: string): Promise<BankAccountRow[]> {
  return db
    .selectFrom("bank_accounts")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

export function findBankAccount(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<BankAccountRow | undefined> {
  return db
    .selectFrom("bank_accounts")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export function findDefaultBankAccount(db: Executor, tenantId: string): Promise<BankAccountRow | undefined> {
  return db
    .selectFrom("bank_accounts")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("is_default", "=", true)
    .executeTakeFirst();
}

/** Takes the next remittance sequence number (NSA) of an account, in the caller's transaction. */
export async function nextRemittanceSequence(db: Executor, tenantId: string, id: string): Promise<number> {
  const row = await db
    .updateTable("bank_accounts")
    .set((eb) => ({ remittance_sequence: eb("remittance_sequence", "+", 1) }))
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .returning("remittance_sequence")
    .executeTakeFirstOrThrow();
  return row.remittance_sequence;
}
