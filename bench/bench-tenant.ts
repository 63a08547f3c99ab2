import type { Kysely } from "kysely";
import type { Database } from "../src/db/database.ts";
import { tenantFromRow } from "../src/modules/tenants/tenant.service.ts";
import type { Tenant } from "../src/modules/tenants/tenant.ts";

/** The creditor of a generated portfolio: inserted as a row, since benches build data in SQL. */
export async function insertBenchTenant(db: Kysely<Database>, slug: string): Promise<Tenant> {
  const row = await db
    .insertInto("tenants")
    .values({
      slug,
      legal_name: "Credora Bench Ltda",
      document: "11222333000181",
      address: "Av. Paulista, 1000, São Paulo/SP",
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return tenantFromRow(row);
}
