// Starts a complete server from a config: database (migrated), keys, HTTP listener.
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './app.js';
import { createAccessTokenIssuer } from './auth/access-token.js';
import { createAuthenticator } from './auth/authenticate.js';
import { createDidResolver } from './auth/did-resolver.js';
import { createKeyRing } from './auth/key-ring.js';
import { createSessionStore } from './auth/sessions.js';
import { createProofVerifier } from './auth/verify-did-proof.js';
import { openKeyValueStore } from './cache/open-store.js';
import type { KeyValueStore } from './cache/key-value-store.js';
import type { ServerConfig } from './config.js';
import { startExpiryScheduler } from './contracts/expire-contracts.js';
import { openDatabase } from './db/database.js';
import { startEvents, type EventsRuntime } from './events/events-runtime.js';
import { startLedger, type Ledger } from './ledger/ledger-runtime.js';
import type { Services } from './services.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export interface RunningServer {
  /** Where the server listens, e.g. `http://127.0.0.1:8080`. */
  url: string;
  services: Services;
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const database = await openDatabase(
    config.database.engine === 'postgres'
      ? config.database
      : { engine: 'pglite', dataDir: config.dataDir && join(config.dataDir, 'db'), loadDataDir: config.database.loadDataDir },
  );
  let url = '';
  let httpServer: ServerType | undefined;
  let ledger: Ledger | undefined;
  let store: KeyValueStore | undefined;
  let events: EventsRuntime | undefined;
  const closing = new AbortController();
  try {
    store = await openKeyValueStore(config.keyValueStore);
    events = await startEvents(database.db, config.keyValueStore, config.events);
    ledger = await startLedger(database, { chain: config.chain, ledger: config.ledger, dataDir: config.dataDir });
    // Retired keys verify for as long as a token they signed can live, so rotating logs nobody out.
    const keys = createKeyRing({ keysDir: config.dataDir && join(config.dataDir, 'keys'), retainSeconds: config.accessTokenTtlSeconds + 60 });
    const listening = await listen(config, (req) => app.fetch(req));
    httpServer = listening.server;
    url = `http://${listening.host}:${listening.port}`;
    const publicUrl = config.publicUrl ?? url;
    const tokens = createAccessTokenIssuer({ keys, issuer: publicUrl, ttlSeconds: config.accessTokenTtlSeconds });
    const sessions = createSessionStore(store, { ttlSeconds: config.refreshTokenTtlSeconds });
    const didResolver = createDidResolver({ didWeb: config.didWeb });
    const services: Services = {
      version,
      database,
      tokens,
      keys,
      authenticate: createAuthenticator({ tokens, sessions }),
      store,
      sessions,
      didResolver,
      proofs: createProofVerifier({ store, resolver: didResolver, audience: () => publicUrl }),
      ledger,
      events,
      closing: closing.signal,
      publicUrl: () => publicUrl,
    };
    const app = createApp(config, services);
    const stopExpiry = startExpiryScheduler(database.db, config.expiryIntervalMs);
    return {
      url,
      services,
      async close() {
        closing.abort();
        await stopExpiry();
        await new Promise<void>((resolve) => {
          httpServer!.close(() => resolve());
          (httpServer as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await ledger!.stop();
        await events!.close();
        await store!.close();
        await database.close();
      },
    };
  } catch (error) {
    httpServer?.close();
    await ledger?.stop();
    await events?.close();
    await store?.close();
    await database.close();
    throw error;
  }
}

function listen(config: ServerConfig, fetch: (req: Request) => Response | Promise<Response>) {
  return new Promise<{ server: ServerType; host: string; port: number }>((resolve, reject) => {
    const server = serve({ fetch, port: config.port, hostname: config.host }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({ server, host, port: info.port });
    });
    server.once('error', reject);
  });
}
