// The one place the server reads its environment. Everything below takes a `ServerConfig`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { StoreConfig } from './cache/open-store.js';
import type { EnclaveConfig } from './enclave/client/enclave-service.js';
import type { LogConfig } from './observability/logger.js';

/**
 * Milliseconds before each attempt of a delivery (the first is immediate), as Svix's: 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h — the last attempt is 27.6 h after the first. Jittered ±20 %.
 */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS = [
  0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
];

const port = z.coerce.number().int().min(0).max(65535);
const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

// `<count>/<window>`: 20/s, 300/m, 1000/10m, 50/h (defaults use `prefault` so they are parsed too).
const RATE = /^(\d+)\/(\d*)([smh])$/;
const rate = z
  .string()
  .regex(RATE, 'must look like 20/s, 300/m, 1000/10m or 50/h')
  .transform((s): RateLimit => {
    const [, points, count, unit] = RATE.exec(s)!;
    return {
      points: Number(points),
      durationSeconds: Number(count || 1) * { s: 1, m: 60, h: 3600 }[unit as 's' | 'm' | 'h'],
    };
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
  DATABASE_REPLICA_URLS: list
    .pipe(z.array(z.string().regex(/^postgres(ql)?:\/\//, 'must be postgres:// or postgresql:// URLs')))
    .optional(),
  DATABASE_REPLICA_MAX_LAG_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  DATABASE_REPLICA_PROBE_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  CMS_ACCESS_TOKEN_TTL: z.coerce.number().int().min(60).max(86_400).default(900),
  CMS_REFRESH_TOKEN_TTL: z.coerce
    .number()
    .int()
    .min(300)
    .max(365 * 86_400)
    .default(30 * 86_400),
  CMS_REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  // Redis through Sentinel: `host:port` of each sentinel, and the master group they monitor.
  REDIS_SENTINELS: list
    .pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port entries')).min(1))
    .optional(),
  REDIS_SENTINEL_NAME: z.string().min(1).max(200).optional(),
  // The message never repeats the value: it is a secret.
  REDIS_SENTINEL_PASSWORD: z.string().min(1, { error: 'must not be empty' }).optional(),
  CMS_REDIS_KEY_PREFIX: z.string().min(1).max(100).default('cms:'),
  CMS_RESPONSE_CACHE_TTL: z.coerce.number().int().min(0).max(86_400).default(300),
  CMS_RESPONSE_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  CMS_DID_WEB: z.enum(['on', 'off']).default('off'),
  CMS_DID_WEB_PRIVATE_HOSTS: list.optional(),
  CMS_DID_WEB_CA_FILE: z.string().min(1).optional(),
  CMS_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  CMS_FILE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(4 * 1024 * 1024 * 1024)
    .default(25 * 1024 * 1024),
  CMS_FILE_STORAGE: z.enum(['local', 's3']).default('local'),
  CMS_FILE_UNREFERENCED_TTL_SECONDS: z.coerce.number().int().min(0).max(31_536_000).default(86_400),
  CMS_FILE_CLEANUP_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(600_000),
  CMS_S3_BUCKET: z.string().min(3).max(63).optional(),
  CMS_S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  CMS_S3_REGION: z.string().min(1).optional(),
  CMS_S3_FORCE_PATH_STYLE: z.enum(['on', 'off']).optional(),
  CMS_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  // The message never repeats the value: it is a secret.
  CMS_S3_SECRET_ACCESS_KEY: z.string().min(1, { error: 'must not be empty' }).optional(),
  CMS_S3_PREFIX: z
    .string()
    .regex(/^((?!\.\.?\/)[A-Za-z0-9._-]+\/)*$/, 'must be empty or path segments ending in /, e.g. cms/')
    .default(''),
  CMS_CORS_ORIGINS: list.optional(),
  CMS_WEB_DIR: z.string().min(1).optional(),
  CMS_EXPIRY_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(30_000),
  CMS_CHAIN: z.enum(['embedded', 'external', 'disabled']).default('embedded'),
  CMS_CHAIN_RPC_URLS: list.pipe(z.array(z.url({ protocol: /^(https?|wss?)$/ })).min(1)).optional(),
  CMS_CHAIN_ID: z.coerce.number().int().positive().optional(),
  CMS_LEDGER_ADDRESS: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte address')
    .optional(),
  // The message never repeats the value: it is a private key.
  CMS_RECORDER_PRIVATE_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, { error: 'must be a 0x-prefixed 32-byte hex private key' })
    .optional(),
  CMS_CHAIN_CONFIRMATIONS: z.coerce.number().int().min(1).max(1000).default(1),
  CMS_LEDGER_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000),
  CMS_LEDGER_BATCH_WAIT_MS: z.coerce.number().int().min(0).max(3_600_000).default(1000),
  CMS_LEDGER_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
  CMS_AUDIT_HEAD_ANCHOR_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(900_000),
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
  // The deployment's operators: DIDs allowed the `operator` operations (GET /v1/admin/organizations).
  CMS_OPERATOR_DIDS: list.pipe(z.array(z.string().regex(/^did:[a-z0-9]+:\S+$/, 'must be DIDs'))).default([]),
  CMS_EVENTS_HEARTBEAT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  CMS_EVENTS_MAX_STREAMS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(10),
  // Enclave and transport security (docs/security.md#keys-and-data-protection).
  CMS_ENCLAVE: z.enum(['embedded', 'external', 'disabled']).default('embedded'),
  CMS_ENCLAVE_SOCKET: z.string().min(1).max(100, 'must be at most 100 characters (unix socket path limit)').optional(),
  CMS_ENCLAVE_DATA_DIR: z.string().min(1).optional(),
  CMS_ENCLAVE_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(16),
  CMS_ENCLAVE_MAX_REQUEST_BYTES: z.coerce
    .number()
    .int()
    .min(4096)
    .max(16 * 1024 * 1024)
    .default(1024 * 1024),
  CMS_ENCLAVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  CMS_ENCLAVE_MEMORY_MB: z.coerce.number().int().min(64).max(65_536).default(256),
  CMS_TLS_CERT_FILE: z.string().min(1).optional(),
  CMS_TLS_KEY_FILE: z.string().min(1).optional(),
  // Webhooks (docs/webhooks.md).
  CMS_WEBHOOKS: z.enum(['on', 'off']).default('on'),
  CMS_WEBHOOK_ALLOW_HOSTS: list.optional(),
  CMS_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  CMS_WEBHOOK_RETRY_SCHEDULE: list
    .pipe(z.array(z.string().regex(/^\d+$/, 'must be milliseconds').transform(Number)).min(1).max(50))
    .default(DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS),
  CMS_WEBHOOK_DISABLE_AFTER: z.coerce.number().int().min(1).max(1000).default(5),
  CMS_WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  CMS_WEBHOOK_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(1000).default(32),
  CMS_WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
});

export type FilesConfig = (
  | {
      driver: 'local';
      /** `<CMS_DATA_DIR>/files`; undefined keeps blobs in a temporary directory removed on close. */
      dir: string | undefined;
    }
  | { driver: 's3'; s3: S3StorageConfig }
) & {
  /** `CMS_FILE_MAX_BYTES`: the largest upload, enforced while it streams. */
  maxBytes: number;
  /** `CMS_FILE_UNREFERENCED_TTL_SECONDS`: files no contract names are removed this long after their upload; 0 keeps them. @default 86400 */
  unreferencedTtlSeconds?: number;
  /** `CMS_FILE_CLEANUP_INTERVAL_MS`: how often that cleanup runs. @default 600000 */
  cleanupIntervalMs?: number;
};

/** `CMS_FILE_STORAGE=s3`: any S3-compatible object store (docs/documents.md#storage-and-encryption). */
export interface S3StorageConfig {
  bucket: string;
  /** Unset: AWS S3 in `region`. */
  endpoint?: string;
  region: string;
  /** Bucket in the path (`<endpoint>/<bucket>/<key>`), as most S3-compatible servers want. */
  forcePathStyle: boolean;
  /** Static credentials; unset, the AWS SDK's default chain (AWS_* variables, profile, instance role). A function so it never shows up when the config is logged. */
  credentials?: () => { accessKeyId: string; secretAccessKey: string };
  /** Prepended to every object key (`cms/`), so the bucket can hold other things. */
  prefix: string;
}

export interface ServerConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Where embedded state lives (database, keys); `undefined` keeps everything in memory. */
  dataDir: string | undefined;
  /** The URL clients reach this server at; access tokens' `iss`/`aud` and login proofs' `aud`. Defaults to the listening address. */
  publicUrl: string | undefined;
  database:
    | {
        engine: 'postgres';
        url: string;
        poolSize: number;
        replicaUrls?: string[];
        /** A replica whose replay is further behind the primary is ejected until it catches up. @default 10000 */
        replicaMaxLagMs?: number;
        /** How often each replica (and the primary's WAL position) is probed. @default 1000 */
        replicaProbeIntervalMs?: number;
      }
    | { engine: 'pglite'; loadDataDir?: Blob };
  accessTokenTtlSeconds: number;
  /** Lifetime of a login session and its rotating refresh tokens. */
  refreshTokenTtlSeconds: number;
  /** Seconds after a refresh during which the refresh token it spent gets the same new pair again (a retry of a lost response); 0 turns it off. */
  refreshReuseGraceSeconds: number;
  /** Sessions, login challenges and other short-lived data: Redis when set, this process's memory otherwise. */
  keyValueStore: StoreConfig;
  /** Bodies of hot reads, in the same Redis as `keyValueStore` (own connection) or in this process; see docs/caching.md. */
  responseCache: ResponseCacheConfig;
  /** did:web login (fetches DID documents over HTTPS, so off unless enabled). */
  didWeb: DidWebConfig;
  bodyLimitBytes: number;
  /** Uploaded documents (docs/documents.md). */
  files: FilesConfig;
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
  /** DIDs allowed the spec's `operator` operations, whatever their roles (`CMS_OPERATOR_DIDS`). */
  operatorDids: string[];
  /** Live event streams (GET /v1/events); see docs/events.md. */
  events: EventsConfig;
  /** The key-holding enclave process (docs/security.md#keys-and-data-protection). @default embedded */
  enclave: EnclaveConfig;
  /** Serve HTTPS (and send HSTS) with this certificate chain and key, both PEM; plain HTTP when undefined. */
  tls?: TlsConfig;
  /** Webhook delivery (docs/webhooks.md). */
  webhooks: WebhooksConfig;
}

