import { defineConfig } from 'vitest/config';

// `pnpm test:integration`: the same API tests against real services instead of the embedded defaults.
// Test servers each get a scratch database on this PostgreSQL (see @cms/server/testing).
process.env.CMS_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
// Sessions, challenges and other short-lived data in this Redis, one key prefix per test server.
process.env.CMS_TEST_REDIS_URL ??= 'redis://127.0.0.1:6379';

export default defineConfig({
  test: {
    projects: ['packages/server', 'packages/sdk-tests', 'packages/cli', 'packages/react-hooks', 'examples/*'],
  },
});
