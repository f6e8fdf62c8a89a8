// `cms-server migrate` and `doctor` against real PostgreSQL and Redis (the integration suite).

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../src/cli-admin/admin-commands.js';
import { createScratchDatabase } from '../src/testing/test-database.js';

const adminUrl = process.env.CMS_TEST_DATABASE_URL!;
const redisUrl = process.env.CMS_TEST_REDIS_URL!;
let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;

beforeAll(async () => {
  scratch = await createScratchDatabase(adminUrl);
});
afterAll(async () => scratch?.drop());

async function run(argv: string[], env: Record<string, string>) {
  const lines: string[] = [];
  const code = await runAdminCommand(
    argv,
    { CMS_CHAIN: 'disabled', CMS_ENCLAVE: 'disabled', CMS_DATA_DIR: '/tmp/cms-operator-pg', ...env },
    (l) => lines.push(l),
  );
  return { code, lines };
}

describe('cms-server migrate', () => {
  it('doctor sees a new database without migrations, migrate applies them once, doctor is then content', async () => {
    const env = { DATABASE_URL: scratch.url, REDIS_URL: redisUrl };
    const before = await run(['doctor'], env);
    expect(before.code, before.lines.join('\n')).toBe(0);
    expect(before.lines.find((l) => l.startsWith('WARN  database'))).toMatch(/: 0 of \d+ migrations applied$/);

    const first = await run(['migrate'], env);
    const total = Number(/at migration (\d+)/.exec(first.lines[0]!)![1]);
    expect(first.lines).toEqual([`database (postgres) is at migration ${total}, ${total} applied now`]);
    expect((await run(['migrate'], env)).lines).toEqual([
      `database (postgres) is at migration ${total}, 0 applied now`,
    ]);

    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    const { rows } = await client.query("select to_regclass('public.contracts') is not null as present");
    await client.end();
    expect(rows[0].present).toBe(true);

    const after = await run(['doctor'], env);
    expect(after.lines.find((l) => l.includes(' database '))).toMatch(
      new RegExp(`^OK    database   PostgreSQL .* ${total} migrations applied$`),
    );
    expect(after.lines.find((l) => l.includes(' redis '))).toMatch(
      /^(OK|WARN) +redis +Redis at redis:\/\/127\.0\.0\.1:6379.*: master/,
    );
  });

  it('doctor flags a replica URL that is really a primary', async () => {
    const { code, lines } = await run(['doctor'], { DATABASE_URL: scratch.url, DATABASE_REPLICA_URLS: scratch.url });
    expect(code).toBe(1);
    expect(lines).toContain(
      `FAIL  replica    ${scratch.url.replace('postgres://', 'postgres://')} is not in recovery: not a replica`,
    );
  });
});
