import { sql } from "kysely";
import { catchUpInBatches } from "../../db/batches.ts";
import type { Executor } from "../../db/database.ts";
import { inTransaction } from "../../db/transaction.ts";
import {
  countStaleCustomers,
  FOLD_BATCH,
  foldStaleCustomers,
  hasStaleCustomers,
  tenantsWithStaleCustomers,
} from "./panel-rollup.sql.ts";

/**
 * How long a panel shown on screen folds before it reads the sums: a first fold after an upgrade
 * (every customer with an open invoice) takes minutes on a large portfolio, which a page must not
 * wait for; the worker's tick folds the rest, and the panel says how many customers are pending.
 */
export const PANEL_FOLD_BUDGET_MS = 2_000;

export interface PanelFold {
  folded: number;
  /** Stale customers left when the budget ran out (0: the sums are up to date). */
  pending: number;
}

/**
 * Brings the tenant's panel rollup up to date: its stale customers, a batch per transaction of its
 * own (short, so a payment that marks a customer meanwhile waits at most one batch), within
 * `budgetMs` (default: no budget). Must run on the primary, never a replica.
 */
export async function foldPanelRollup(
  db: Executor,
  tenantId: string,
  budgetMs = Number.POSITIVE_INFINITY,
  batch = FOLD_BATCH,
): Promise<PanelFold> {
  const { taken, pending } = await catchUpInBatches(
    {
      any: () => hasStaleCustomers(db, tenantId),
      takeBatch: (size) => inTransaction(db, (trx) => foldStaleCustomers(trx, tenantId, size)),
      count: () => countStaleCustomers(db, tenantId),
    },
    batch,
    budgetMs,
  );
  // The claimed marks are dead rows every probe above visits until a vacuum removes them (a
  // second per probe after 200,000); after a large fold, remove them now rather than wait for
  // autovacuum. VACUUM runs outside a transaction only.
  if (taken >= FOLD_BATCH && !db.isTransaction) await sql`vacuum panel_stale_customers`.execute(db);
  return { folded: taken, pending };
}

/** The worker's tick: every tenant with stale customers folded, so a panel rarely has much to fold. */
export async function foldAllPanelRollups(db: Executor): Promise<{ tenants: number; customers: number }> {
  const tenants = await tenantsWithStaleCustomers(db);
  let customers = 0;
  for (const tenantId of tenants) customers += (await foldPanelRollup(db, tenantId)).folded;
  return { tenants: tenants.length, customers };
}
