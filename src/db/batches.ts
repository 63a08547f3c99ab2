/**
 * Glossary: a *catch-up* brings a rollup up to date by taking its stale items a batch at a time,
 * each batch its own short transaction (the panel's fold, the recovery report's refresh).
 */
export interface StaleItems {
  /** Whether anything is stale: the usual answer before a read is no (one index probe). */
  any(): Promise<boolean>;
  /** Takes up to `size` stale items and brings them up to date; says how many it took. */
  takeBatch(size: number): Promise<number>;
  /** How many are stale now (counted only when a catch-up stopped early). */
  count(): Promise<number>;
}

export interface CatchUp {
  /** How many items the batches took. */
  taken: number;
  /** Items still stale when the time budget ran out (0: caught up). */
  pending: number;
}

/**
 * Takes batches of `size` until one comes back short — nothing left but what writers still in
 * flight hold — or `budgetMs` has passed since the start (default: no budget). At least one batch
 * runs, so a reader that stops early still moves the rollup forward; the worker's tick, unbudgeted,
 * takes the rest.
 */
export async function catchUpInBatches(
  stale: StaleItems,
  size: number,
  budgetMs = Number.POSITIVE_INFINITY,
): Promise<CatchUp> {
  if (!(await stale.any())) return { taken: 0, pending: 0 };
  const started = performance.now();
  let taken = 0;
  for (;;) {
    const batch = await stale.takeBatch(size);
    taken += batch;
    if (batch < size) return { taken, pending: 0 };
    if (performance.now() - started >= budgetMs) return { taken, pending: await stale.count() };
  }
}
