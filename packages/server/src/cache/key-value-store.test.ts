// One behaviour suite for both stores: the in-process one always, Redis when CMS_TEST_REDIS_URL is set
// (the integration suite sets it).
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { KeyValueStore } from './key-value-store.js';
import { KeyValueStoreUnavailableError } from './key-value-store.js';
import { createMemoryStore } from './memory-store.js';
import { createRedisStore } from './redis-store.js';

const redisUrl = process.env.CMS_TEST_REDIS_URL;
let clock = 1_000_000;
const stores: [string, () => Promise<KeyValueStore>, (ms: number) => Promise<void>][] = [
  ['memory', async () => createMemoryStore({ now: () => clock }), async (ms) => void (clock += ms)],
];
if (redisUrl) {
  stores.push([
    'redis',
    () => createRedisStore({ url: redisUrl, keyPrefix: `cms-test-${randomBytes(6).toString('hex')}:` }),
    (ms) => new Promise((r) => setTimeout(r, ms)),
  ]);
}

describe.each(stores)('%s store', (_kind, open, advance) => {
  let store: KeyValueStore;
  const opened: KeyValueStore[] = [];
  const fresh = async () => {
    store = await open();
    opened.push(store);
    return store;
  };
  afterAll(async () => {
    for (const s of opened) {
      await (s as { deleteAllKeys?: () => Promise<void> }).deleteAllKeys?.();
      await s.close();
    }
  });

  it('gets, sets, deletes and respects ifAbsent', async () => {
    const s = await fresh();
    expect(await s.get('a')).toBeUndefined();
    expect(await s.set('a', '1')).toBe(true);
    expect(await s.set('a', '2', { ifAbsent: true })).toBe(false);
    expect(await s.get('a')).toBe('1');
    expect(await s.getMany(['a', 'nope'])).toEqual(['1', undefined]);
    expect(await s.delete('a', 'nope')).toBe(1);
    expect(await s.get('a')).toBeUndefined();
  });

  it('expires keys after their TTL', async () => {
    const s = await fresh();
    await s.set('short', 'x', { ttlSeconds: 1 });
    await s.set('long', 'y', { ttlSeconds: 60 });
    expect(await s.get('short')).toBe('x');
    await advance(2100);
    expect(await s.get('short')).toBeUndefined();
    expect(await s.get('long')).toBe('y');
  });

  it('consumes a value exactly once, even under concurrency', async () => {
    const s = await fresh();
    await s.set('nonce', 'did:key:z', { ttlSeconds: 60 });
    const results = await Promise.all(Array.from({ length: 20 }, () => s.consume('nonce')));
    expect(results.filter((r) => r !== undefined)).toEqual(['did:key:z']);
    expect(await s.get('nonce')).toBeUndefined();
  });

  it('increments atomically', async () => {
    const s = await fresh();
    const values = await Promise.all(Array.from({ length: 10 }, () => s.increment('n', { ttlSeconds: 60 })));
    expect(values.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('keeps the greatest of concurrent setMax values, and expires it', async () => {
    const s = await fresh();
    const values = ['00000000000000a0', '0000000000000100', '00000000000000ff', '0000000000000011'];
    await Promise.all(values.map((v) => s.setMax('position', v, { ttlSeconds: 1 })));
    expect(await s.get('position')).toBe('0000000000000100');
    await s.setMax('position', '00000000000000ff', { ttlSeconds: 1 });
    expect(await s.get('position')).toBe('0000000000000100');
    await advance(2100);
    expect(await s.get('position')).toBeUndefined();
  });

  it('keeps sets of members', async () => {
    const s = await fresh();
    await s.addToSet('set', 'a', { ttlSeconds: 60 });
    await s.addToSet('set', 'b', { ttlSeconds: 60 });
    await s.addToSet('set', 'a');
    expect((await s.setMembers('set')).sort()).toEqual(['a', 'b']);
    await s.removeFromSet('set', 'a');
    expect(await s.setMembers('set')).toEqual(['b']);
    await s.removeFromSet('set', 'b');
    expect(await s.setMembers('set')).toEqual([]);
  });

  it('keeps stores with different prefixes apart', async () => {
    const a = await fresh();
    const b = await fresh();
    await a.set('shared-name', 'a');
    expect(await b.get('shared-name')).toBeUndefined();
  });
});

describe('redis store', () => {
  it('reports an unreachable Redis as unavailable without leaking the password', async () => {
    const error = await createRedisStore({ url: 'redis://:s3cret@127.0.0.1:1' }).catch((e) => e);
    expect(error).toBeInstanceOf(KeyValueStoreUnavailableError);
    expect(error.message).toBe('cannot connect to Redis at redis://:***@127.0.0.1:1');
  });
});
