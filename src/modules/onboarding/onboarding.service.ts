import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import { ensureDefaultPolicy } from "../policies/policy.service.ts";
import { insertNewTenant } from "../tenants/tenant.service.ts";
import type { TCreateTenant, Tenant } from "../tenants/tenant.ts";

/**
 * A new creditor: the tenant, with the seeds' régua and the legal contact windows, in one
 * transaction — a tenant without a policy would silently plan nothing. A module of its own because
 * it spans tenants and policies, and policies (through templates) already read tenants.
 */
export async function createTenant(db: Kysely<Database>, input: TCreateTenant): Promise<Tenant> {
  return db.transaction().execute(async (trx) => {
    const tenant = await insertNewTenant(trx, input);
    await ensureDefaultPolicy(trx, tenant.id);
    return tenant;
  });
}
