import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: '@cms/react',
    environment: 'happy-dom',
    setupFiles: ['test/support/revalidate-cached-responses.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
