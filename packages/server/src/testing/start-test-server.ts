// Starts a real server for tests on an ephemeral port with a fresh, isolated database:
// - embedded: an in-memory PGlite seeded from a migrated template (0.5 s instead of a 3 s initdb);
// - `CMS_TEST_DATABASE_URL` set: a new database on that PostgreSQL server, dropped on close.
// The chain is disabled unless `overrides.chain` asks for one. Sessions live in memory, or in Redis
// under a prefix of the server's own when `CMS_TEST_REDIS_URL` is set. Unless `overrides` ask, rate
// limits are off (suites make many requests from one address) and logs are at `error` only, so an
// unexpected 500 shows its stack in the test output (`CMS_TEST_LOG_LEVEL` for more).
import { randomBytes } from 'node:crypto';
import { createRedisStore } from '../cache/redis-store.js';
import { loadConfig, type ServerConfig } from '../config.js';
import { type RunningServer, startServer } from '../server.js';
import { createScratchDatabase, pgliteTemplate } from './test-database.js';

export { CHROMIUM_ARGS, type ChromiumLookup, findChromium } from './browser.js';
export { samplePdf } from './sample-pdf.js';
export { openTestDatabase } from './test-database.js';

/** What @hono/node-server passes an app for a connection from this machine (the loopback peer some routes require). */
const LOOPBACK_PEER = { incoming: { socket: { remoteAddress: '127.0.0.1', remotePort: 1, remoteFamily: 'IPv4' } } };

/**
 * A `fetch` that hands each request to the server's app in this process (Hono's `app.request`), as from a
 * loopback client, instead of over a socket: for tests that need no real connection (authorization
 * tables, bad input). URLs are the server's own (`server.url`), so everything else is as over HTTP.
 */
export function inProcessFetch(server: Pick<RunningServer, 'fetch'>): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    if (!request.body || request.headers.has('content-length') || request.headers.has('transfer-encoding')) {
      return server.fetch(request, LOOPBACK_PEER);
    }
    // Over a socket a body always comes framed (Content-Length here, as Node's fetch sends a buffered body).
    const body = new Uint8Array(await request.arrayBuffer());
    const headers = new Headers(request.headers);
    headers.set('content-length', String(body.byteLength));
    return server.fetch(new Request(request, { body, headers }), LOOPBACK_PEER);
  };
}

/**
 * An embedded enclave for a test server (a real `cms-enclave` child process): keys in `dataDir`, or in
 * a temporary directory removed on close.
 */
export function testEnclave(dataDir?: string): ServerConfig['enclave'] {
  return {
    mode: 'embedded',
    dataDir,
    limits: { maxConcurrency: 16, maxRequestBytes: 1024 * 1024, timeoutMs: 5000, memoryMb: 192 },
    callTimeoutMs: 6000,
  };
}

export interface TestServer extends RunningServer {
  engine: 'pglite' | 'postgres';
}

export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  // No chain unless a test asks for one (`chain: { mode: 'embedded', confirmations: 1 }` starts a private
  // anvil): most suites do not anchor, and an anvil per suite is wasted on a 2-core machine.
  const defaults = loadConfig({ PORT: '0', HOST: '127.0.0.1' });
  const base = {
    ...defaults,
    chain: { mode: 'disabled' as const },
    ledger: { batchSize: 1000, batchMaxWaitMs: 50 },
    rateLimit: { ...defaults.rateLimit, enabled: false },
    log: { level: (process.env.CMS_TEST_LOG_LEVEL ?? 'error') as ServerConfig['log']['level'] },
    shutdownTimeoutMs: 2000,
    // No enclave process unless a test asks (`enclave: testEnclave()`), like the chain.
    enclave: { mode: 'disabled' as const },
    // Blobs in a temporary directory of the server's own.
    files: { ...defaults.files, dir: undefined },
  };
  // `CMS_TEST_REDIS_URL` set: sessions and challenges in that Redis, under a prefix of this server's own.
  const redisUrl = process.env.CMS_TEST_REDIS_URL;
  const keyPrefix = `cms-test-${randomBytes(6).toString('hex')}:`;
  const keyValueStore: ServerConfig['keyValueStore'] = redisUrl
    ? { engine: 'redis', url: redisUrl, keyPrefix }
    : { engine: 'memory' };
  const withStore = { ...base, keyValueStore };
  const adminUrl = process.env.CMS_TEST_DATABASE_URL;
  if (adminUrl) {
    const { url, drop } = await createScratchDatabase(adminUrl);
    const server = await startServer({
      ...withStore,
      dataDir: undefined,
      webDir: undefined,
      database: { engine: 'postgres', url, poolSize: 5 },
      ...overrides,
    });
    return {
      ...server,
      engine: 'postgres',
      close: async () => (await server.close(), await drop(), await dropRedisKeys(redisUrl, keyPrefix)),
    };
  }
  const loadDataDir = await pgliteTemplate();
  const server = await startServer({
    ...withStore,
    dataDir: undefined,
    webDir: undefined,
    database: { engine: 'pglite', loadDataDir },
    ...overrides,
  });
  return {
    ...server,
    engine: 'pglite',
    close: async () => (await server.close(), await dropRedisKeys(redisUrl, keyPrefix)),
  };
}

let shared: Promise<TestServer> | undefined;

/**
 * A default test server (`startTestServer()` without overrides) shared by the test files one worker runs
 * one after another (the projects that keep their modules between files, `isolate: false`): each file
 * makes its own users and organizations, so they do not see each other's data, and a worker starts one
 * server instead of one per file. Its `close()` does nothing; the server ends with the worker. For a file
 * that changes server-wide state (stops the database, counts every row, reads metrics), or that needs
 * other settings, use `startTestServer`. With `CMS_TEST_DATABASE_URL` set (the integration run) each call
 * starts its own server as `startTestServer()` does, so its scratch database is dropped on close.
 */
export function sharedTestServer(): Promise<TestServer> {
  if (process.env.CMS_TEST_DATABASE_URL) return startTestServer();
  shared ??= startTestServer().then((server) => ({ ...server, close: async () => {} }));
  // A failed start is not kept: the next file tries again.
  shared.catch(() => (shared = undefined));
  return shared;
}

async function dropRedisKeys(url: string | undefined, keyPrefix: string): Promise<void> {
  if (!url) return;
  const store = await createRedisStore({ url, keyPrefix });
  await store.deleteAllKeys();
  await store.close();
}
