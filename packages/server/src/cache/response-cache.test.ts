// The in-process response cache (no Redis): bounded, expiring, and off when its TTL is 0. The Redis
// cache, shared by instances and bypassed while down, is exercised in test/caching.pg.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createResponseCache } from './response-cache.js';

afterEach(() => vi.useRealTimers());

describe('in-process response cache', () => {
  it('returns what was stored and counts hits and misses', async () => {
    const cache = createResponseCache({});
    expect(await cache.get('contract:1:"1.a"')).toBeUndefined();
    await cache.set('contract:1:"1.a"', '{"id":"1"}');
    expect(await cache.get('contract:1:"1.a"')).toBe('{"id":"1"}');
    expect(await cache.get('contract:1:"2.a"')).toBeUndefined();
    expect(cache.stats).toEqual({ hits: 1, misses: 2 });
  });

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const cache = createResponseCache({ maxEntries: 2 });
    await cache.set('a', 'A');
    await cache.set('b', 'B');
    await cache.get('a'); // a is now more recent than b
    await cache.set('c', 'C');
    expect([await cache.get('a'), await cache.get('b'), await cache.get('c')]).toEqual(['A', undefined, 'C']);
  });

  it('forgets entries after their TTL', async () => {
    vi.useFakeTimers();
    const cache = createResponseCache({ ttlSeconds: 60 });
    await cache.set('a', 'A');
    vi.advanceTimersByTime(59_000);
    expect(await cache.get('a')).toBe('A');
    vi.advanceTimersByTime(2_000);
    expect(await cache.get('a')).toBeUndefined();
  });

  it('stores nothing when the TTL is 0', async () => {
    const cache = createResponseCache({ ttlSeconds: 0 });
    await cache.set('a', 'A');
    expect(await cache.get('a')).toBeUndefined();
  });
});
