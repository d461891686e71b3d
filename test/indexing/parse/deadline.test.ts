import { describe, expect, it } from 'vitest';
import { DeadlineExceededError, withDeadline } from '../../../src/indexing/parse/deadline.ts';

describe('withDeadline', () => {
  it('gives up on work that never finishes, aborting its signal', async () => {
    let seen: AbortSignal | undefined;
    const never = withDeadline(20, (signal) => {
      seen = signal;
      return new Promise<never>(() => {});
    });
    await expect(never).rejects.toThrow(new DeadlineExceededError('gave up after 20 ms'));
    expect(seen?.aborted).toBe(true);
  });

  it('returns the result, or the failure, of work that finishes in time', async () => {
    await expect(withDeadline(1000, async () => 'done')).resolves.toBe('done');
    await expect(withDeadline(1000, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});
