// The one place the server reads its environment. Everything below takes a `ServerConfig`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DestinationStream } from 'pino';
import { z } from 'zod';
import type { StoreConfig } from './cache/open-store.js';

const port = z.coerce.number().int().min(0).max(65535);
const list = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

// `<count>/<window>`: 20/s, 300/m, 1000/10m, 50/h (defaults use `prefault` so they are parsed too).
const RATE = /^(\d+)\/(\d*)([smh])$/;
const rate = z
  .string()
  .regex(RATE, 'must look like 20/s, 300/m, 1000/10m or 50/h')
  .transform((s): RateLimit => {
    const [, points, count, unit] = RATE.exec(s)!;
    return { points: Number(points), durationSeconds: Number(count || 1) * { s: 1, m: 60, h: 3600 }[unit as 's' | 'm' | 'h'] };
  })
  .refine((r) => r.points >= 1 && r.durationSeconds >= 1, 'needs at least 1 request per window');

const EnvSchema = z.object({
  PORT: port.default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  CMS_DATA_DIR: z.string().min(1).default('.cms'),
  CMS_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  DATABASE_REPLICA_URLS: list.pipe(z.array(z.string().regex(/^postgres(ql)?:\/\//, 'must be postgres:// or postgresql:// URLs'))).optional(),
  DATABASE_REPLICA_STICKY_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  CMS_ACCESS_TOKEN_TTL: z.coerce.number().int().min(60).max(86_400).default(900),
  CMS_REFRESH_TOKEN_TTL: z.coerce.number().int().min(300).max(365 * 86_400).default(30 * 86_400),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  CMS_REDIS_KEY_PREFIX: z.string().min(1).max(100).default('cms:'),
  CMS_RESPONSE_CACHE_TTL: z.coerce.number().int().min(0).max(86_400).default(300),
  CMS_RESPONSE_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  CMS_DID_WEB: z.enum(['on', 'off']).default('off'),
  CMS_DID_WEB_PRIVATE_HOSTS: list.optional(),
  CMS_DID_WEB_CA_FILE: z.string().min(1).optional(),
  CMS_BODY_LIMIT: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
  CMS_CORS_ORIGINS: list.optional(),
  CMS_WEB_DIR: z.string().min(1).optional(),
  CMS_EXPIRY_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(30_000),
  CMS_CHAIN: z.enum(['embedded', 'external', 'disabled']).default('embedded'),
  CMS_CHAIN_RPC_URLS: list.pipe(z.array(z.url({ protocol: /^(https?|wss?)$/ })).min(1)).optional(),
  CMS_CHAIN_ID: z.coerce.number().int().positive().optional(),
  CMS_LEDGER_ADDRESS: z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte address').optional(),
  // The message never repeats the value: it is a private key.
  CMS_RECORDER_PRIVATE_KEY: z.string().regex(/^0x[0-9a-fA-F]{64}$/, { error: 'must be a 0x-prefixed 32-byte hex private key' }).optional(),
  CMS_CHAIN_CONFIRMATIONS: z.coerce.number().int().min(1).max(1000).default(1),
  CMS_LEDGER_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000),
  CMS_LEDGER_BATCH_WAIT_MS: z.coerce.number().int().min(0).max(3_600_000).default(1000),
  // Gateway: rate limits, request timeouts, logs, metrics, shutdown (docs/operations.md).
  CMS_RATE_LIMIT: z.enum(['on', 'off']).default('on'),
  CMS_RATE_LIMIT_IP: rate.prefault('20/s'),
  CMS_RATE_LIMIT_IP_BURST: rate.prefault('200/m'),
  CMS_RATE_LIMIT_USER: rate.prefault('10/s'),
  CMS_RATE_LIMIT_USER_BURST: rate.prefault('100/m'),
  CMS_RATE_LIMIT_AUTH: rate.prefault('10/m'),
  CMS_RATE_LIMIT_AUTH_BURST: rate.prefault('30/h'),
  CMS_RATE_LIMIT_ON_STORE_ERROR: z.enum(['open', 'closed']).default('open'),
  CMS_TRUST_PROXY: z.union([z.literal('off'), z.coerce.number().int().min(1).max(10)]).default('off'),
  CMS_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  CMS_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  CMS_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // The message never repeats the value: it is a secret.
  CMS_METRICS_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  CMS_EVENTS_HEARTBEAT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  CMS_EVENTS_MAX_STREAMS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(10),
});

export interface ServerConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Where embedded state lives (database, keys); `undefined` keeps everything in memory. */
  dataDir: string | undefined;
  /** The URL clients reach this server at; access tokens' `iss`/`aud` and login proofs' `aud`. Defaults to the listening address. */
  publicUrl: string | undefined;
  database:
    | { engine: 'postgres'; url: string; poolSize: number; replicaUrls?: string[]; replicaStickyMs?: number }
    | { engine: 'pglite'; loadDataDir?: Blob };
  accessTokenTtlSeconds: number;
  /** Lifetime of a login session and its rotating refresh tokens. */
  refreshTokenTtlSeconds: number;
  /** Sessions, login challenges and other short-lived data: Redis when set, this process's memory otherwise. */
  keyValueStore: StoreConfig;
  /** Bodies of hot reads, in the same Redis as `keyValueStore` (own connection) or in this process; see docs/caching.md. */
  responseCache: ResponseCacheConfig;
  /** did:web login (fetches DID documents over HTTPS, so off unless enabled). */
  didWeb: DidWebConfig;
  bodyLimitBytes: number;
  corsOrigins: string[];
  /** Built web UI to serve at `/`; skipped when absent. */
  webDir: string | undefined;
  /** How often the scheduler expires executed contracts past `expiresAt`. */
  expiryIntervalMs: number;
  /** Where events are anchored; see docs/ledger.md. */
  chain: ChainConfig;
  /** How the anchoring worker batches events. */
  ledger: LedgerConfig;
  // Gateway (docs/operations.md).
  rateLimit: RateLimitConfig;
  /** How many reverse proxies in front of the server append to `X-Forwarded-For`; 0 uses the socket address. */
  trustProxyHops: number;
  /** Requests (except the event stream) running longer answer 503 `request_timeout`. */
  requestTimeoutMs: number;
  /** How long `close()` lets in-flight requests finish before cutting connections. */
  shutdownTimeoutMs: number;
  log: LogConfig;
  /** Bearer token `/metrics` requires; without one only loopback clients may scrape. A function so it never shows up when the config is logged. */
  metricsToken: (() => string) | undefined;
  /** Live event streams (GET /v1/events); see docs/events.md. */
  events: EventsConfig;
}

/** `points` requests per `durationSeconds`. */
export interface RateLimit {
  points: number;
  durationSeconds: number;
}

export interface RateLimitConfig {
  enabled: boolean;
  /** Per client address, on every /v1 and /.well-known request; `burst` is extra allowance on top of `steady`. */
  ip: { steady: RateLimit; burst: RateLimit };
  /** Per authenticated user, on operations that need a token. */
  user: { steady: RateLimit; burst: RateLimit };
  /** Per client address on login challenge, token and refresh. */
  auth: { steady: RateLimit; burst: RateLimit };
  /** When Redis fails: `open` lets requests through (counted and logged), `closed` answers 503. */
  onStoreError: 'open' | 'closed';
}

export interface LogConfig {
  level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Where JSON lines go. @default stdout */
  destination?: DestinationStream;
}

export interface EventsConfig {
  /** A comment line on idle streams this often; each also re-reads the events table. @default 15000 */
  heartbeatMs: number;
  /** Streams one user may hold on one server instance. @default 10 */
  maxStreamsPerUser: number;
  /** Reconnection delay suggested to clients (`retry:`). @default 3000 */
  retryMs: number;
}

export type ChainConfig =
  | { mode: 'disabled' }
  /** anvil as a child process, state under `<dataDir>/chain`; the ledger is deployed on first start. */
  | { mode: 'embedded'; confirmations: number }
  | {
      mode: 'external';
      /** One or more JSON-RPC URLs, tried in order (viem `fallback`). */
      rpcUrls: string[];
      /** When set, the node must report this chain id. */
      chainId: number | undefined;
      ledgerAddress: `0x${string}`;
      /** A function so the key never shows up when the config is logged or serialized. */
      recorderPrivateKey: () => `0x${string}`;
      confirmations: number;
    };

export interface ResponseCacheConfig {
  /** Seconds an entry lives; 0 turns the cache off. */
  ttlSeconds: number;
  /** Entries kept at most when the cache is in this process (no Redis). */
  maxEntries: number;
}

export interface LedgerConfig {
  /** Most events per Merkle batch (one transaction). */
  batchSize: number;
  /** How long the oldest waiting event may wait for a batch to fill. */
  batchMaxWaitMs: number;
}

export interface DidWebConfig {
  enabled: boolean;
  /** Hosts whose DID documents may be fetched from private or loopback addresses (an intranet, tests). */
  privateHosts: string[];
  /** Extra trusted CA certificates (PEM) for fetching DID documents. */
  ca: string | undefined;
  /** Give up on a DID document fetch after this long. @default 5000 */
  timeoutMs?: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment; a bad variable is named in the error. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    dataDir: resolve(e.CMS_DATA_DIR),
    publicUrl: e.CMS_PUBLIC_URL?.replace(/\/+$/, ''),
    database: e.DATABASE_URL
      ? { engine: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE, replicaUrls: e.DATABASE_REPLICA_URLS, replicaStickyMs: e.DATABASE_REPLICA_STICKY_MS }
      : { engine: 'pglite' },
    accessTokenTtlSeconds: e.CMS_ACCESS_TOKEN_TTL,
    refreshTokenTtlSeconds: e.CMS_REFRESH_TOKEN_TTL,
    keyValueStore: e.REDIS_URL ? { engine: 'redis', url: e.REDIS_URL, keyPrefix: e.CMS_REDIS_KEY_PREFIX } : { engine: 'memory' },
    responseCache: { ttlSeconds: e.CMS_RESPONSE_CACHE_TTL, maxEntries: e.CMS_RESPONSE_CACHE_MAX_ENTRIES },
    didWeb: {
      enabled: e.CMS_DID_WEB === 'on',
      privateHosts: e.CMS_DID_WEB_PRIVATE_HOSTS ?? [],
      ca: e.CMS_DID_WEB_CA_FILE ? readCaFile(e.CMS_DID_WEB_CA_FILE) : undefined,
    },
    bodyLimitBytes: e.CMS_BODY_LIMIT,
    corsOrigins: e.CMS_CORS_ORIGINS ?? [],
    webDir: e.CMS_WEB_DIR ? resolve(e.CMS_WEB_DIR) : bundledWebDir(),
    expiryIntervalMs: e.CMS_EXPIRY_INTERVAL_MS,
    chain: chainConfig(e),
    ledger: { batchSize: e.CMS_LEDGER_BATCH_SIZE, batchMaxWaitMs: e.CMS_LEDGER_BATCH_WAIT_MS },
    rateLimit: {
      enabled: e.CMS_RATE_LIMIT === 'on',
      ip: { steady: e.CMS_RATE_LIMIT_IP, burst: e.CMS_RATE_LIMIT_IP_BURST },
      user: { steady: e.CMS_RATE_LIMIT_USER, burst: e.CMS_RATE_LIMIT_USER_BURST },
      auth: { steady: e.CMS_RATE_LIMIT_AUTH, burst: e.CMS_RATE_LIMIT_AUTH_BURST },
      onStoreError: e.CMS_RATE_LIMIT_ON_STORE_ERROR,
    },
    trustProxyHops: e.CMS_TRUST_PROXY === 'off' ? 0 : e.CMS_TRUST_PROXY,
    requestTimeoutMs: e.CMS_REQUEST_TIMEOUT_MS,
    shutdownTimeoutMs: e.CMS_SHUTDOWN_TIMEOUT_MS,
    log: { level: e.CMS_LOG_LEVEL },
    metricsToken: metricsToken(e.CMS_METRICS_TOKEN),
    events: { heartbeatMs: e.CMS_EVENTS_HEARTBEAT_MS, maxStreamsPerUser: e.CMS_EVENTS_MAX_STREAMS_PER_USER, retryMs: 3000 },
  };
}