export interface WebhooksConfig {
  /** Run the delivery worker on this instance. @default true */
  enabled: boolean;
  /** Hosts that may be plain `http` and resolve to loopback or private addresses (`CMS_WEBHOOK_ALLOW_HOSTS`). */
  allowHosts: string[];
  /** A 2xx within this many milliseconds counts as delivered. @default 10000 */
  timeoutMs: number;
  /** Delay before each attempt, in milliseconds; its length is the number of attempts. */
  retryScheduleMs: number[];
  /** Consecutive failed deliveries after which an endpoint is disabled. @default 5 */
  disableAfterFailures: number;
  /** Deliveries in flight per endpoint, across instances. @default 4 */
  endpointConcurrency: number;
  /** Deliveries in flight on this instance. @default 32 */
  maxInFlight: number;
  /** How often the worker looks for due deliveries when idle. @default 500 */
  pollMs: number;
}

export interface TlsConfig {
  cert: string;
  /** A function so the key never shows up when the config is logged. */
  key: () => string;
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

export type { LogConfig };

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
      /**
       * A recorder key held by the server process; without one the enclave's recorder key signs (preferred).
       * A function so the key never shows up when the config is logged or serialized.
       */
      recorderPrivateKey?: () => `0x${string}`;
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
  /** How often the worker checks that confirmed anchors are still on the chain (docs/ledger.md). @default 60000 */
  checkIntervalMs?: number;
  /** How often each organization's newest audit event is queued for anchoring when nothing anchored it (docs/compliance.md). @default 900000 */
  headAnchorIntervalMs?: number;
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

/** What `cms-server ledger deploy | authorize-recorder` need: an external chain and its owner key. */
export interface LedgerAdminConfig {
  rpcUrls: string[];
  /** When set, the node must report this chain id. */
  chainId: number | undefined;
  /** The deployed ledger (authorize-recorder needs it; deploy ignores it). */
  ledgerAddress: `0x${string}` | undefined;
  /** The key that deploys and owns the ledger (`CMS_LEDGER_OWNER_PRIVATE_KEY`); a function so it is never logged. */
  ownerPrivateKey: () => `0x${string}`;
  /** Where the instance's own recorder key lives, for `authorize-recorder` without an address. */
  enclave: EnclaveConfig;
  recorderPrivateKey: (() => `0x${string}`) | undefined;
}

const LedgerAdminSchema = z.object({
  CMS_CHAIN_RPC_URLS: list.pipe(z.array(z.url({ protocol: /^(https?|wss?)$/ })).min(1)),
  // The message never repeats the value: it is a private key.
  CMS_LEDGER_OWNER_PRIVATE_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, { error: 'must be a 0x-prefixed 32-byte hex private key' }),
});

