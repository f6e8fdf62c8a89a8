import { describe, expect, it } from 'vitest';
import { isRetrySafe, MAX_RETRY_AFTER_MS, parseRetryAfter, retryDelayMs } from './retry-policy.js';

describe('retryDelayMs', () => {
  it('grows the ceiling exponentially up to the cap, with full jitter below it', () => {
    expect([1, 2, 3, 4, 5, 6].map((retry) => retryDelayMs(retry, undefined, () => 0.999_999))).toEqual([499, 999, 1999, 3999, 7999, 7999]);
    expect(retryDelayMs(3, undefined, () => 0)).toBe(0);
  });

  it("takes the server's Retry-After instead, capped", () => {
    expect(retryDelayMs(1, 1000, () => 0)).toBe(1000);
    expect(retryDelayMs(1, 3_600_000)).toBe(MAX_RETRY_AFTER_MS);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('isRetrySafe', () => {
  it('allows reads, and writes only with an Idempotency-Key', () => {
    expect(isRetrySafe(new Request('http://x/', { method: 'GET' }))).toBe(true);
    expect(isRetrySafe(new Request('http://x/', { method: 'HEAD' }))).toBe(true);
    expect(isRetrySafe(new Request('http://x/', { method: 'POST' }))).toBe(false);
    expect(isRetrySafe(new Request('http://x/', { method: 'POST', headers: { 'idempotency-key': 'k' } }))).toBe(true);
  });
});
