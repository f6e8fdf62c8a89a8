// Starts a complete server from a config: logger, metrics, database (migrated), stores, ledger, HTTP
// listener; `close()` drains in-flight requests, then stops them in reverse order.

import { createServer as createHttpsServer } from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { createApp } from './app.js';
import { startChainHeadAnchoring } from './audit/anchor-chain-heads.js';
import { createAccessTokenIssuer } from './auth/access-token.js';
import { createAuthenticator } from './auth/authenticate.js';
import { createDidResolver } from './auth/did-resolver.js';
import { createKeyRing } from './auth/key-ring.js';
import { createSessionCache, sessionInvalidationKey } from './auth/session-cache.js';
import { createSessionStore } from './auth/sessions.js';
import { createProofVerifier } from './auth/verify-did-proof.js';
import { KeyValueStoreUnavailableError } from './cache/key-value-store.js';
import { openKeyValueStore } from './cache/open-store.js';
import { createRedisStore } from './cache/redis-store.js';
import { createResponseCache } from './cache/response-cache.js';
import type { ServerConfig } from './config.js';
import { startExpiryScheduler } from './contracts/expire-contracts.js';
import { appliedMigrations } from './db/applied-migrations.js';
import { type Database, openDatabase } from './db/database.js';
import { createWritePositions, positionTtlSeconds } from './db/write-positions.js';
import { registerEnclaveMetrics } from './enclave/client/enclave-metrics.js';
import { startEnclaveService } from './enclave/client/enclave-service.js';
import { startEvents } from './events/events-runtime.js';
import { openFileStorage } from './files/file-storage.js';
import { startUnreferencedFileCleanup } from './files/remove-unreferenced-files.js';
import { createGatewayRateLimits } from './http/rate-limit/gateway-rate-limits.js';
import { openRateLimitRedis } from './http/rate-limit/rate-limit-redis.js';
import { type Ledger, startLedger } from './ledger/ledger-runtime.js';
import { countLedgerBacklog } from './observability/ledger-backlog.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics, replicaObserver } from './observability/metrics.js';
import { retryWhileUnavailable } from './ops/retry-while-unavailable.js';
import { prepareDataDir, tightenDataDir } from './secure-data-dir.js';
import type { Services } from './services.js';
import { startWebhooks } from './webhooks/webhooks-runtime.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export interface RunningServer {
  /** Where the server listens, e.g. `http://127.0.0.1:8080`. */
  url: string;
  services: Services;
  /**
   * Answers a request in this process, without a socket (`env` as @hono/node-server passes it: `incoming`
   * carries the peer). What `url` serves, for tests that need no connection.
   */
  fetch(request: Request, env?: unknown): Promise<Response>;
  /**
   * Stops accepting connections, lets in-flight requests finish (up to `shutdownTimeoutMs`, then cuts
   * the rest), then stops the workers, the stores and the database. `services.closing` aborts first.
   */
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const logger = createLogger(config.log);
  // Everything started so far, in order: `close()` and a failed start both stop it in reverse.
  const resources = createResourceList(logger);
  try {
    if (config.dataDir) prepareDataDir(config.dataDir);
    // Before the database, so the replica pool counts into it from the first probe.
    let opened: Database | undefined;
    let ledger: Ledger | undefined;
    const metrics = createMetrics({
      ledgerBacklog: () => countLedgerBacklog(opened!.db),
      replicas: () => opened?.replicas?.states() ?? [],
      ledgerChainState: () => ledger?.chainState(),
    });
    const replicaLog = logger.child({ component: 'replicas' });
    const startupLog = logger.child({ component: 'start-up' });
    const engine = config.database.engine;
    const openedAt = Date.now();
    logger.info(
      { engine, dataDir: engine === 'pglite' ? config.dataDir && join(config.dataDir, 'db') : undefined },
      'opening the database and applying migrations',
    );
    // A database or Redis that is not up yet (starting together, restarting) is waited for, not fatal.
    const database = resources.add(
      'database',
      await retryWhileUnavailable(
        () =>
          openDatabase(
            config.database.engine === 'postgres'
              ? {
                  ...config.database,
                  observeReplicas: replicaObserver(metrics, (state, previous) =>
                    state.status === 'up'
                      ? replicaLog.info(
                          { replica: state.name, address: state.address, previous },
                          'read replica serving again',
                        )
                      : replicaLog.warn(
                          { replica: state.name, address: state.address, status: state.status, reason: state.reason },
                          'read replica ejected',
                        ),
                  ),
                }
              : {
                  engine: 'pglite',
                  dataDir: config.dataDir && join(config.dataDir, 'db'),
                  loadDataDir: config.database.loadDataDir,
                },
          ),
        { what: 'the database', logger: startupLog },
      ),
      (d) => d.close(),
    );
    opened = database;
    logger.info(
      { engine, migrations: await appliedMigrations(database.db), ms: Date.now() - openedAt },
      'database ready',
    );
    // Before the ledger: it signs with the enclave's recorder key.
    const enclave = resources.add(
      'enclave',
      await startEnclaveService(config.enclave, { logger: logger.child({ component: 'enclave' }) }),
      (e) => e.close(),
    );
    registerEnclaveMetrics(metrics.registry, enclave);
    const files = resources.add('file storage', openFileStorage(config.files), (f) => f.close());
    const store = resources.add(
      'key-value store',
      await retryWhileUnavailable(() => openKeyValueStore(config.keyValueStore), { what: 'Redis', logger: startupLog }),
      (s) => s.close(),
    );
    const events = resources.add(
      'events',
      await startEvents(database.db, config.keyValueStore, config.events, logger),
      (e) => e.close(),
    );
    const kv = config.keyValueStore;
    // Limits are counted where sessions live: in Redis when there is one, so every instance shares them.
    const rateLimitRedis =
      config.rateLimit.enabled && kv.engine === 'redis'
        ? resources.add('rate-limit Redis', await openRateLimitRedis(kv, kv.keyPrefix), (r) =>
            r.quit().then(
              () => {},
              () => r.disconnect(),
            ),
          )
        : undefined;
    // Its own Redis connection with a short timeout: cached bodies do not queue in front of session
    // checks, and a slow cache is given up on quickly (reads then go to the database).
    const responseCache = resources.add(
      'response cache',
      createResponseCache({
        ...config.responseCache,
        logger,
        store:
          kv.engine === 'redis'
            ? await createRedisStore({
                url: kv.url,
                sentinel: kv.sentinel,
                keyPrefix: kv.keyPrefix,
                commandTimeoutMs: 500,
              })
            : undefined,
      }),
      (c) => c.close(),
    );
    ledger = resources.add(
      'ledger',
      await startLedger(database, {
        chain: config.chain,
        ledger: config.ledger,
        dataDir: config.dataDir,
        enclave,
        logger,
        onAnchorsLost: (n) => metrics.ledgerAnchorLosses.inc(n),
        // Idle, the worker sleeps until any instance announces new events (docs/ledger.md).
        wakeOn: (wake) => events.bus.subscribe(() => wake()),
      }),
      (l) => l.stop(),
    );
    if (config.chain.mode !== 'disabled')
      resources.add(
        'audit chain-head anchoring',
        startChainHeadAnchoring(database.db, { intervalMs: config.ledger.headAnchorIntervalMs ?? 900_000, logger }),
        (stop) => stop(),
      );
    // Delivers the webhook outbox; stopped before the database and the enclave it uses.
    const webhooks = resources.add(
      'webhooks',
      startWebhooks(database, enclave, config.webhooks, { logger, registry: metrics.registry }),
      (w) => w.stop(),
    );
    // Retired keys verify for as long as a token they signed can live, so rotating logs nobody out.
    const keys = createKeyRing({
      keysDir: config.dataDir && join(config.dataDir, 'keys'),
      retainSeconds: config.accessTokenTtlSeconds + 60,
    });
    // Everything under the data directory exists now: none of it readable by other users.
    if (config.dataDir) tightenDataDir(config.dataDir);
    const listening = await listen(config, (req, env) => app.fetch(req, env));
    // Stopped first: in-flight requests finish while everything they use is still there.
    resources.add('http server', listening.server, (server) => drain(server, config.shutdownTimeoutMs, logger));
    const url = `${config.tls ? 'https' : 'http'}://${listening.host}:${listening.port}`;
    const publicUrl = config.publicUrl ?? url;
    const tokens = createAccessTokenIssuer({ keys, issuer: publicUrl, ttlSeconds: config.accessTokenTtlSeconds });
    const sessions = createSessionStore(store, {
      ttlSeconds: config.refreshTokenTtlSeconds,
      reuseGraceSeconds: config.refreshReuseGraceSeconds,
      // Every instance forgets a changed session before the change is answered (auth/session-cache.ts).
      onChange: (ids) =>
        events.bus.invalidate(ids.map(sessionInvalidationKey)).catch((cause) => {
          throw new KeyValueStoreUnavailableError('could not announce a session change to the other instances', {
            cause,
          });
        }),
    });
    const sessionCache = resources.add('session cache', createSessionCache({ bus: events.bus }), async (c) =>
      c.close(),
    );
    const writePositions = createWritePositions({
      store,
      database,
      ttlSeconds:
        config.database.engine === 'postgres'
          ? positionTtlSeconds(
              config.database.replicaMaxLagMs ?? 10_000,
              config.database.replicaProbeIntervalMs ?? 1000,
            )
          : 0,
      onRecordError: (err) => {
        metrics.writePositionErrors.inc();
        replicaLog.warn({ err }, 'could not record a write position; the caller may read older data from a replica');
      },
    });
    const didResolver = createDidResolver({ didWeb: config.didWeb });
    const closing = new AbortController();
    const services: Services = {
      version,
      database,
      tokens,
      keys,
      authenticate: createAuthenticator({ tokens, sessions, sessionCache, writePositions }),
      writePositions,
      store,
      sessions,
      responseCache,
      didResolver,
      proofs: createProofVerifier({ store, resolver: didResolver, audience: () => publicUrl }),
      ledger,
      events,
      enclave,
      files,
      publicUrl: () => publicUrl,
      logger,
      metrics,
      webhooks,
      closing: closing.signal,
    };
    const rateLimits = createGatewayRateLimits(config, {
      redis: rateLimitRedis,
      logger,
      metrics,
      userOfToken: (token) => {
        try {
          return tokens.verify(token).userId;
        } catch {
          return undefined;
        }
      },
    });
    const app = createApp(config, services, rateLimits);
    resources.add(
      'expiry scheduler',
      startExpiryScheduler(database.db, {
        intervalMs: config.expiryIntervalMs,
        onError: (err) => logger.error({ err }, 'contract expiry failed'),
      }),
      (stop) => stop(),
    );
    const stopCleanup = startUnreferencedFileCleanup({ db: database.db, storage: files, logger }, config.files);
    if (stopCleanup) resources.add('unreferenced-file cleanup', stopCleanup, (stop) => stop());
    // Stopped first, at once: long-lived streams (SSE) end, so the drain can finish.
    resources.add('closing signal', closing, async (c) => c.abort());
    let closed: Promise<void> | undefined;
    return {
      url,
      services,
      fetch: async (request, env) => app.fetch(request, env),
      close: () => (closed ??= resources.stopAll()),
    };
  } catch (error) {
    await resources.stopAll().catch(() => {});
    throw error;
  }
}