/** Reads the environment of the ledger administration commands; a missing or bad variable is named. */
export function loadLedgerAdminConfig(env: Record<string, string | undefined> = process.env): LedgerAdminConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  const admin = LedgerAdminSchema.safeParse(present);
  const issues = [...(parsed.success ? [] : parsed.error.issues), ...(admin.success ? [] : admin.error.issues)];
  if (!parsed.success || !admin.success) {
    throw new ConfigError(
      `Invalid configuration:\n${issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  const e = parsed.data;
  const owner = admin.data.CMS_LEDGER_OWNER_PRIVATE_KEY as `0x${string}`;
  const recorder = e.CMS_RECORDER_PRIVATE_KEY as `0x${string}` | undefined;
  return {
    rpcUrls: admin.data.CMS_CHAIN_RPC_URLS,
    chainId: e.CMS_CHAIN_ID,
    ledgerAddress: e.CMS_LEDGER_ADDRESS as `0x${string}` | undefined,
    ownerPrivateKey: () => owner,
    enclave: enclaveConfig(e),
    recorderPrivateKey: recorder === undefined ? undefined : () => recorder,
  };
}

/** Reads and validates the environment; a bad variable is named in the error. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const parsed = EnvSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
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
      ? {
          engine: 'postgres',
          url: e.DATABASE_URL,
          poolSize: e.DATABASE_POOL_SIZE,
          replicaUrls: e.DATABASE_REPLICA_URLS,
          replicaMaxLagMs: e.DATABASE_REPLICA_MAX_LAG_MS,
          replicaProbeIntervalMs: e.DATABASE_REPLICA_PROBE_INTERVAL_MS,
        }
      : { engine: 'pglite' },
    accessTokenTtlSeconds: e.CMS_ACCESS_TOKEN_TTL,
    refreshTokenTtlSeconds: e.CMS_REFRESH_TOKEN_TTL,
    refreshReuseGraceSeconds: e.CMS_REFRESH_REUSE_GRACE_SECONDS,
    keyValueStore: keyValueStoreConfig(e),
    responseCache: { ttlSeconds: e.CMS_RESPONSE_CACHE_TTL, maxEntries: e.CMS_RESPONSE_CACHE_MAX_ENTRIES },
    didWeb: {
      enabled: e.CMS_DID_WEB === 'on',
      privateHosts: e.CMS_DID_WEB_PRIVATE_HOSTS ?? [],
      ca: e.CMS_DID_WEB_CA_FILE ? readCaFile(e.CMS_DID_WEB_CA_FILE) : undefined,
    },
    bodyLimitBytes: e.CMS_BODY_LIMIT,
    files: filesConfig(e),
    corsOrigins: e.CMS_CORS_ORIGINS ?? [],
    webDir: e.CMS_WEB_DIR ? resolve(e.CMS_WEB_DIR) : bundledWebDir(),
    expiryIntervalMs: e.CMS_EXPIRY_INTERVAL_MS,
    chain: chainConfig(e),
    ledger: {
      batchSize: e.CMS_LEDGER_BATCH_SIZE,
      batchMaxWaitMs: e.CMS_LEDGER_BATCH_WAIT_MS,
      checkIntervalMs: e.CMS_LEDGER_CHECK_INTERVAL_MS,
      headAnchorIntervalMs: e.CMS_AUDIT_HEAD_ANCHOR_INTERVAL_MS,
    },
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
    operatorDids: e.CMS_OPERATOR_DIDS,
    events: {
      heartbeatMs: e.CMS_EVENTS_HEARTBEAT_MS,
      maxStreamsPerUser: e.CMS_EVENTS_MAX_STREAMS_PER_USER,
      retryMs: 3000,
    },
    enclave: enclaveConfig(e),
    tls: tlsConfig(e),
    webhooks: {
      enabled: e.CMS_WEBHOOKS === 'on',
      allowHosts: (e.CMS_WEBHOOK_ALLOW_HOSTS ?? []).map((h) => h.toLowerCase()),
      timeoutMs: e.CMS_WEBHOOK_TIMEOUT_MS,
      retryScheduleMs: e.CMS_WEBHOOK_RETRY_SCHEDULE,
      disableAfterFailures: e.CMS_WEBHOOK_DISABLE_AFTER,
      endpointConcurrency: e.CMS_WEBHOOK_ENDPOINT_CONCURRENCY,
      maxInFlight: e.CMS_WEBHOOK_MAX_IN_FLIGHT,
      pollMs: e.CMS_WEBHOOK_POLL_MS,
    },
  };
}

function filesConfig(e: z.infer<typeof EnvSchema>): FilesConfig {
  const common = {
    maxBytes: e.CMS_FILE_MAX_BYTES,
    unreferencedTtlSeconds: e.CMS_FILE_UNREFERENCED_TTL_SECONDS,
    cleanupIntervalMs: e.CMS_FILE_CLEANUP_INTERVAL_MS,
  };
  if (e.CMS_FILE_STORAGE === 'local')
    return { driver: 'local', dir: join(resolve(e.CMS_DATA_DIR), 'files'), ...common };
  if (!e.CMS_S3_BUCKET)
    throw new ConfigError('Invalid configuration:\n  CMS_S3_BUCKET: required when CMS_FILE_STORAGE=s3');
  const id = e.CMS_S3_ACCESS_KEY_ID;
  const secret = e.CMS_S3_SECRET_ACCESS_KEY;
  if ((id === undefined) !== (secret === undefined))
    throw new ConfigError(
      'Invalid configuration:\n  CMS_S3_ACCESS_KEY_ID, CMS_S3_SECRET_ACCESS_KEY: set both or neither',
    );
  return {
    driver: 's3',
    ...common,
    s3: {
      bucket: e.CMS_S3_BUCKET,
      endpoint: e.CMS_S3_ENDPOINT,
      region: e.CMS_S3_REGION ?? 'us-east-1',
      // S3-compatible servers (an endpoint) usually serve buckets by path; AWS S3 itself by virtual host.
      forcePathStyle: (e.CMS_S3_FORCE_PATH_STYLE ?? (e.CMS_S3_ENDPOINT ? 'on' : 'off')) === 'on',
      credentials: id && secret ? () => ({ accessKeyId: id, secretAccessKey: secret }) : undefined,
      prefix: e.CMS_S3_PREFIX,
    },
  };
}

function keyValueStoreConfig(e: z.infer<typeof EnvSchema>): StoreConfig {
  if (e.REDIS_SENTINELS) {
    if (!e.REDIS_SENTINEL_NAME)
      throw new ConfigError('Invalid configuration:\n  REDIS_SENTINEL_NAME: required with REDIS_SENTINELS');
    const password = e.REDIS_SENTINEL_PASSWORD;
    const nodes = e.REDIS_SENTINELS.map((entry) => {
      const at = entry.lastIndexOf(':');
      return { host: entry.slice(0, at), port: Number(entry.slice(at + 1)) };
    });
    // REDIS_URL, when set, carries the master's password, database number and TLS; its host is ignored.
    return {
      engine: 'redis',
      url: e.REDIS_URL ?? 'redis://',
      sentinel: { nodes, name: e.REDIS_SENTINEL_NAME, password: password === undefined ? undefined : () => password },
      keyPrefix: e.CMS_REDIS_KEY_PREFIX,
    };
  }
  if (e.REDIS_SENTINEL_NAME)
    throw new ConfigError('Invalid configuration:\n  REDIS_SENTINELS: required with REDIS_SENTINEL_NAME');
  return e.REDIS_URL ? { engine: 'redis', url: e.REDIS_URL, keyPrefix: e.CMS_REDIS_KEY_PREFIX } : { engine: 'memory' };
}

function enclaveConfig(e: z.infer<typeof EnvSchema>): EnclaveConfig {
  if (e.CMS_ENCLAVE === 'disabled') return { mode: 'disabled' };
  // The server waits a little longer than the enclave's own limit, so the enclave's `timeout` answer arrives first.
  const callTimeoutMs = e.CMS_ENCLAVE_TIMEOUT_MS + 1000;
  if (e.CMS_ENCLAVE === 'external') {
    if (!e.CMS_ENCLAVE_SOCKET)
      throw new ConfigError('Invalid configuration:\n  CMS_ENCLAVE_SOCKET: required when CMS_ENCLAVE=external');
    return { mode: 'external', socketPath: resolve(e.CMS_ENCLAVE_SOCKET), callTimeoutMs };
  }
  return {
    mode: 'embedded',
    dataDir: resolve(e.CMS_ENCLAVE_DATA_DIR ?? join(e.CMS_DATA_DIR, 'enclave')),
    limits: {
      maxConcurrency: e.CMS_ENCLAVE_MAX_CONCURRENCY,
      maxRequestBytes: e.CMS_ENCLAVE_MAX_REQUEST_BYTES,
      timeoutMs: e.CMS_ENCLAVE_TIMEOUT_MS,
      memoryMb: e.CMS_ENCLAVE_MEMORY_MB,
    },
    callTimeoutMs,
  };
}

function tlsConfig(e: z.infer<typeof EnvSchema>): TlsConfig | undefined {
  if (!e.CMS_TLS_CERT_FILE && !e.CMS_TLS_KEY_FILE) return undefined;
  if (!e.CMS_TLS_CERT_FILE || !e.CMS_TLS_KEY_FILE)
    throw new ConfigError('Invalid configuration:\n  CMS_TLS_CERT_FILE, CMS_TLS_KEY_FILE: set both or neither');
  const cert = readPemFile('CMS_TLS_CERT_FILE', e.CMS_TLS_CERT_FILE);
  const key = readPemFile('CMS_TLS_KEY_FILE', e.CMS_TLS_KEY_FILE);
  return { cert, key: () => key };
}

function readPemFile(name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration:\n  ${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`,
    );
  }
}

