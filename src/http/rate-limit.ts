import type { RateBuckets, RateDecision } from "../db/rate-buckets.ts";
import type { Principal } from "./permissions.ts";

/**
 * Rate limits per API key (or operator session): a token bucket per key, shared by every API
 * process on the database (see src/db/rate-buckets.ts), so that N servers behind a load balancer
 * give a key the same rate as one. Buckets follow the database server's wall clock, not the
 * injected business clock: throttling is about the real request rate.
 */
export interface RateLimitOptions {
  /** Requests a key may burst at once. Default 200. */
  burst: number;
  /** Tokens added per second (the sustained rate). Default 100. */
  perSecond: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 200, perSecond: 100 };

export class RequestRateLimiter {
  private readonly buckets: RateBuckets;
  private readonly options: RateLimitOptions;

  constructor(buckets: RateBuckets, options: RateLimitOptions = DEFAULT_RATE_LIMIT) {
    this.buckets = buckets;
    this.options = options;
  }

  get limit(): number {
    return this.options.burst;
  }

  take(principal: Principal): Promise<RateDecision> {
    return this.buckets.tryTake(principal.tenantId, `${principal.kind}:${principal.actorId}`, {
      capacity: this.options.burst,
      perSecond: this.options.perSecond,
    });
  }
}
