import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs on embedded defaults with no configuration', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, database: { engine: 'pglite' }, accessTokenTtlSeconds: 900 });
    expect(config.dataDir).toMatch(/\.cms$/);
  });

  it('switches to PostgreSQL with DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/cms' }).database).toMatchObject({ engine: 'postgres', url: 'postgres://u@db:5432/cms', poolSize: 10 });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db/cms', DATABASE_REPLICA_URLS: 'postgres://u@r1/cms, postgres://u@r2/cms' }).database).toMatchObject({
      replicaUrls: ['postgres://u@r1/cms', 'postgres://u@r2/cms'],
      replicaStickyMs: 5000,
    });
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@db/cms', DATABASE_REPLICA_URLS: 'mysql://r1' })).toThrow('DATABASE_REPLICA_URLS');
  });

  it('names every invalid variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', CMS_PUBLIC_URL: 'ftp://x' })).toThrow(ConfigError);
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