function chainConfig(e: z.infer<typeof EnvSchema>): ChainConfig {
  if (e.CMS_CHAIN === 'disabled') return { mode: 'disabled' };
  if (e.CMS_CHAIN === 'embedded') return { mode: 'embedded', confirmations: e.CMS_CHAIN_CONFIRMATIONS };
  // With an enclave, its own recorder key signs: CMS_RECORDER_PRIVATE_KEY is needed only without one.
  const required =
    e.CMS_ENCLAVE === 'disabled'
      ? (['CMS_CHAIN_RPC_URLS', 'CMS_LEDGER_ADDRESS', 'CMS_RECORDER_PRIVATE_KEY'] as const)
      : (['CMS_CHAIN_RPC_URLS', 'CMS_LEDGER_ADDRESS'] as const);
  const missing = required.filter((k) => e[k] === undefined);
  if (missing.length)
    throw new ConfigError(
      `Invalid configuration:\n${missing.map((k) => `  ${k}: required when CMS_CHAIN=external`).join('\n')}`,
    );
  const key = e.CMS_RECORDER_PRIVATE_KEY as `0x${string}` | undefined;
  return {
    mode: 'external',
    rpcUrls: e.CMS_CHAIN_RPC_URLS!,
    chainId: e.CMS_CHAIN_ID,
    ledgerAddress: e.CMS_LEDGER_ADDRESS as `0x${string}`,
    recorderPrivateKey: key === undefined ? undefined : () => key,
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
    throw new ConfigError(
      `Invalid configuration:\n  CMS_DID_WEB_CA_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`,
    );
  }
}

/** The web UI built inside this monorepo (packages/web/dist), when it has been built. */
function bundledWebDir(): string | undefined {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '../../web/dist');
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}
