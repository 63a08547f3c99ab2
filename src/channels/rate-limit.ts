/**
 * A token bucket per tenant and channel: at most `perSecond` sends a second with bursts of one
 * second's worth, so one tenant's batch does not exceed what its provider contract allows. It
 * lives in the worker process; with several workers each gets the full rate (documented in
 * messaging settings).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number; perSecond: number }>();

  async take(key: string, perSecond: number): Promise<void> {
    for (;;) {
      const now = performance.now();
      let bucket = this.buckets.get(key);
      if (!bucket || bucket.perSecond !== perSecond) {
        bucket = { tokens: perSecond, at: now, perSecond };
        this.buckets.set(key, bucket);
      }
      bucket.tokens = Math.min(perSecond, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
      bucket.at = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return;
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.ceil(((1 - bucket.tokens) / perSecond) * 1000)),
      );
    }
  }
}
