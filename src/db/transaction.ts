import { sql } from "kysely";
import type { Executor } from "./database.ts";

/** Runs `work` in a transaction, or in the caller's when `db` already is one. */
export async function inTransaction<T>(db: Executor, work: (trx: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute(work);
}

/**
 * Runs a bulk statement with nested-loop joins disabled (and work_mem raised) for the transaction.
 * The planner's intermediate results (a CTE per stage) carry no statistics, so PostgreSQL
 * estimates them at a row or two and picks nested loops that turn quadratic over tens of thousands
 * of candidates; hash joins are the right shape for a pass over the portfolio. The previous
 * settings are restored.
 */
export async function withHashJoins<T>(trx: Executor, work: () => Promise<T>): Promise<T> {
  const before = await sql<{ nestloop: string; jit: string; work_mem: string }>`
    select current_setting('enable_nestloop') as nestloop, current_setting('jit') as jit,
      current_setting('work_mem') as work_mem`.execute(trx);
  // Disabling nested loops inflates cost estimates past the JIT threshold; compiling the query
  // would then cost seconds for nothing, so JIT goes off too. The pass sorts and hashes tens of
  // thousands of wide rows: with the default work_mem (4 MB) its sorts spill to temporary files,
  // so the transaction gets at least 64 MB.
  await sql`select set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true),
    set_config('work_mem', greatest(
      (select setting::bigint from pg_settings where name = 'work_mem'), 65536)::text || 'kB', true)`.execute(
    trx,
  );
  try {
    return await work();
  } finally {
    // after a failed statement the transaction is aborted and rolls back the settings anyway
    const { nestloop, jit, work_mem: workMem } = before.rows[0]!;
    await sql`select set_config('enable_nestloop', ${nestloop}, true), set_config('jit', ${jit}, true),
      set_config('work_mem', ${workMem}, true)`
      .execute(trx)
      .catch(() => {});
  }
}

/**
 * Runs a bulk statement with work_mem raised to at least 64 MB for it, the plan otherwise left to
 * the planner: its sorts and window functions over a file's worth of rows (a return file's
 * 100,000 records) then stay in memory rather than spill to temporary files under the default
 * 4 MB. The previous setting is restored.
 */
export async function withSortMemory<T>(trx: Executor, work: () => Promise<T>): Promise<T> {
  const before = await sql<{ work_mem: string }>`select current_setting('work_mem') as work_mem`.execute(trx);
  await sql`select set_config('work_mem', greatest(
    (select setting::bigint from pg_settings where name = 'work_mem'), 65536)::text || 'kB', true)`.execute(
    trx,
  );
  try {
    return await work();
  } finally {
    // after a failed statement the transaction is aborted and rolls back the setting anyway
    await sql`select set_config('work_mem', ${before.rows[0]!.work_mem}, true)`.execute(trx).catch(() => {});
  }
}
