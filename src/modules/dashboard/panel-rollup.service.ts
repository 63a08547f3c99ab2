import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { inTransaction } from "../../db/transaction.ts";
import {
  FOLD_BATCH,
  foldStaleCustomers,
  hasStaleCustomers,
  tenantsWithStaleCustomers,
} from "./panel-rollup.sql.ts";

/**
 * Brings the tenant's panel rollup up to date: its stale customers, a batch per transaction of its
 * own (short, so a payment that marks a customer meanwhile waits at most one batch). Must run on
 * the primary, never a replica. Returns how many customers it folded.
 */
export async function foldPanelRollup(db: Executor, tenantId: string): Promise<number> {
  // the usual case before a read: nothing stale, one index probe and no transaction
  if (!(await hasStaleCustomers(db, tenantId))) return 0;
  let folded = 0;
  for (;;) {
    const taken = await inTransaction(db, (trx) => foldStaleCustomers(trx, tenantId, FOLD_BATCH));
    folded += taken;
    // fewer than a batch: none left but the marks of writers still in flight, folded next time
    if (taken < FOLD_BATCH) break;
  }
  // The claimed marks are dead rows every probe above visits until a vacuum removes them (a
  // second per probe after 200,000); after a large fold, remove them now rather than wait for
  // autovacuum. VACUUM runs outside a transaction only.
  if (folded >= FOLD_BATCH && !db.isTransaction) await sql`vacuum panel_stale_customers`.execute(db);
  return folded;
}

/** The worker's tick: every tenant with stale customers folded, so a panel rarely has much to fold. */
export async function foldAllPanelRollups(db: Executor): Promise<{ tenants: number; customers: number }> {
  const tenants = await tenantsWithStaleCustomers(db);
  let customers = 0;
  for (const tenantId of tenants) customers += await foldPanelRollup(db, tenantId);
  return { tenants: tenants.length, customers };
}
