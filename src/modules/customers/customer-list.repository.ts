import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { CustomerRow } from "./customer.table.ts";

/** One page of customers by external id (unique per tenant), after the cursor's external id. */
export function findCustomerPage(
  db: Executor,
  tenantId: string,
  options: { limit: number; afterExternalId?: string; tag?: string },
): Promise<CustomerRow[]> {
  let query = db.selectFrom("customers").selectAll().where("tenant_id", "=", tenantId);
  if (options.tag) query = query.where(sql<boolean>`tags @> array[${options.tag}]::text[]`);
  if (options.afterExternalId !== undefined) query = query.where("external_id", ">", options.afterExternalId);
  return query.orderBy("external_id").limit(options.limit).execute();
}
