import { defineConfig } from 'vitest/config';

// `pnpm test:integration`: the same API tests against real services instead of the embedded defaults.
// Test servers each get a scratch database on this PostgreSQL (see @cms/server/testing).
process.env.CMS_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';

export default defineConfig({
  test: {
    projects: ['packages/server', 'packages/cli', 'packages/react-hooks', 'examples/*'],
  },
});
