/**
 * A per-key sliding window of one minute, kept in this process (Dify self-hosted has no limit; Dify Cloud keeps
 * one per workspace). Off when the limit is 0.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a request; returns the seconds to wait when it is over the limit, else 0. */
  take(key: string): number {
    if (this.perMinute <= 0) return 0;
    const now = this.now();
    const windowStart = now - 60_000;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > windowStart);
    if (recent.length >= this.perMinute) {
      this.hits.set(key, recent);
      return Math.max(1, Math.ceil(((recent[0] ?? now) - windowStart) / 1000));
    }
    recent.push(now);
    this.hits.set(key, recent);
    return 0;
  }
}

export const RATE_LIMIT_MESSAGE = 'Sorry, you have reached the knowledge base request rate limit of your subscription.';
