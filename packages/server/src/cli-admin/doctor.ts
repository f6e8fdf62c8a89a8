// `cms-server doctor`: checks every dependency the configuration names (without changing any) and says,
// for each problem, what is wrong and how to fix it. Exit code 1 when any check fails.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Address } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { createRedisClient, describeRedis, type RedisTarget, redactUrl } from '../cache/redis-client.js';
import type { ServerConfig } from '../config.js';
import { countAppliedMigrations } from '../db/count-applied-migrations.js';
import { migrationsFolder } from '../db/database.js';
import { anvilBinaryPath } from '../ledger/anvil/anvil-binary.js';
import { createChainClients } from '../ledger/chain/chain-clients.js';
import { isRecorder, ownRecorderAddress } from './ledger-commands.js';

export interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  /** What to do about a warning or failure. */
  fix?: string;
}

const TIMEOUT_MS = 3000;

export async function doctor(config: ServerConfig): Promise<Check[]> {
  const checks = await Promise.all([
    dataDirChecks(config),
    databaseChecks(config),
    redisChecks(config),
    chainChecks(config),
    tlsChecks(config),
  ]);
  return [...checks.flat(), ...proxyChecks(config)];
}

export function formatChecks(checks: Check[]): string[] {
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${c.status.toUpperCase().padEnd(5)} ${c.name.padEnd(10)} ${c.detail}`);
    if (c.fix) lines.push(`${' '.repeat(17)}fix: ${c.fix}`);
  }
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  lines.push(
    failed
      ? `${failed} problem(s), ${warned} warning(s)`
      : `all checks passed${warned ? ` (${warned} warning(s))` : ''}`,
  );
  return lines;
}

async function dataDirChecks(config: ServerConfig): Promise<Check[]> {
  if (!config.dataDir) return [];
  const checks: Check[] = [];
  for (const path of [config.dataDir, join(config.dataDir, 'keys')]) {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.mode & 0o077) {
      checks.push({
        name: 'data dir',
        status: 'fail',
        detail: `${path} is readable by others (mode ${(st.mode & 0o777).toString(8)})`,
        fix: `chmod 700 ${path}`,
      });
    }
  }
  if (!checks.length) checks.push({ name: 'data dir', status: 'ok', detail: `${config.dataDir} (0700)` });
  return checks;
}

async function databaseChecks(config: ServerConfig): Promise<Check[]> {
  if (config.database.engine === 'pglite') {
    return [
      {
        name: 'database',
        status: 'ok',
        detail: `embedded PGlite in ${config.dataDir ? join(config.dataDir, 'db') : 'memory'} (one process only; use DATABASE_URL for several instances)`,
      },
    ];
  }
  const expected = (
    JSON.parse(readFileSync(join(migrationsFolder(), 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }
  ).entries.length;
  const checks: Check[] = [];
  const where = redactUrl(config.database.url);
  try {
    await withPg(config.database.url, async (c) => {
      const { rows } = await c.query<{ version: string; recovery: boolean }>(
        "select current_setting('server_version') as version, pg_is_in_recovery() as recovery",
      );
      const r = { ...rows[0]!, n: await countAppliedMigrations(c) };
      if (r.recovery)
        checks.push({
          name: 'database',
          status: 'fail',
          detail: `${where} is a replica (read-only)`,
          fix: 'point DATABASE_URL at the primary',
        });
      else if (r.n < expected)
        checks.push({
          name: 'database',
          status: 'warn',
          detail: `PostgreSQL ${r.version} at ${where}: ${r.n} of ${expected} migrations applied`,
          fix: 'run `cms-server migrate` (servers also migrate on start)',
        });
      else
        checks.push({
          name: 'database',
          status: 'ok',
          detail: `PostgreSQL ${r.version} at ${where}, ${r.n} migrations applied`,
        });
    });
  } catch (error) {
    checks.push({
      name: 'database',
      status: 'fail',
      detail: `cannot reach ${where}: ${message(error)}`,
      fix: 'start PostgreSQL or correct DATABASE_URL (host, port, user, password, database)',
    });
  }
  for (const url of config.database.replicaUrls ?? []) {
    const at = redactUrl(url);
    try {
      await withPg(url, async (c) => {
        const { rows } = await c.query<{ recovery: boolean; lag: number | null }>(
          'select pg_is_in_recovery() as recovery, extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as lag',
        );
        const r = rows[0]!;
        if (!r.recovery)
          checks.push({
            name: 'replica',
            status: 'fail',
            detail: `${at} is not in recovery: not a replica`,
            fix: 'list only streaming replicas in DATABASE_REPLICA_URLS',
          });
        else
          checks.push({
            name: 'replica',
            status: 'ok',
            detail: `${at} replaying${r.lag === null ? '' : ` (last replayed transaction ${Math.max(0, r.lag).toFixed(1)} s ago)`}`,
          });
      });
    } catch (error) {
      checks.push({
        name: 'replica',
        status: 'fail',
        detail: `cannot reach ${at}: ${message(error)}`,
        fix: 'start the replica or remove it from DATABASE_REPLICA_URLS (reads then go to the primary)',
      });
    }
  }
  return checks;
}

async function withPg(url: string, run: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: TIMEOUT_MS,
    query_timeout: TIMEOUT_MS,
  });
  client.on('error', () => {});
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function redisChecks(config: ServerConfig): Promise<Check[]> {
  const kv = config.keyValueStore;
  if (kv.engine === 'memory')
    return [
      {
        name: 'redis',
        status: 'ok',
        detail: 'not configured: sessions, limits and events stay in this process (one instance only)',
      },
    ];
  const checks: Check[] = [];
  if (kv.sentinel) {
    const sentinel = kv.sentinel;
    const answers = await Promise.all(
      sentinel.nodes.map(async (node) => {
        const s = new Redis({
          host: node.host,
          port: node.port,
          password: sentinel.password?.(),
          lazyConnect: true,
          connectTimeout: TIMEOUT_MS,
          retryStrategy: () => null,
          maxRetriesPerRequest: 0,
        });
        s.on('error', () => {});
        try {
          await s.connect();
          const master = (await s.call('SENTINEL', 'get-master-addr-by-name', sentinel.name)) as string[] | null;
          return { node, master: master ? `${master[0]}:${master[1]}` : undefined };
        } catch (error) {
          return { node, error: message(error) };
        } finally {
          s.disconnect();
        }
      }),
    );
    for (const a of answers) {
      const at = `${a.node.host}:${a.node.port}`;
      if ('error' in a)
        checks.push({
          name: 'sentinel',
          status: 'fail',
          detail: `sentinel ${at}: ${a.error}`,
          fix: 'start it, or remove it from REDIS_SENTINELS',
        });
      else if (!a.master)
        checks.push({
          name: 'sentinel',
          status: 'fail',
          detail: `sentinel ${at} does not monitor "${sentinel.name}"`,
          fix: `set REDIS_SENTINEL_NAME to the name in its \`sentinel monitor\` line`,
        });
      else
        checks.push({
          name: 'sentinel',
          status: 'ok',
          detail: `sentinel ${at}: master "${sentinel.name}" is ${a.master}`,
        });
    }
    const reachable = answers.filter((a) => 'master' in a && a.master).length;
    if (reachable > 0 && reachable < 3)
      checks.push({
        name: 'sentinel',
        status: 'warn',
        detail: `${reachable} sentinel(s) answer`,
        fix: 'run at least 3 sentinels on separate hosts, so a majority can agree on a failover',
      });
  }
  checks.push(await redisMasterCheck(kv));
  return checks;
}

