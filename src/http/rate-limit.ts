/**
 * Rate limits per API key (or operator session): a token bucket per key, held IN MEMORY PER
 * PROCESS. With N API processes behind a load balancer a key gets up to N times the rate; that is
 * accepted for now (a shared limiter in PostgreSQL would cost a write per request). Buckets measure
 * wall time, not the injected business clock: throttling is about the real request rate.
 */
export interface RateLimitOptions {
  /** Requests a key may burst at once. Default 200. */
  burst: number;
  /** Tokens added per second (the sustained rate). Default 100. */
  perSecond: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 200, perSecond: 100 };

interface Bucket {
  tokens: number;
  at: number;
}

export interface RateDecision {
  allowed: boolean;
  remaining: number;
  /** Seconds until one token is available again (for Retry-After). */
  retryAfter: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly options: RateLimitOptions;
  private readonly now: () => number;

  constructor(options: RateLimitOptions = DEFAULT_RATE_LIMIT, now: () => number = () => performance.now()) {
    this.options = options;
    this.now = now;
  }

  get limit(): number {
    return this.options.burst;
  }

  take(key: string): RateDecision {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.options.burst, at: now };
    bucket.tokens = Math.min(
      this.options.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.options.perSecond,
    );
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 100_000) this.evictFull();
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfter: 0 };
    }
    return {
      allowed: false,
      remaining: 0,
      retryAfter: Math.ceil((1 - bucket.tokens) / this.options.perSecond),
    };
  }

  /** Buckets that refilled completely carry no state worth keeping. */
  private evictFull(): void {
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.options.perSecond >= this.options.burst) {
        this.buckets.delete(key);
      }
    }
  }
}
