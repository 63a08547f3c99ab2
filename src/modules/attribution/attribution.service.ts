import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { inTransaction } from "../../db/transaction.ts";
import {
  hasStaleCustomers,
  REFRESH_BATCH,
  refreshStaleCustomers,
  tenantsWithStaleAttribution,
} from "./attribution.sql.ts";

/**
 * Brings the tenant's recovery rollup up to date: its stale customers, a batch per transaction of
 * its own (short, so a payment that marks a customer meanwhile waits at most one batch). Must run
 * on the primary, never a replica. Returns how many customers it refreshed.
 */
export async function refreshAttribution(db: Executor, tenantId: string): Promise<number> {
  // the usual case before a read: nothing stale, one index probe and no transaction
  if (!(await hasStaleCustomers(db, tenantId))) return 0;
  let refreshed = 0;
  for (;;) {
    const taken = await inTransaction(db, async (trx) => {
      // the batch sorts and hashes a few hundred thousand narrow rows at most
      await sql`select set_config('work_mem', greatest(
        (select setting::bigint from pg_settings where name = 'work_mem'), 65536)::text || 'kB', true)`.execute(
        trx,
      );
      return refreshStaleCustomers(trx, tenantId, REFRESH_BATCH);
    });
    refreshed += taken;
    if (taken < REFRESH_BATCH) return refreshed;
  }
}

/** The worker's tick: every tenant with stale customers brought up to date. */
export async function refreshAllAttribution(db: Executor): Promise<{ tenants: number; customers: number }> {
  const tenants = await tenantsWithStaleAttribution(db);
  let customers = 0;
  for (const tenantId of tenants) customers += await refreshAttribution(db, tenantId);
  return { tenants: tenants.length, customers };
}
