import { type RawBuilder, sql } from "kysely";

/**
 * The one rule of stable random assignment (experiments and campaigns alike): a bucket 0–9999 from
 * the md5 of (seed, customer) — the seed is the experiment's or the campaign's id — so that the same
 * customer always lands in the same arm, and a second, independent slice of the hash for a 50/50
 * split. `holdoutBps` of 10,000 buckets go to the holdout.
 */
export function inHoldout(
  seed: RawBuilder<unknown>,
  customer: RawBuilder<unknown>,
  holdoutBps: RawBuilder<unknown>,
): RawBuilder<boolean> {
  return sql<boolean>`(('x' || substr(md5(${seed}::text || ':' || ${customer}::text), 1, 7))::bit(28)::int % 10000 < ${holdoutBps})`;
}

/** The independent coin of the same hash: true for half of the customers. */
export function secondHalf(seed: RawBuilder<unknown>, customer: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`(('x' || substr(md5(${seed}::text || ':' || ${customer}::text), 9, 7))::bit(28)::int % 2 = 1)`;
}
