import { defineConfig } from 'vitest/config';

// `pnpm test`: every package's unit and API tests on embedded defaults (PGlite, in-process cache).
// The fault suite kills and restarts processes of its own: `pnpm test:faults` runs it.
export default defineConfig({
  test: {
    projects: ['packages/*', '!packages/fault-tests', 'examples/*', 'scripts'],
  },
});
