import { describe, expect, it } from 'vitest';
import { backoffDelay, retryAfterMs, sleep } from '../../../src/indexing/embed/backoff.ts';
import { mapBounded } from '../../../src/indexing/embed/bounded.ts';
import { errorDetail } from '../../../src/indexing/embed/error-detail.ts';
import { distributeTokens, estimateTokens } from '../../../src/indexing/embed/token-count.ts';

describe('embedding helpers', () => {
  it('backs off exponentially with jitter, capped', () => {
    for (let attempt = 1; attempt <= 6; attempt++) {
      const delay = backoffDelay(attempt, 100, 1000);
      const full = Math.min(1000, 100 * 2 ** (attempt - 1));
      expect(delay).toBeGreaterThanOrEqual(full / 2);
      expect(delay).toBeLessThanOrEqual(full);
    }
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('0.5')).toBe(500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
  });

  it('sleeps until aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 10);
    await expect(sleep(10_000, controller.signal)).rejects.toThrow('stop');
  });

  it('maps with bounded concurrency, in order, and stops at the first failure', async () => {
    let inFlight = 0;
    let max = 0;
    const out = await mapBounded([5, 1, 3, 2, 4], 2, async (n) => {
      max = Math.max(max, ++inFlight);
      await new Promise((r) => setTimeout(r, n * 3));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20, 40]);
    expect(max).toBe(2);

    const started: number[] = [];
    await expect(
      mapBounded([1, 2, 3, 4, 5, 6], 2, async (n, signal) => {
        started.push(n);
        if (n === 2) throw new Error('two');
        await sleep(50, signal);
        return n;
      }),
    ).rejects.toThrow('two');
    expect(started).toEqual([1, 2]);
  });

  it('estimates tokens and splits a total exactly', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('hello world')).toBe(3);
    expect(estimateTokens('首都')).toBe(2);
    const shares = distributeTokens(10, ['aaaa', 'aaaa', 'aaaa']);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(10);
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
    expect(distributeTokens(0, ['a'])).toEqual([0]);
    expect(distributeTokens(5, [])).toEqual([]);
  });

  it('describes error bodies', () => {
    expect(errorDetail('{"error":{"message":"bad key","type":"auth"}}')).toBe('bad key');
    expect(errorDetail('{"error":"quota"}')).toBe('quota');
    expect(errorDetail('{"detail":[{"loc":["body","input"],"msg":"field required"}]}')).toContain('field required');
    expect(errorDetail('')).toBe('empty body');
    expect(errorDetail('x'.repeat(1000))).toHaveLength(301);
  });
});
