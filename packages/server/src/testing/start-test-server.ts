// Starts a real server for tests on an ephemeral port with a fresh, isolated database:
// - embedded: an in-memory PGlite seeded from a migrated template (0.5 s instead of a 3 s initdb);
// - `CMS_TEST_DATABASE_URL` set: a new database on that PostgreSQL server, dropped on close.
// The chain is disabled unless `overrides.chain` asks for one.
import { loadConfig, type ServerConfig } from '../config.js';
import { startServer, type RunningServer } from '../server.js';
import { createScratchDatabase, pgliteTemplate } from './test-database.js';

export { openTestDatabase } from './test-database.js';

export interface TestServer extends RunningServer {
  engine: 'pglite' | 'postgres';
}

export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  // No chain unless a test asks for one (`chain: { mode: 'embedded', confirmations: 1 }` starts a private
  // anvil): most suites do not anchor, and an anvil per suite is wasted on a 2-core machine.
  const base = { ...loadConfig({ PORT: '0', HOST: '127.0.0.1' }), chain: { mode: 'disabled' as const }, ledger: { batchSize: 1000, batchMaxWaitMs: 50 } };
  const adminUrl = process.env.CMS_TEST_DATABASE_URL;
  if (adminUrl) {
    const { url, drop } = await createScratchDatabase(adminUrl);
    const server = await startServer({ ...base, dataDir: undefined, webDir: undefined, database: { engine: 'postgres', url, poolSize: 5 }, ...overrides });
    return { ...server, engine: 'postgres', close: async () => (await server.close(), await drop()) };
  }
  const loadDataDir = await pgliteTemplate();
  const server = await startServer({ ...base, dataDir: undefined, webDir: undefined, database: { engine: 'pglite', loadDataDir }, ...overrides });
  return { ...server, engine: 'pglite' };
}
