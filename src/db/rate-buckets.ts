import { sql } from "kysely";
import type { Executor } from "./database.ts";

/**
 * Token buckets shared by every process on the database (table `rate_buckets`, migration 0014):
 * a limit holds however many API servers and workers run. Each process leases a few tokens at a
 * time and hands them out from memory, so the database is asked once per lease, not per request.
 * The price is a little slack: a process may hold up to one lease it has not used yet, so with N
 * processes a key can go at most N × (lease − 1) tokens over its burst. Leases are a tenth of a
 * second's worth (at most a tenth of the burst, at most 100), and a single token when limits are small.
 *
 * Callers wait in line per bucket: one lease is asked for the whole line (never more than the
 * burst), tokens go out in arrival order, and an empty shared bucket is not asked again before it
 * has refilled a token.
 */
export interface RateBucketTable {
  tenant_id: string;
  key: string;
  tokens: number;
  refilled_at: Date;
}

export interface BucketLimit {
  /** Tokens the bucket holds when full: the burst. */
  capacity: number;
  /** Tokens added per second: the sustained rate. */
  perSecond: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Tokens left, as far as this process knows (its own plus the shared bucket's at its last lease). */
  remaining: number;
  /** Whole seconds until a token is available again (for Retry-After); 0 when allowed. */
  retryAfter: number;
}

interface Waiter {
  /** true: wait for a token (sends); false: be refused at once when the bucket is empty (requests). */
  waits: boolean;
  resolve: (decision: RateDecision) => void;
  reject: (error: unknown) => void;
}

interface LocalLease {
  tenantId: string;
  key: string;
  limit: BucketLimit;
  /** Leased tokens not yet handed out. */
  tokens: number;
  /** The shared bucket's tokens after the last lease. */
  sharedLeft: number;
  /** performance.now() before which the shared bucket is known to be empty. */
  emptyUntil: number;
  line: Waiter[];
  leasing: boolean;
}

/** Idle buckets kept in memory before the ones holding no tokens are forgotten. */
const MAX_LOCAL_BUCKETS = 10_000;

export class RateBuckets {
  private readonly db: Executor;
  private readonly buckets = new Map<string, LocalLease>();

  constructor(db: Executor) {
    this.db = db;
  }

  /** A token now, or a refusal with the time to wait (an API request). */
  tryTake(tenantId: string, key: string, limit: BucketLimit): Promise<RateDecision> {
    return this.take(tenantId, key, limit, false);
  }

  /** Resolves once a token is granted (a send to a provider); rejects if the database fails. */
  async waitFor(tenantId: string, key: string, limit: BucketLimit): Promise<void> {
    await this.take(tenantId, key, limit, true);
  }

  private take(tenantId: string, key: string, limit: BucketLimit, waits: boolean): Promise<RateDecision> {
    const bucket = this.bucketFor(tenantId, key, limit);
    if (bucket.line.length === 0 && bucket.tokens >= 1) return Promise.resolve(grant(bucket));
    // known to be empty: refused without asking the database (a flood costs no writes)
    if (!waits && performance.now() < bucket.emptyUntil) return Promise.resolve(refusal(bucket));
    return new Promise((resolve, reject) => {
      bucket.line.push({ waits, resolve, reject });
      if (bucket.leasing) return;
      bucket.leasing = true;
      // after the current turn, so that callers arriving together (a batch handed over at once)
      // are all in line when the lease is sized
      queueMicrotask(() => void this.serveLine(bucket));
    });
  }

  private bucketFor(tenantId: string, key: string, limit: BucketLimit): LocalLease {
    const id = `${tenantId}|${key}`;
    let bucket = this.buckets.get(id);
    if (bucket && (bucket.limit.capacity !== limit.capacity || bucket.limit.perSecond !== limit.perSecond)) {
      // the limit changed (settings were edited): what was leased under the old one still counts
      bucket.limit = limit;
      bucket.emptyUntil = 0;
    }
    if (!bucket) {
      if (this.buckets.size >= MAX_LOCAL_BUCKETS) this.forgetIdle();
      bucket = { tenantId, key, limit, tokens: 0, sharedLeft: 0, emptyUntil: 0, line: [], leasing: false };
      this.buckets.set(id, bucket);
    }
    return bucket;
  }

  private async serveLine(bucket: LocalLease): Promise<void> {
    try {
      while (bucket.line.length > 0) {
        if (bucket.tokens < 1) {
          const waitMs = Math.max(0, bucket.emptyUntil - performance.now());
          if (waitMs > 0) {
            refuseThoseNotWaiting(bucket);
            if (bucket.line.length === 0) break;
            await sleep(waitMs);
          }
          await this.lease(bucket);
          if (bucket.tokens < 1) {
            bucket.emptyUntil = performance.now() + msUntilOneToken(bucket);
            continue;
          }
        }
        const served = bucket.line.splice(0, Math.min(Math.floor(bucket.tokens), bucket.line.length));
        for (const waiter of served) waiter.resolve(grant(bucket));
      }
    } catch (error) {
      for (const waiter of bucket.line.splice(0)) waiter.reject(error);
    } finally {
      bucket.leasing = false;
    }
  }

  private async lease(bucket: LocalLease): Promise<void> {
    const { capacity, perSecond } = bucket.limit;
    const wanted = Math.min(
      Math.max(leaseSize(bucket.limit), bucket.line.length),
      Math.max(1, Math.floor(capacity)),
    );
    const result = await sql<{ granted: number; tokens_left: number }>`
      select granted, tokens_left
      from rate_bucket_lease(${bucket.tenantId}::uuid, ${bucket.key}, ${wanted}::integer,
        ${capacity}::double precision, ${perSecond}::double precision)`.execute(this.db);
    const row = result.rows[0]!;
    bucket.tokens += Number(row.granted);
    bucket.sharedLeft = Number(row.tokens_left);
  }

  private forgetIdle(): void {
    for (const [id, bucket] of this.buckets) {
      if (bucket.tokens < 1 && bucket.line.length === 0 && !bucket.leasing) this.buckets.delete(id);
    }
  }
}

/** A tenth of a second's worth, at most a tenth of the burst and at most 100; at least one. */
function leaseSize(limit: BucketLimit): number {
  return Math.max(1, Math.min(Math.floor(limit.capacity / 10), Math.ceil(limit.perSecond / 10), 100));
}

function msUntilOneToken(bucket: LocalLease): number {
  return (Math.max(0, 1 - bucket.sharedLeft) / bucket.limit.perSecond) * 1000;
}

function grant(bucket: LocalLease): RateDecision {
  bucket.tokens -= 1;
  return { allowed: true, remaining: Math.floor(bucket.tokens + bucket.sharedLeft), retryAfter: 0 };
}

function refusal(bucket: LocalLease): RateDecision {
  const retryAfter = Math.max(1, Math.ceil((bucket.emptyUntil - performance.now()) / 1000));
  return { allowed: false, remaining: 0, retryAfter };
}

function refuseThoseNotWaiting(bucket: LocalLease): void {
  const refused = bucket.line.filter((waiter) => !waiter.waits);
  if (refused.length === 0) return;
  bucket.line = bucket.line.filter((waiter) => waiter.waits);
  for (const waiter of refused) waiter.resolve(refusal(bucket));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
