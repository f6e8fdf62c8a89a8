import { defineConfig } from 'vitest/config';

// `pnpm test`: every package's unit and API tests on embedded defaults (PGlite, in-process cache).
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples/*', 'scripts'],
  },
});
