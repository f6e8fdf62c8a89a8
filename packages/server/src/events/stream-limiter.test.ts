import { describe, expect, it } from 'vitest';
import { createStreamLimiter } from './stream-limiter.js';

describe('createStreamLimiter', () => {
  it('admits up to the limit per user, and one more after a release; releasing twice frees one slot', () => {
    const limiter = createStreamLimiter(2);
    const first = limiter.acquire('u1')!;
    expect(limiter.acquire('u1')).toBeTypeOf('function');
    expect(limiter.acquire('u1')).toBeUndefined();
    expect(limiter.acquire('u2')).toBeTypeOf('function');
    expect(limiter.open()).toBe(3);
    first();
    first();
    expect(limiter.open()).toBe(2);
    expect(limiter.acquire('u1')).toBeTypeOf('function');
    expect(limiter.acquire('u1')).toBeUndefined();
  });
});
