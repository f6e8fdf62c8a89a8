import { describe, expect, it } from 'vitest';
import { KeyValueStoreUnavailableError } from '../cache/key-value-store.js';
import { createLogger } from '../observability/logger.js';
import { retryWhileUnavailable } from './retry-while-unavailable.js';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('retryWhileUnavailable', () => {
  it('keeps opening a dependency that is not up yet, logging each retry, until it answers', async () => {
    const logs: Record<string, unknown>[] = [];
    const failures = [refused(), new KeyValueStoreUnavailableError('cannot connect to Redis')];
    let calls = 0;
    const opened = await retryWhileUnavailable(
      async () => {
        calls++;
        const failure = failures.shift();
        if (failure) throw failure;
        return 'open';
      },
      {
        what: 'the database',
        logger: createLogger({
          level: 'info',
          destination: { write: (line: string) => void logs.push(JSON.parse(line)) },
        }),
      },
    );
    expect(opened).toBe('open');
    expect(calls).toBe(3);
    expect(logs.map((l) => [l.msg, l.retryInMs])).toEqual([
      ['the database unreachable at start-up; retrying', 250],
      ['the database unreachable at start-up; retrying', 500],
    ]);
  });

  it('throws anything else at once, and an outage that outlasts the timeout', async () => {
    let calls = 0;
    const wrong = await retryWhileUnavailable(
      async () => (calls++, Promise.reject(new Error('password authentication failed'))),
      { what: 'x' },
    ).catch((e: Error) => e);
    expect([wrong.message, calls]).toEqual(['password authentication failed', 1]);
    const gone = await retryWhileUnavailable(() => Promise.reject(refused()), { what: 'x', timeoutMs: 400 }).catch(
      (e: Error) => e,
    );
    expect(gone.message).toBe('connect ECONNREFUSED 127.0.0.1:5432');
  });
});
