import { describe, expect, it } from 'vitest';
import { isRetryableResponse, isRetrySafe, MAX_RETRY_AFTER_MS, parseRetryAfter, retryDelayMs } from './retry-policy.js';

describe('retryDelayMs', () => {
  it('grows the step exponentially up to the cap, with jitter in its upper half', () => {
    expect([1, 2, 3, 4, 5, 6].map((retry) => retryDelayMs(retry, undefined, () => 0.999_999))).toEqual([
      499, 999, 1999, 3999, 3999, 3999,
    ]);
    expect([1, 2, 3, 4, 5].map((retry) => retryDelayMs(retry, undefined, () => 0))).toEqual([
      250, 500, 1000, 2000, 2000,
    ]);
  });

  it('waits long enough by default to outlast a restart: 5.75 to 11.5 s over the five default retries', () => {
    const total = (random: () => number) =>
      [1, 2, 3, 4, 5].reduce((sum, retry) => sum + retryDelayMs(retry, undefined, random), 0);
    expect(total(() => 0)).toBe(5750);
    expect(total(() => 0.999_999)).toBe(11_495);
  });

  it("never waits less than the server's Retry-After, capped", () => {
    expect(retryDelayMs(1, 1000, () => 0)).toBe(1000);
    expect(retryDelayMs(4, 1000, () => 0)).toBe(2000);
    expect(retryDelayMs(1, 3_600_000)).toBe(MAX_RETRY_AFTER_MS);
  });
});

describe('isRetryableResponse', () => {
  const problem = (status: number, code: string) =>
    new Response(JSON.stringify({ status, code }), { status, headers: { 'content-type': 'application/problem+json' } });
  it('retries 503 and 409 idempotency_key_in_use, not other conflicts', async () => {
    expect(await isRetryableResponse(problem(503, 'database_unavailable'))).toBe(true);
    expect(await isRetryableResponse(problem(409, 'idempotency_key_in_use'))).toBe(true);
    expect(await isRetryableResponse(problem(409, 'invalid_transition'))).toBe(false);
    expect(await isRetryableResponse(problem(409, 'idempotency_response_lost'))).toBe(false);
    expect(await isRetryableResponse(new Response('not json', { status: 409 }))).toBe(false);
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
