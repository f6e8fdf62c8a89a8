import { defineProject } from 'vitest/config';

export default defineProject({
  // `source` is for the test's own imports (the test server); the page itself is built by Vite with
  // vite.config.ts, which resolves @cms/sdk to its built `dist`.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: 'example-browser-signing',
    environment: 'node',
    globalSetup: ['test/build-sdk.global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