interface ResourceList {
  /** Records a started resource and how to stop it; returns the resource. */
  add<T>(name: string, resource: T, stop: (resource: T) => Promise<void>): T;
  /** Stops every resource, last started first, each even when an earlier one failed; rejects with the first failure. */
  stopAll(): Promise<void>;
}

function createResourceList(logger: Logger): ResourceList {
  const started: { name: string; stop: () => Promise<void> }[] = [];
  return {
    add(name, resource, stop) {
      started.push({ name, stop: () => stop(resource) });
      return resource;
    },
    async stopAll() {
      let failure: unknown;
      for (const { name, stop } of started.splice(0).reverse()) {
        try {
          await stop();
        } catch (err) {
          logger.error({ err, resource: name }, 'stopping failed');
          failure ??= err;
        }
      }
      if (failure !== undefined) throw failure;
    },
  };
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

function listen(config: ServerConfig, fetch: (req: Request, env: unknown) => Response | Promise<Response>) {
  return new Promise<{ server: ServerType; host: string; port: number }>((resolve, reject) => {
    // CMS_TLS_CERT_FILE/KEY_FILE: HTTPS in the node server itself (otherwise TLS ends at the proxy).
    const tls = config.tls
      ? { createServer: createHttpsServer, serverOptions: { cert: config.tls.cert, key: config.tls.key() } }
      : {};
    const server = serve(
      { fetch: fetch as never, port: config.port, hostname: config.host, ...tls },
      (info: AddressInfo) => {
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({ server, host, port: info.port });
      },
    );
    server.once('error', reject);
  });
}
