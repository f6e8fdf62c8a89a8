import { defineProject } from 'vitest/config';

// One real server per file (PGlite starts in seconds on a busy machine): generous timeouts.
export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: { name: '@cms/sdk-tests', environment: 'node', testTimeout: 60_000, hookTimeout: 120_000 },
});
