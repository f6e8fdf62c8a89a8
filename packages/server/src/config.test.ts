import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs on embedded defaults with no configuration', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      database: { engine: 'pglite' },
      accessTokenTtlSeconds: 900,
    });
    expect(config.dataDir).toMatch(/\.cms$/);
  });

  it('switches to PostgreSQL with DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/cms' }).database).toMatchObject({
      engine: 'postgres',
      url: 'postgres://u@db:5432/cms',
      poolSize: 10,
    });
    expect(
      loadConfig({
        DATABASE_URL: 'postgres://u@db/cms',
        DATABASE_REPLICA_URLS: 'postgres://u@r1/cms, postgres://u@r2/cms',
      }).database,
    ).toMatchObject({
      replicaUrls: ['postgres://u@r1/cms', 'postgres://u@r2/cms'],
      replicaMaxLagMs: 10_000,
      replicaProbeIntervalMs: 1000,
    });
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@db/cms', DATABASE_REPLICA_URLS: 'mysql://r1' })).toThrow(
      'DATABASE_REPLICA_URLS',
    );
  });

  it('keeps sessions in process by default and in Redis with REDIS_URL', () => {
    expect(loadConfig({}).keyValueStore).toEqual({ engine: 'memory' });
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379/2' }).keyValueStore).toEqual({
      engine: 'redis',
      url: 'redis://cache:6379/2',
      keyPrefix: 'cms:',
    });
    expect(loadConfig({ REDIS_URL: 'rediss://cache', CMS_REDIS_KEY_PREFIX: 'acme:' }).keyValueStore).toMatchObject({
      keyPrefix: 'acme:',
    });
    expect(() => loadConfig({ REDIS_URL: 'http://cache' })).toThrow('REDIS_URL: must be a redis:// or rediss:// URL');
    expect(loadConfig({}).refreshTokenTtlSeconds).toBe(30 * 86_400);
    expect(loadConfig({}).refreshReuseGraceSeconds).toBe(30);
    expect(loadConfig({ CMS_REFRESH_REUSE_GRACE_SECONDS: '0' }).refreshReuseGraceSeconds).toBe(0);
    expect(() => loadConfig({ CMS_REFRESH_REUSE_GRACE_SECONDS: '3600' })).toThrow('CMS_REFRESH_REUSE_GRACE_SECONDS');
  });

  it('leaves did:web off unless enabled, and names an unreadable CA file', () => {
    expect(loadConfig({}).didWeb).toEqual({ enabled: false, privateHosts: [], ca: undefined });
    expect(loadConfig({ CMS_DID_WEB: 'on', CMS_DID_WEB_PRIVATE_HOSTS: 'intranet.local, did.corp' }).didWeb).toEqual({
      enabled: true,
      privateHosts: ['intranet.local', 'did.corp'],
      ca: undefined,
    });
    expect(() => loadConfig({ CMS_DID_WEB: 'yes' })).toThrow(/CMS_DID_WEB: /);
    expect(() => loadConfig({ CMS_DID_WEB_CA_FILE: '/nonexistent/ca.pem' })).toThrow(
      'CMS_DID_WEB_CA_FILE: cannot read /nonexistent/ca.pem (ENOENT)',
    );
  });

  it('names every invalid variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', CMS_PUBLIC_URL: 'ftp://x' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      expect((e as Error).message).toMatch(/PORT: .*number/);
      expect((e as Error).message).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    }
  });

  it('never echoes a secret-bearing value in its error', () => {
    const error = (() => {
      try {
        loadConfig({ DATABASE_URL: 'mysql://admin:hunter2@db/x' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).not.toContain('hunter2');
  });
});

describe('loadConfig: chain', () => {
  const external = {
    CMS_CHAIN: 'external',
    CMS_CHAIN_RPC_URLS: 'http://node-a:8545, http://node-b:8545',
    CMS_LEDGER_ADDRESS: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    CMS_RECORDER_PRIVATE_KEY: `0x${'ab'.repeat(32)}`,
  };

  it('runs an embedded chain by default', () => {
    const config = loadConfig({});
    expect(config.chain).toEqual({ mode: 'embedded', confirmations: 1 });
    expect(config.ledger).toEqual({
      batchSize: 1000,
      batchMaxWaitMs: 1000,
      checkIntervalMs: 60_000,
      headAnchorIntervalMs: 900_000,
    });
    expect(loadConfig({ CMS_CHAIN: 'disabled' }).chain).toEqual({ mode: 'disabled' });
  });

  it('uses external nodes, and never shows the recorder key when the config is printed', () => {
    const config = loadConfig({
      ...external,
      CMS_CHAIN_ID: '1337',
      CMS_CHAIN_CONFIRMATIONS: '3',
      CMS_LEDGER_BATCH_SIZE: '50',
      CMS_LEDGER_BATCH_WAIT_MS: '0',
      CMS_LEDGER_CHECK_INTERVAL_MS: '5000',
    });
    expect(config.chain).toMatchObject({
      mode: 'external',
      rpcUrls: ['http://node-a:8545', 'http://node-b:8545'],
      chainId: 1337,
      ledgerAddress: external.CMS_LEDGER_ADDRESS,
      confirmations: 3,
    });
    expect(config.chain.mode === 'external' && config.chain.recorderPrivateKey?.()).toBe(
      external.CMS_RECORDER_PRIVATE_KEY,
    );
    expect(config.ledger).toEqual({
      batchSize: 50,
      batchMaxWaitMs: 0,
      checkIntervalMs: 5000,
      headAnchorIntervalMs: 900_000,
    });
    expect(JSON.stringify(config)).not.toContain('abab');
  });

  it('names each variable an external chain is missing; with an enclave, the recorder key is the enclave’s', () => {
    expect(() => loadConfig({ CMS_CHAIN: 'external' })).toThrow(
      new ConfigError(
        'Invalid configuration:\n  CMS_CHAIN_RPC_URLS: required when CMS_CHAIN=external\n  CMS_LEDGER_ADDRESS: required when CMS_CHAIN=external',
      ),
    );
    const { CMS_RECORDER_PRIVATE_KEY: _, ...withoutKey } = external;
    expect(loadConfig(withoutKey).chain).toMatchObject({ mode: 'external', recorderPrivateKey: undefined });
    expect(() => loadConfig({ CMS_CHAIN: 'external', CMS_ENCLAVE: 'disabled' })).toThrow(
      new ConfigError(
        'Invalid configuration:\n  CMS_CHAIN_RPC_URLS: required when CMS_CHAIN=external\n  CMS_LEDGER_ADDRESS: required when CMS_CHAIN=external\n  CMS_RECORDER_PRIVATE_KEY: required when CMS_CHAIN=external',
      ),
    );
  });

  it('rejects bad chain values without echoing the key', () => {
    const error = (() => {
      try {
        loadConfig({
          ...external,
          CMS_CHAIN: 'ropsten',
          CMS_CHAIN_RPC_URLS: 'ftp://x',
          CMS_RECORDER_PRIVATE_KEY: '0xsecretsecret',
          CMS_LEDGER_BATCH_SIZE: '0',
        });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    for (const name of [
      'CMS_CHAIN',
      'CMS_CHAIN_RPC_URLS',
      'CMS_RECORDER_PRIVATE_KEY: must be a 0x-prefixed 32-byte hex private key',
      'CMS_LEDGER_BATCH_SIZE',
    ])
      expect(error!.message).toContain(name);
    expect(error!.message).not.toContain('secretsecret');
  });

  it('reads the response cache settings, 0 turning it off', () => {
    expect(loadConfig({}).responseCache).toEqual({ ttlSeconds: 300, maxEntries: 10_000 });
    expect(loadConfig({ CMS_RESPONSE_CACHE_TTL: '0', CMS_RESPONSE_CACHE_MAX_ENTRIES: '500' }).responseCache).toEqual({
      ttlSeconds: 0,
      maxEntries: 500,
    });
    expect(() => loadConfig({ CMS_RESPONSE_CACHE_TTL: '-1' })).toThrow(/CMS_RESPONSE_CACHE_TTL/);
  });
});

describe('loadConfig: gateway', () => {
  it('limits by address, user and login by default, failing open', () => {
    const { rateLimit, trustProxyHops, requestTimeoutMs, shutdownTimeoutMs, log, metricsToken } = loadConfig({});
    expect(rateLimit).toEqual({
      enabled: true,
      ip: { steady: { points: 20, durationSeconds: 1 }, burst: { points: 200, durationSeconds: 60 } },
      user: { steady: { points: 10, durationSeconds: 1 }, burst: { points: 100, durationSeconds: 60 } },
      auth: { steady: { points: 10, durationSeconds: 60 }, burst: { points: 30, durationSeconds: 3600 } },
      onStoreError: 'open',
    });
    expect({ trustProxyHops, requestTimeoutMs, shutdownTimeoutMs, log, metricsToken }).toEqual({
      trustProxyHops: 0,
      requestTimeoutMs: 60_000,
      shutdownTimeoutMs: 10_000,
      log: { level: 'info' },
      metricsToken: undefined,
    });
  });

  it('reads limits as <count>/<window>, the off switch, fail-closed and proxy hops', () => {
    const config = loadConfig({
      CMS_RATE_LIMIT: 'off',
      CMS_RATE_LIMIT_USER: '1000/10m',
      CMS_RATE_LIMIT_AUTH_BURST: '5/2h',
      CMS_RATE_LIMIT_ON_STORE_ERROR: 'closed',
      CMS_TRUST_PROXY: '2',
    });
    expect(config.rateLimit).toMatchObject({
      enabled: false,
      user: { steady: { points: 1000, durationSeconds: 600 } },
      auth: { burst: { points: 5, durationSeconds: 7200 } },
      onStoreError: 'closed',
    });
    expect(config.trustProxyHops).toBe(2);
    expect(() => loadConfig({ CMS_RATE_LIMIT_IP: '20 per second' })).toThrow(
      'CMS_RATE_LIMIT_IP: must look like 20/s, 300/m, 1000/10m or 50/h',
    );
    expect(() => loadConfig({ CMS_RATE_LIMIT_IP: '0/s' })).toThrow(
      'CMS_RATE_LIMIT_IP: needs at least 1 request per window',
    );
    expect(() => loadConfig({ CMS_TRUST_PROXY: 'yes' })).toThrow(/CMS_TRUST_PROXY/);
    expect(() => loadConfig({ CMS_LOG_LEVEL: 'verbose' })).toThrow(/CMS_LOG_LEVEL/);
  });

  it('keeps the metrics token out of printed config and errors', () => {
    const config = loadConfig({ CMS_METRICS_TOKEN: 'scrape-token-0123456789' });
    expect(config.metricsToken?.()).toBe('scrape-token-0123456789');
    expect(JSON.stringify(config)).not.toContain('scrape-token');
    const error = (() => {
      try {
        loadConfig({ CMS_METRICS_TOKEN: 'short-secret' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toContain('CMS_METRICS_TOKEN: must be at least 16 characters');
    expect(error?.message).not.toContain('short-secret');
  });
});

describe('live events', () => {
  it('defaults to 15 s heartbeats and 10 streams per user, and reads both from the environment', () => {
    expect(loadConfig({}).events).toEqual({ heartbeatMs: 15_000, maxStreamsPerUser: 10, retryMs: 3000 });
    expect(loadConfig({ CMS_EVENTS_HEARTBEAT_MS: '5000', CMS_EVENTS_MAX_STREAMS_PER_USER: '3' }).events).toEqual({
      heartbeatMs: 5000,
      maxStreamsPerUser: 3,
      retryMs: 3000,
    });
  });

  it('names an invalid events variable', () => {
    expect(() => loadConfig({ CMS_EVENTS_HEARTBEAT_MS: '10', CMS_EVENTS_MAX_STREAMS_PER_USER: '0' })).toThrow(
      new ConfigError(
        'Invalid configuration:\n  CMS_EVENTS_HEARTBEAT_MS: Too small: expected number to be >=100\n  CMS_EVENTS_MAX_STREAMS_PER_USER: Too small: expected number to be >=1',
      ),
    );
  });
});

describe('loadConfig: enclave and TLS', () => {
  it('runs an embedded enclave by default, its keys under the data directory', () => {
    expect(loadConfig({ CMS_DATA_DIR: '/srv/cms' }).enclave).toEqual({
      mode: 'embedded',
      dataDir: '/srv/cms/enclave',
      limits: { maxConcurrency: 16, maxRequestBytes: 1048576, timeoutMs: 5000, memoryMb: 256 },
      callTimeoutMs: 6000,
    });
    expect(loadConfig({ CMS_ENCLAVE: 'disabled' }).enclave).toEqual({ mode: 'disabled' });
    expect(
      loadConfig({
        CMS_ENCLAVE: 'external',
        CMS_ENCLAVE_SOCKET: '/run/cms-enclave/enclave.sock',
        CMS_ENCLAVE_TIMEOUT_MS: '2000',
      }).enclave,
    ).toEqual({
      mode: 'external',
      socketPath: '/run/cms-enclave/enclave.sock',
      callTimeoutMs: 3000,
    });
  });

  it('names what an enclave or TLS setting lacks', () => {
    expect(() => loadConfig({ CMS_ENCLAVE: 'external' })).toThrow(
      new ConfigError('Invalid configuration:\n  CMS_ENCLAVE_SOCKET: required when CMS_ENCLAVE=external'),
    );
    expect(() => loadConfig({ CMS_TLS_CERT_FILE: '/nope.pem' })).toThrow(
      new ConfigError('Invalid configuration:\n  CMS_TLS_CERT_FILE, CMS_TLS_KEY_FILE: set both or neither'),
    );
    expect(() => loadConfig({ CMS_TLS_CERT_FILE: '/nope.pem', CMS_TLS_KEY_FILE: '/nope-key.pem' })).toThrow(
      'CMS_TLS_CERT_FILE: cannot read /nope.pem (ENOENT)',
    );
    expect(() => loadConfig({ CMS_ENCLAVE_MEMORY_MB: '8' })).toThrow('CMS_ENCLAVE_MEMORY_MB');
  });
});

describe('loadConfig: file storage', () => {
  it('keeps files under the data directory by default', () => {
    expect(loadConfig({ CMS_DATA_DIR: '/var/lib/cms' }).files).toEqual({
      driver: 'local',
      dir: '/var/lib/cms/files',
      maxBytes: 25 * 1024 * 1024,
      unreferencedTtlSeconds: 86_400,
      cleanupIntervalMs: 600_000,
    });
    expect(loadConfig({ CMS_FILE_UNREFERENCED_TTL_SECONDS: '0' }).files.unreferencedTtlSeconds).toBe(0);
    expect(() => loadConfig({ CMS_FILE_CLEANUP_INTERVAL_MS: '10' })).toThrow('CMS_FILE_CLEANUP_INTERVAL_MS');
  });

  it('reads an S3-compatible bucket, path-style with an endpoint, and never shows its secret', () => {
    const config = loadConfig({
      CMS_FILE_STORAGE: 's3',
      CMS_S3_BUCKET: 'contracts',
      CMS_S3_ENDPOINT: 'http://minio.internal:9000',
      CMS_S3_ACCESS_KEY_ID: 'cms',
      CMS_S3_SECRET_ACCESS_KEY: 's3-secret-value',
      CMS_S3_PREFIX: 'cms/',
    });
    expect(config.files).toMatchObject({
      driver: 's3',
      s3: { bucket: 'contracts', endpoint: 'http://minio.internal:9000', region: 'us-east-1', forcePathStyle: true },
    });
    if (config.files.driver !== 's3') throw new Error('expected s3');
    expect(config.files.s3.credentials?.()).toEqual({ accessKeyId: 'cms', secretAccessKey: 's3-secret-value' });
    expect(config.files.s3.prefix).toBe('cms/');
    expect(JSON.stringify(config)).not.toContain('s3-secret-value');
    // AWS S3 itself: virtual-host style, credentials from the SDK's default chain.
    const aws = loadConfig({ CMS_FILE_STORAGE: 's3', CMS_S3_BUCKET: 'contracts', CMS_S3_REGION: 'eu-west-1' }).files;
    expect(aws).toMatchObject({
      driver: 's3',
      s3: { region: 'eu-west-1', forcePathStyle: false, credentials: undefined },
    });
  });

  it('names what an S3 setting lacks', () => {
    expect(() => loadConfig({ CMS_FILE_STORAGE: 's3' })).toThrow(
      new ConfigError('Invalid configuration:\n  CMS_S3_BUCKET: required when CMS_FILE_STORAGE=s3'),
    );
    expect(() => loadConfig({ CMS_FILE_STORAGE: 's3', CMS_S3_BUCKET: 'b12', CMS_S3_ACCESS_KEY_ID: 'cms' })).toThrow(
      'CMS_S3_ACCESS_KEY_ID, CMS_S3_SECRET_ACCESS_KEY: set both or neither',
    );
    expect(() => loadConfig({ CMS_FILE_STORAGE: 'gcs' })).toThrow('CMS_FILE_STORAGE');
    for (const prefix of ['../', 'cms', '/cms/', 'a/../'])
      expect(() => loadConfig({ CMS_S3_PREFIX: prefix })).toThrow('CMS_S3_PREFIX');
    expect(loadConfig({ CMS_S3_PREFIX: 'tenants/cms.v1/' })).toBeTruthy();
  });
});

describe('loadConfig: audit chain heads', () => {
  it('anchors unanchored chain heads every 15 minutes by default, at most every second', () => {
    expect(loadConfig({}).ledger.headAnchorIntervalMs).toBe(900_000);
    expect(loadConfig({ CMS_AUDIT_HEAD_ANCHOR_INTERVAL_MS: '60000' }).ledger.headAnchorIntervalMs).toBe(60_000);
    expect(() => loadConfig({ CMS_AUDIT_HEAD_ANCHOR_INTERVAL_MS: '10' })).toThrow('CMS_AUDIT_HEAD_ANCHOR_INTERVAL_MS');
  });
});
