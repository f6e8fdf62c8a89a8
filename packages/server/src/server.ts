// Starts a complete server from a config: logger, metrics, database (migrated), stores, ledger, HTTP
// listener; `close()` drains in-flight requests, then stops them in reverse order.
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Redis } from 'ioredis';
import { createApp } from './app.js';
import { createAccessTokenIssuer } from './auth/access-token.js';
import { createAuthenticator } from './auth/authenticate.js';
import { createDidResolver } from './auth/did-resolver.js';
import { createKeyRing } from './auth/key-ring.js';
import { createSessionStore } from './auth/sessions.js';
import { createProofVerifier } from './auth/verify-did-proof.js';
import { openKeyValueStore } from './cache/open-store.js';
import { createRedisStore } from './cache/redis-store.js';
import type { KeyValueStore } from './cache/key-value-store.js';
import { createResponseCache, type ResponseCache } from './cache/response-cache.js';
import type { ServerConfig } from './config.js';
import { startExpiryScheduler } from './contracts/expire-contracts.js';
import { openDatabase } from './db/database.js';
import { createGatewayRateLimits } from './http/rate-limit/gateway-rate-limits.js';
import { openRateLimitRedis } from './http/rate-limit/rate-limit-redis.js';
import { startEvents, type EventsRuntime } from './events/events-runtime.js';
import { startLedger, type Ledger } from './ledger/ledger-runtime.js';
import { countLedgerBacklog } from './observability/ledger-backlog.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import type { Services } from './services.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export interface RunningServer {
  /** Where the server listens, e.g. `http://127.0.0.1:8080`. */
  url: string;
  services: Services;
  /**
   * Stops accepting connections, lets in-flight requests finish (up to `shutdownTimeoutMs`, then cuts
   * the rest), then stops the workers, the stores and the database. `services.closing` aborts first.
   */
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const logger = createLogger(config.log);
  const database = await openDatabase(
    config.database.engine === 'postgres'
      ? config.database
      : { engine: 'pglite', dataDir: config.dataDir && join(config.dataDir, 'db'), loadDataDir: config.database.loadDataDir },
  );
  let url = '';
  let httpServer: ServerType | undefined;
  let ledger: Ledger | undefined;
  let store: KeyValueStore | undefined;
  let rateLimitRedis: Redis | undefined;
  let responseCache: ResponseCache | undefined;
  let events: EventsRuntime | undefined;
  try {
    store = await openKeyValueStore(config.keyValueStore);
    events = await startEvents(database.db, config.keyValueStore, config.events);
    const kv = config.keyValueStore;
    // Limits are counted where sessions live: in Redis when there is one, so every instance shares them.
    if (config.rateLimit.enabled && kv.engine === 'redis') {
      rateLimitRedis = await openRateLimitRedis(kv.url, kv.keyPrefix);
    }
    // Its own Redis connection with a short timeout: cached bodies do not queue in front of session
    // checks, and a slow cache is given up on quickly (reads then go to the database).
    responseCache = createResponseCache({
      ...config.responseCache,
      store: kv.engine === 'redis' ? await createRedisStore({ url: kv.url, keyPrefix: kv.keyPrefix, commandTimeoutMs: 500 }) : undefined,
    });
    ledger = await startLedger(database, { chain: config.chain, ledger: config.ledger, dataDir: config.dataDir, log: logTo(logger, 'ledger') });
    const metrics = createMetrics({ ledgerBacklog: () => countLedgerBacklog(database.db) });
    // Retired keys verify for as long as a token they signed can live, so rotating logs nobody out.
    const keys = createKeyRing({ keysDir: config.dataDir && join(config.dataDir, 'keys'), retainSeconds: config.accessTokenTtlSeconds + 60 });
    const listening = await listen(config, (req, env) => app.fetch(req, env));
    httpServer = listening.server;
    url = `http://${listening.host}:${listening.port}`;
    const publicUrl = config.publicUrl ?? url;
    const tokens = createAccessTokenIssuer({ keys, issuer: publicUrl, ttlSeconds: config.accessTokenTtlSeconds });
    const sessions = createSessionStore(store, { ttlSeconds: config.refreshTokenTtlSeconds });
    const didResolver = createDidResolver({ didWeb: config.didWeb });
    const closing = new AbortController();
    const services: Services = {
      version,
      database,
      tokens,
      keys,
      authenticate: createAuthenticator({ tokens, sessions }),
      store,
      sessions,
      responseCache,
      didResolver,
      proofs: createProofVerifier({ store, resolver: didResolver, audience: () => publicUrl }),
      ledger,
      events,
      publicUrl: () => publicUrl,
      logger,
      metrics,
      closing: closing.signal,
    };
    const rateLimits = createGatewayRateLimits(config, { redis: rateLimitRedis, logger, metrics });
    const app = createApp(config, services, rateLimits);
    const stopExpiry = startExpiryScheduler(database.db, config.expiryIntervalMs, (err) => logger.error({ err }, 'contract expiry failed'));
    let closed: Promise<void> | undefined;
    return {
      url,
      services,
      close() {
        closed ??= (async () => {
          closing.abort();
          await drain(httpServer!, config.shutdownTimeoutMs, logger);
          await stopExpiry();
          await ledger!.stop();
          await events!.close();
          await rateLimitRedis?.quit().catch(() => rateLimitRedis!.disconnect());
          await responseCache!.close();
          await store!.close();
          await database.close();
        })();
        return closed;
      },
    };
  } catch (error) {
    httpServer?.close();
    await ledger?.stop();
    rateLimitRedis?.disconnect();
    await responseCache?.close();
    await events?.close();
    await store?.close();
    await database.close();
    throw error;
  }
}

/**
 * Stops accepting connections and waits for open requests to finish; idle keep-alive connections are
 * closed as they become idle. Past `timeoutMs` the remaining connections are cut.
 */
async function drain(server: ServerType, timeoutMs: number, logger: Logger): Promise<void> {
  const http = server as ServerType & { closeIdleConnections?: () => void; closeAllConnections?: () => void };
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  http.closeIdleConnections?.();
  // A connection that finishes its request stays open for keep-alive: close it once idle.
  const idleSweep = setInterval(() => http.closeIdleConnections?.(), 50);
  let deadline: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (deadline = setTimeout(() => resolve('timeout'), timeoutMs)));
  try {
    if ((await Promise.race([closed, timedOut])) === 'timeout') {
      logger.warn({ timeoutMs }, 'shutdown deadline reached; closing open connections');
      http.closeAllConnections?.();
      await closed;
    }
  } finally {
    clearInterval(idleSweep);
    clearTimeout(deadline);
  }
}

/** Adapts the `{ level, msg, ... }` entries of the ledger's log callback to the logger. */
function logTo(logger: Logger, component: string) {
  const child = logger.child({ component });
  return ({ level, msg, ...fields }: Record<string, unknown>) => {
    const method = level === 'error' || level === 'warn' || level === 'info' || level === 'debug' ? level : 'warn';
    child[method](fields, typeof msg === 'string' ? msg : component);
  };
}

function listen(config: ServerConfig, fetch: (req: Request, env: unknown) => Response | Promise<Response>) {
  return new Promise<{ server: ServerType; host: string; port: number }>((resolve, reject) => {
    const server = serve({ fetch: fetch as never, port: config.port, hostname: config.host }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({ server, host, port: info.port });
    });
    server.once('error', reject);
  });
}