async function redisMasterCheck(target: RedisTarget): Promise<Check> {
  const redis = createRedisClient(target, {
    lazyConnect: true,
    connectTimeout: TIMEOUT_MS,
    commandTimeout: TIMEOUT_MS,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    sentinelRetryStrategy: () => null,
  });
  redis.on('error', () => {});
  const what = describeRedis(target);
  try {
    await redis.connect();
    const info = await redis.info('replication');
    const persistence = await redis.info('persistence');
    const role = /role:(\w+)/.exec(info)?.[1];
    if (role !== 'master')
      return {
        name: 'redis',
        status: 'fail',
        detail: `${what} is a ${role}: writes would fail`,
        fix: 'point REDIS_URL at the master, or use REDIS_SENTINELS',
      };
    const aof = /aof_enabled:1/.test(persistence);
    if (!aof) {
      return {
        name: 'redis',
        status: 'warn',
        detail: `${what}: master, appendonly off`,
        fix: 'set `appendonly yes`: a master restarted without persistence comes back empty and its replicas copy the empty data set',
      };
    }
    return { name: 'redis', status: 'ok', detail: `${what}: master, appendonly on` };
  } catch (error) {
    return {
      name: 'redis',
      status: 'fail',
      detail: `cannot reach ${what}: ${message(error)}`,
      fix: 'start Redis or correct REDIS_URL / REDIS_SENTINELS / REDIS_SENTINEL_NAME',
    };
  } finally {
    redis.disconnect();
  }
}

