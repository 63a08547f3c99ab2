/**
 * Glossary: a *catch-up* brings a rollup up to date by taking its stale items a batch at a time,
 * each batch its own short transaction (the panel's fold, the recovery report's refresh).
 */
export interface CatchUp {
  /** How many items the batches took. */
  taken: number;
  /** Whether it stopped because the time budget ran out while a full batch said more may be left. */
  stoppedEarly: boolean;
}

/**
 * Runs `takeBatch` (which takes up to `size` items and says how many it took) until a batch comes
 * back short — nothing left but what writers still in flight hold — or `budgetMs` has passed since
 * the start (default: no budget). At least one batch runs, so a reader that stops early still moves
 * the rollup forward; the worker's tick, unbudgeted, takes the rest.
 */
export async function catchUpInBatches(
  takeBatch: () => Promise<number>,
  size: number,
  budgetMs = Number.POSITIVE_INFINITY,
): Promise<CatchUp> {
  const started = performance.now();
  let taken = 0;
  for (;;) {
    const batch = await takeBatch();
    taken += batch;
    if (batch < size) return { taken, stoppedEarly: false };
    if (performance.now() - started >= budgetMs) return { taken, stoppedEarly: true };
  }
}
