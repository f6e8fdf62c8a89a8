import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongFirstSequencer } from './vitest.sequencer.ts';

// `pnpm test`: every package's unit and API tests on embedded defaults (PGlite, in-process cache).
// The fault suite kills and restarts processes of its own: `pnpm test:faults` runs it.
// Most files spend their time waiting (on blocks, child processes, timers), not computing: vitest's default of
// one worker per core minus one would run them one by one on a 2-core machine. CMS_TEST_WORKERS overrides.
export const testWorkers = Number(process.env.CMS_TEST_WORKERS) || Math.max(2, availableParallelism() + 1);

export default defineConfig({
  test: {
    maxWorkers: testWorkers,
    sequence: { sequencer: LongFirstSequencer },
    projects: ['packages/*', '!packages/fault-tests', 'examples/*', 'scripts'],
  },
});