async function chainChecks(config: ServerConfig): Promise<Check[]> {
  const chain = config.chain;
  if (chain.mode === 'disabled')
    return [
      {
        name: 'chain',
        status: 'warn',
        detail: 'CMS_CHAIN=disabled: events are never anchored',
        fix: 'use CMS_CHAIN=embedded (one machine) or external',
      },
    ];
  if (chain.mode === 'embedded') {
    try {
      return [{ name: 'chain', status: 'ok', detail: `embedded anvil (${anvilBinaryPath()})` }];
    } catch (error) {
      return [
        {
          name: 'chain',
          status: 'fail',
          detail: message(error),
          fix: 'reinstall with optional dependencies (the @foundry-rs/anvil platform package), or use CMS_CHAIN=external',
        },
      ];
    }
  }
  const checks: Check[] = [];
  let reachable: ReturnType<typeof createChainClients>['publicClient'] | undefined;
  for (const url of chain.rpcUrls) {
    const { publicClient } = createChainClients({ rpcUrls: [url], timeoutMs: TIMEOUT_MS });
    const at = redactUrl(url);
    try {
      const [chainId, block] = await Promise.all([publicClient.getChainId(), publicClient.getBlockNumber()]);
      if (chain.chainId !== undefined && chainId !== chain.chainId) {
        checks.push({
          name: 'chain',
          status: 'fail',
          detail: `${at} is chain ${chainId}, not ${chain.chainId}`,
          fix: 'correct CMS_CHAIN_ID or CMS_CHAIN_RPC_URLS',
        });
        continue;
      }
      checks.push({ name: 'chain', status: 'ok', detail: `${at}: chain ${chainId}, block ${block}` });
      reachable ??= publicClient;
    } catch (error) {
      checks.push({
        name: 'chain',
        status: 'fail',
        detail: `${at}: ${message(error)}`,
        fix: 'start the node or remove it from CMS_CHAIN_RPC_URLS (the others take over)',
      });
    }
  }
  if (!reachable) return checks;
  const code = await reachable.getCode({ address: chain.ledgerAddress }).catch(() => undefined);
  if (!code || code === '0x') {
    checks.push({
      name: 'ledger',
      status: 'fail',
      detail: `no contract at ${chain.ledgerAddress}`,
      fix: 'run `cms-server ledger deploy` and set CMS_LEDGER_ADDRESS to the address it prints',
    });
    return checks;
  }
  let recorder: Address;
  try {
    recorder = chain.recorderPrivateKey
      ? privateKeyToAccount(chain.recorderPrivateKey()).address
      : await ownRecorderAddress({ enclave: config.enclave, recorderPrivateKey: undefined });
  } catch (error) {
    checks.push({
      name: 'enclave',
      status: 'fail',
      detail: `cannot read the recorder address: ${message(error)}`,
      fix: 'start cms-enclave (CMS_ENCLAVE_SOCKET) or fix CMS_ENCLAVE_DATA_DIR',
    });
    return checks;
  }
  const [allowed, balance] = await Promise.all([
    isRecorder(reachable, chain.ledgerAddress, recorder).catch(() => false),
    reachable.getBalance({ address: recorder }),
  ]);
  if (!allowed)
    checks.push({
      name: 'ledger',
      status: 'fail',
      detail: `recorder ${recorder} may not anchor on ${chain.ledgerAddress}`,
      fix: `run \`cms-server ledger authorize-recorder ${recorder}\` with the owner key`,
    });
  else
    checks.push({
      name: 'ledger',
      status: 'ok',
      detail: `ContractLedger at ${chain.ledgerAddress}; recorder ${recorder} authorized`,
    });
  if (balance === 0n)
    checks.push({
      name: 'ledger',
      status: 'fail',
      detail: `recorder ${recorder} has no funds for gas`,
      fix: `send it some, e.g. \`cms-server ledger authorize-recorder ${recorder} --fund 1\``,
    });
  return checks;
}

async function tlsChecks(config: ServerConfig): Promise<Check[]> {
  if (!config.tls) return [];
  try {
    const cert = new X509Certificate(config.tls.cert);
    if (!cert.checkPrivateKey(createPrivateKey(config.tls.key()))) {
      return [
        {
          name: 'tls',
          status: 'fail',
          detail: 'CMS_TLS_KEY_FILE does not belong to CMS_TLS_CERT_FILE',
          fix: 'pair the certificate with its own key',
        },
      ];
    }
    const daysLeft = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
    if (daysLeft < 0)
      return [
        { name: 'tls', status: 'fail', detail: `certificate expired ${cert.validTo}`, fix: 'renew the certificate' },
      ];
    if (daysLeft < 14)
      return [
        { name: 'tls', status: 'warn', detail: `certificate expires ${cert.validTo}`, fix: 'renew the certificate' },
      ];
    return [{ name: 'tls', status: 'ok', detail: `${cert.subject.replace(/\n/g, ', ')}, valid until ${cert.validTo}` }];
  } catch (error) {
    return [
      {
        name: 'tls',
        status: 'fail',
        detail: `unreadable certificate or key: ${message(error)}`,
        fix: 'CMS_TLS_CERT_FILE and CMS_TLS_KEY_FILE must be PEM',
      },
    ];
  }
}

function proxyChecks(config: ServerConfig): Check[] {
  if (config.trustProxyHops > 0 && !config.publicUrl) {
    return [
      {
        name: 'proxy',
        status: 'warn',
        detail: 'CMS_TRUST_PROXY is set but CMS_PUBLIC_URL is not',
        fix: "set CMS_PUBLIC_URL to the address clients use (the proxy's https:// URL): tokens and login proofs name it",
      },
    ];
  }
  return [];
}

function message(error: unknown): string {
  const e = error as { shortMessage?: string; message?: string; code?: string };
  return (e?.shortMessage ?? e?.message ?? String(error)).split('\n')[0]! || String(e.code);
}
