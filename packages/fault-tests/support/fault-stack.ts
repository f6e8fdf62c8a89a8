// Everything one fault test runs against, on loopback and free ports: a private PostgreSQL, Redis and
// anvil (the ledger deployed on it), `cms-server` under the suite's supervisor, and the dropping proxy
// that clients talk to. `db` reads the server's database directly, for the suite's own checks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployLedger } from '@cms/server';
import pg from 'pg';
import { createPublicClient, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { type DroppingProxy, startDroppingProxy } from './dropping-proxy.js';
import { freePort } from './free-port.js';
import { type PrivateAnvil, startPrivateAnvil } from './private-anvil.js';
import { type PrivatePostgres, startPrivatePostgres } from './private-postgres.js';
import { type PrivateRedis, startPrivateRedis } from './private-redis.js';
import { type SupervisedServer, superviseServer } from './server-supervisor.js';

/** anvil's first dev account: deploys the ledger, owns it and records on it. */
const RECORDER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

export interface FaultStack {
  postgres: PrivatePostgres;
  redis: PrivateRedis;
  anvil: PrivateAnvil;
  ledgerAddress: `0x${string}`;
  server: SupervisedServer;
  proxy: DroppingProxy;
  /** The server's database, for the suite's checks. */
  db: pg.Pool;
  /** Where clients connect: the proxy. */
  url: string;
  stop(): Promise<void>;
}

export async function startFaultStack(env: Record<string, string> = {}): Promise<FaultStack> {
  const cleanup: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
  };
  try {
    const [postgres, redis, anvil] = await Promise.all([
      startPrivatePostgres(),
      startPrivateRedis(),
      startPrivateAnvil(),
    ]);
    cleanup.push(
      () => postgres.destroy(),
      () => redis.destroy(),
      () => anvil.destroy(),
    );
    const client = createPublicClient({ transport: http(anvil.url) });
    const { address } = await deployLedger(client, privateKeyToAccount(RECORDER_KEY));
    // Written to the state file now, so a later kill -9 of the node cannot take the deployment with it.
    await anvil.stop('graceful');
    await anvil.start();
    const dataDir = mkdtempSync(join(tmpdir(), 'cms-faults-server-'));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const server = await superviseServer(
      {
        DATABASE_URL: postgres.url,
        REDIS_URL: redis.url,
        CMS_DATA_DIR: dataDir,
        CMS_CHAIN: 'external',
        CMS_CHAIN_RPC_URLS: anvil.url,
        CMS_CHAIN_ID: '31337',
        CMS_LEDGER_ADDRESS: address,
        CMS_RECORDER_PRIVATE_KEY: RECORDER_KEY,
        CMS_LEDGER_BATCH_WAIT_MS: '200',
        // Limits stay on (their Redis outage path is part of the test), sized for the suite's load.
        CMS_RATE_LIMIT_IP: '5000/s',
        CMS_RATE_LIMIT_IP_BURST: '100000/m',
        CMS_RATE_LIMIT_USER: '5000/s',
        CMS_RATE_LIMIT_USER_BURST: '100000/m',
        CMS_RATE_LIMIT_AUTH: '1000/s',
        CMS_RATE_LIMIT_AUTH_BURST: '100000/h',
        CMS_SHUTDOWN_TIMEOUT_MS: '2000',
        CMS_LOG_LEVEL: 'warn',
        ...env,
      },
      await freePort(),
    );
    cleanup.push(() => server.stop());
    const proxy = await startDroppingProxy(server.url);
    cleanup.push(() => proxy.close());
    const db = new pg.Pool({ connectionString: postgres.url, max: 2 });
    db.on('error', () => {});
    cleanup.push(() => db.end());
    return { postgres, redis, anvil, ledgerAddress: address, server, proxy, db, url: proxy.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
