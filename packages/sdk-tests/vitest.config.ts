import { defineProject } from 'vitest/config';

// One real server per file (PGlite starts in seconds on a busy machine): generous timeouts.
export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: '@cms/sdk-tests',
    environment: 'node',
    // One module graph per worker, reused by the files it runs (they run one after another and clean up after
    // themselves): reloading the server's dependencies for every file was a third of the suite's CPU time.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