function chainConfig(e: z.infer<typeof EnvSchema>): ChainConfig {
  if (e.CMS_CHAIN === 'disabled') return { mode: 'disabled' };
  if (e.CMS_CHAIN === 'embedded') return { mode: 'embedded', confirmations: e.CMS_CHAIN_CONFIRMATIONS };
  const missing = (['CMS_CHAIN_RPC_URLS', 'CMS_LEDGER_ADDRESS', 'CMS_RECORDER_PRIVATE_KEY'] as const).filter((k) => e[k] === undefined);
  if (missing.length) throw new ConfigError(`Invalid configuration:\n${missing.map((k) => `  ${k}: required when CMS_CHAIN=external`).join('\n')}`);
  const key = e.CMS_RECORDER_PRIVATE_KEY as `0x${string}`;
  return {
    mode: 'external',
    rpcUrls: e.CMS_CHAIN_RPC_URLS!,
    chainId: e.CMS_CHAIN_ID,
    ledgerAddress: e.CMS_LEDGER_ADDRESS as `0x${string}`,
    recorderPrivateKey: () => key,
    confirmations: e.CMS_CHAIN_CONFIRMATIONS,
  };
}

function metricsToken(token: string | undefined): (() => string) | undefined {
  return token === undefined ? undefined : () => token;
}

function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  CMS_DID_WEB_CA_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`);
  }
}

/** The web UI built inside this monorepo (packages/web/dist), when it has been built. */
function bundledWebDir(): string | undefined {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '../../web/dist');
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}
