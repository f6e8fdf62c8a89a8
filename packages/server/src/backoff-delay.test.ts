import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff-delay.js';

describe('backoffDelayMs', () => {
  const steps = (jitter: 'full' | 'equal', random: number) =>
    [1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, { initialMs: 100, maxMs: 1000, jitter }, () => random));

  it('doubles from the first step up to the cap', () => {
    expect(steps('full', 0.999_999)).toEqual([99, 199, 399, 799, 999, 999]);
    expect(steps('equal', 0.999_999)).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('full jitter may wait nothing; equal jitter waits at least half the step', () => {
    expect(steps('full', 0)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(steps('equal', 0)).toEqual([50, 100, 200, 400, 500, 500]);
  });
});
