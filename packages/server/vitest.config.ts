import { configDefaults, defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: '@cms/server',
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // *.pg.test.ts need real PostgreSQL server binaries: the integration suite (CMS_TEST_DATABASE_URL) runs them.
    exclude: [...configDefaults.exclude, ...(process.env.CMS_TEST_DATABASE_URL ? [] : ['**/*.pg.test.ts'])],
  },
});
