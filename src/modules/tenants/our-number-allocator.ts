import type { Executor } from "../../db/database.ts";
import { reserveOurNumbers } from "./tenant.repository.ts";

/**
 * Boleto "nosso número" values for invoices created one at a time (the API). Reserving a single
 * number per invoice updates the tenant's row each time, and every concurrent invoice of the
 * tenant queues on that row lock for a commit's worth of time; so each process reserves a block
 * and hands it out from memory. A process that stops leaves the rest of its block unused: a gap in
 * the sequence, which banks accept (only a repeated number is refused, and the unique index on
 * `(tenant_id, our_number)` guards that).
 *
 * Inside a caller's transaction the block is not kept: if that transaction rolled back, the
 * tenant's counter would go back with it while the block stayed in memory, and its numbers would
 * be handed out twice.
 */
export const OUR_NUMBER_BLOCK = 20;

interface Block {
  next: number;
  end: number;
}

// per database handle, so that two databases in one process (the tests) never share a block
const blocksByDatabase = new WeakMap<object, Map<string, Block>>();
const refills = new WeakMap<object, Map<string, Promise<void>>>();

export async function nextOurNumber(db: Executor, tenantId: string): Promise<number> {
  if (db.isTransaction) return reserveOurNumbers(db, tenantId, 1);
  const blocks = mapOf(blocksByDatabase, db);
  for (;;) {
    const block = blocks.get(tenantId);
    if (block && block.next < block.end) return block.next++;
    // one refill at a time per tenant: the requests waiting for it take numbers from its block
    const pending = mapOf(refills, db);
    let refill = pending.get(tenantId);
    if (!refill) {
      refill = reserveOurNumbers(db, tenantId, OUR_NUMBER_BLOCK)
        .then((first) => {
          blocks.set(tenantId, { next: first, end: first + OUR_NUMBER_BLOCK });
        })
        .finally(() => pending.delete(tenantId));
      pending.set(tenantId, refill);
    }
    await refill;
  }
}

function mapOf<V>(maps: WeakMap<object, Map<string, V>>, db: object): Map<string, V> {
  let map = maps.get(db);
  if (!map) {
    map = new Map();
    maps.set(db, map);
  }
  return map;
}
