import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { ContactRow, CustomerRow, NewContactRow, NewCustomerRow } from "./customer.table.ts";

export function insertCustomer(db: Executor, row: NewCustomerRow): Promise<CustomerRow> {
  return db.insertInto("customers").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertContacts(db: Executor, rows: NewContactRow[]): Promise<ContactRow[]> {
  if (rows.length === 0) return [];
  return db.insertInto("contacts").values(rows).returningAll().execute();
}

export function findCustomerById(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<CustomerRow | undefined> {
  return db
    .selectFrom("customers")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export function findCustomerByExternalId(
  db: Executor,
  tenantId: string,
  externalId: string,
): Promise<CustomerRow | undefined> {
  return db
    .selectFrom("customers")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("external_id", "=", externalId)
    .executeTakeFirst();
}

export function findCustomers(
  db: Executor,
  tenantId: string,
  options: { limit: number; offset: number; tag?: string | undefined },
): Promise<CustomerRow[]> {
  let query = db.selectFrom("customers").selectAll().where("tenant_id", "=", tenantId);
  if (options.tag) query = query.where(sql<boolean>`tags @> array[${options.tag}]::text[]`);
  return query.orderBy("external_id").limit(options.limit).offset(options.offset).execute();
}

export function findContactsOfCustomers(
  db: Executor,
  tenantId: string,
  customerIds: string[],
): Promise<ContactRow[]> {
  if (customerIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("contacts")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("customer_id", "in", customerIds)
    .orderBy("created_at")
    .orderBy("channel")
    .execute();
}

export function updateContact(
  db: Executor,
  tenantId: string,
  contactId: string,
  changes: { opted_out_at?: Date | null; consent_at?: Date | null; verified_owner?: boolean },
): Promise<ContactRow | undefined> {
  return db
    .updateTable("contacts")
    .set(changes)
    .where("tenant_id", "=", tenantId)
    .where("id", "=", contactId)
    .returningAll()
    .executeTakeFirst();
}
