import { defineProject } from 'vitest/config';

// `pnpm test:faults` only (the root configs leave this package out): real processes that the tests kill
// and restart, one file at a time, each with its own PostgreSQL, Redis, anvil and server.
export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: '@cms/fault-tests',
    environment: 'node',
    include: ['test/**/*.fault.test.ts'],
    globalSetup: ['./support/build-server.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
});
