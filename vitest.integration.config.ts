import { defineConfig } from 'vitest/config';
import { testWorkers } from './vitest.config.ts';
import { LongFirstSequencer } from './vitest.sequencer.ts';

// `pnpm test:integration`: the tests whose behaviour depends on the real engines, against real services
// (`pnpm test` runs everything else, and these too where they run embedded). A file belongs in this list
// when PostgreSQL (row locks, transactions between connections, replicas, scratch databases), Redis
// (shared sessions, limits and event fan-out between instances) or an external chain changes what it
// checks; a test that passes the same on PGlite and the in-process store only repeats itself here.
// Test servers each get a scratch database on this PostgreSQL (see @cms/server/testing).
process.env.CMS_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
// Sessions, challenges and other short-lived data in this Redis, one key prefix per test server.
process.env.CMS_TEST_REDIS_URL ??= 'redis://127.0.0.1:6379';
// Uploaded files in a real S3-compatible server (s3rver, started by each file test) instead of a directory.
process.env.CMS_TEST_FILE_STORAGE ??= 's3';

/** Relative to packages/server. */
export const ENGINE_DEPENDENT = [
  // Only here: real PostgreSQL server binaries, Redis between instances, an external chain.
  'test/**/*.pg.test.ts',
  // Row locks and concurrent transactions (PGlite runs one connection at a time).
  'test/contract-concurrency.api.test.ts',
  'test/contract-atomicity.api.test.ts',
  'test/idempotency.api.test.ts',
  'test/organizations.api.test.ts',
  'test/contract-lifecycle.api.test.ts',
  // Sessions, refresh rotation, rate limits and the key-value store in Redis.
  'test/auth-sessions.api.test.ts',
  'test/rate-limit.api.test.ts',
  'src/cache/key-value-store.test.ts',
  // The database outage and readiness answers of a PostgreSQL pool.
  'test/database-outage.api.test.ts',
  'test/documents.api.test.ts',
  // The blob store: the same file tests on an S3-compatible server (and PostgreSQL).
  'test/files.api.test.ts',
];

export default defineConfig({
  test: {
    maxWorkers: testWorkers,
    sequence: { sequencer: LongFirstSequencer },
    projects: [
      {
        extends: './packages/server/vitest.config.ts',
        root: './packages/server',
        test: { name: '@cms/server (engines)', include: ENGINE_DEPENDENT },
      },
      {
        // 10,000 rows of `cms bulk create`, SIGKILLed halfway and re-run (500 rows in `pnpm test`).
        extends: './packages/cli/vitest.config.ts',
        root: './packages/cli',
        test: { name: '@cms/cli (engines)', include: ['test/bulk.api.test.ts'] },
      },
    ],
  },
});
