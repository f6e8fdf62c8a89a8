import { describe, expect, it } from 'vitest';
import { createOperationLimits } from './operation-limits.js';

describe('operation limits', () => {
  it('answers busy beyond the concurrency limit instead of queueing, and times out slow work', async () => {
    const limits = createOperationLimits({ maxConcurrency: 2, timeoutMs: 50 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = limits.run('slow', () => gate);
    const b = limits.run('slow', () => gate);
    await expect(limits.run('fast', () => 1)).rejects.toMatchObject({ code: 'busy' });
    release();
    await Promise.all([a, b]);
    expect(await limits.run('fast', () => 2)).toBe(2);
    await expect(limits.run('stuck', () => new Promise(() => {}))).rejects.toMatchObject({
      code: 'timeout',
      message: 'stuck took longer than 50 ms',
    });
    const usage = limits.usage();
    expect(usage).toMatchObject({ inFlight: 0, maxConcurrency: 2, rejectedBusy: 1, timedOut: 1 });
    expect(usage.operations.slow).toMatchObject({ count: 2, errors: 0 });
    expect(usage.operations.stuck).toMatchObject({ count: 1, errors: 1 });
    expect(usage.operations.stuck!.seconds).toBeGreaterThan(0.04);
  });
});
