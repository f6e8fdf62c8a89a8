import { defineProject } from 'vitest/config';

// The web UI is tested in real Chromium against a real server (test/web.browser.test.ts): the test builds
// the app with Vite itself, so this project runs in Node.
export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: '@cms/web',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
