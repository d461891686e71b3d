// Requests per key and minute, counted in the database so that every server instance shares one count (Dify
// self-hosted has no limit; Dify Cloud keeps one per workspace). Off when the limit is 0. rate-limiter-flexible's
// PostgreSQL store does the counting: one upsert per request, in the `rate_limits` table of the migrations.
import pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

export class RateLimiter {
  private constructor(
    private readonly limiter: RateLimiterPostgres | null,
    private readonly pool: pg.Pool | null,
  ) {}

  static create(perMinute: number, databaseUrl: string): RateLimiter {
    if (perMinute <= 0) return new RateLimiter(null, null);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    const limits = { points: perMinute, duration: 60, keyPrefix: 'api-key' };
    const limiter = new RateLimiterPostgres({
      ...limits,
      storeClient: pool,
      tableName: 'rate_limits',
      tableCreated: true,
      // While the database does not answer, each instance counts alone rather than refusing everyone.
      insuranceLimiter: new RateLimiterMemory(limits),
    });
    return new RateLimiter(limiter, pool);
  }

  /** Records a request; resolves to the seconds to wait when it is over the limit, else 0. */
  async take(key: string): Promise<number> {
    if (!this.limiter) return 0;
    try {
      await this.limiter.consume(key);
      return 0;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
      throw outcome;
    }
  }

  async close(): Promise<void> {
    await this.pool?.end();
  }
}

export const RATE_LIMIT_MESSAGE = 'Sorry, you have reached the knowledge base request rate limit of your subscription.';
