// Starts a real server for tests on an ephemeral port with a fresh, isolated database:
// - embedded: an in-memory PGlite seeded from a migrated template (0.5 s instead of a 3 s initdb);
// - `CMS_TEST_DATABASE_URL` set: a new database on that PostgreSQL server, dropped on close.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig, type ServerConfig } from '../config.js';
import { migrationsFolder, openDatabase } from '../db/database.js';
import { startServer, type RunningServer } from '../server.js';

export interface TestServer extends RunningServer {
  engine: 'pglite' | 'postgres';
}

export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  const base = loadConfig({ PORT: '0', HOST: '127.0.0.1' });
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

/** A migrated PGlite data directory, dumped once per migration set and shared by every test process. */
async function pgliteTemplate(): Promise<Blob> {
  const folder = migrationsFolder();
  const hash = createHash('sha256');
  for (const f of readdirSync(folder).filter((f) => f.endsWith('.sql')).sort()) hash.update(readFileSync(join(folder, f)));
  const file = join(tmpdir(), `cms-pglite-template-${hash.digest('hex').slice(0, 16)}.tar`);
  if (!existsSync(file)) {
    const db = await openDatabase({ engine: 'pglite' });
    const dump = await db.dumpDataDir!();
    await db.close();
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file); // atomic: concurrent test processes never read a half-written template
  }
  return new Blob([readFileSync(file)]);
}

async function createScratchDatabase(adminUrl: string) {
  const name = `cms_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
