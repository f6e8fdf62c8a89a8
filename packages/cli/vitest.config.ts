import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: '@cms/cli',
    environment: 'node',
    // One module graph per worker, reused by the files it runs (they run one after another and clean up after
    // themselves): reloading the server's dependencies for every file was a third of the suite's CPU time.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
