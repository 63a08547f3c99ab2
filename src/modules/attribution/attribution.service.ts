import { sql } from "kysely";
import { catchUpInBatches } from "../../db/batches.ts";
import type { Executor } from "../../db/database.ts";
import { inTransaction } from "../../db/transaction.ts";
import {
  countStaleCustomers,
  hasStaleCustomers,
  REFRESH_BATCH,
  refreshStaleCustomers,
  tenantsWithStaleAttribution,
} from "./attribution.sql.ts";

export interface AttributionRefresh {
  refreshed: number;
  /** Stale customers left when the budget ran out (0: the rollup is up to date). */
  pending: number;
}

/**
 * Brings the tenant's recovery rollup up to date: its stale customers, a batch per transaction of
 * its own (short, so a payment that marks a customer meanwhile waits at most one batch), within
 * `budgetMs` (default: no budget). Must run on the primary, never a replica.
 */
export async function refreshAttribution(
  db: Executor,
  tenantId: string,
  budgetMs = Number.POSITIVE_INFINITY,
  batch = REFRESH_BATCH,
): Promise<AttributionRefresh> {
  const { taken, pending } = await catchUpInBatches(
    {
      any: () => hasStaleCustomers(db, tenantId),
      takeBatch: (size) =>
        inTransaction(db, async (trx) => {
          // the batch sorts and hashes a few hundred thousand narrow rows at most
          await sql`select set_config('work_mem', greatest(
            (select setting::bigint from pg_settings where name = 'work_mem'), 65536)::text || 'kB', true)`.execute(
            trx,
          );
          return refreshStaleCustomers(trx, tenantId, size);
        }),
      count: () => countStaleCustomers(db, tenantId),
    },
    batch,
    budgetMs,
  );
  return { refreshed: taken, pending };
}

/** The worker's tick: every tenant with stale customers brought up to date. */
export async function refreshAllAttribution(db: Executor): Promise<{ tenants: number; customers: number }> {
  const tenants = await tenantsWithStaleAttribution(db);
  let customers = 0;
  for (const tenantId of tenants) customers += (await refreshAttribution(db, tenantId)).refreshed;
  return { tenants: tenants.length, customers };
}
