import { describe, expect, it } from 'vitest';
import { createLruMap } from './lru-map.js';

describe('LRU map', () => {
  it('forgets the least recently used entry beyond its bound', () => {
    const lru = createLruMap<number>({ max: 2 });
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3);
    expect([lru.get('a'), lru.get('b'), lru.get('c'), lru.size]).toEqual([1, undefined, 3, 2]);
  });

  it('drops entries at their expiry, and tells a stored undefined from a missing key', () => {
    let now = 1000;
    const lru = createLruMap<string | undefined>({ max: 10, now: () => now });
    lru.set('gone', undefined, 2000);
    lru.set('x', 'y', 1500);
    expect([lru.has('gone'), lru.has('nope'), lru.get('x')]).toEqual([true, false, 'y']);
    now = 1500;
    expect([lru.has('gone'), lru.get('x')]).toEqual([true, undefined]);
    now = 2000;
    expect(lru.has('gone')).toBe(false);
  });
});
