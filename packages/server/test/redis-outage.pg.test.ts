// Only a real Redis can be taken away: a *.pg.test.ts, run by the integration suite, where test servers
// use CMS_TEST_REDIS_URL (see vitest.config.ts and vitest.integration.config.ts).
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { startTestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';

describe('readiness', () => {
  it('answers 503 when Redis is gone', async () => {
    const s = await startTestServer();
    try {
      expect((await request(s.url, 'GET', '/readyz')).status).toBe(200);
      const { token } = await loggedInClient(s.url);
      await s.services.store.close();
      const ready = (await request(s.url, 'GET', '/readyz')).json;
      expect(ready).toMatchObject({
        status: 503,
        code: 'service_unavailable',
        detail: 'Not ready: the session store is unreachable.',
      });
      expect(ready.checks).toMatchObject({
        database: { status: 'up' },
        keyValueStore: { status: 'down', required: true },
      });
      // A valid token cannot be checked against its session: 503, never a silent pass or a 500.
      expect((await request(s.url, 'GET', '/v1/me', { token: token.accessToken })).json).toMatchObject({
        status: 503,
        code: 'service_unavailable',
      });
    } finally {
      await s.close().catch(() => {});
    }
  });
});

describe('sessions cached in-process', () => {
  it('are trusted only while the event bus subscription is up: after it drops, sessions are read again', async () => {
    const keyPrefix = `cms-test-${randomBytes(6).toString('hex')}:`;
    const s = await startTestServer({
      keyValueStore: { engine: 'redis', url: process.env.CMS_TEST_REDIS_URL!, keyPrefix },
    });
    const redis = new Redis(process.env.CMS_TEST_REDIS_URL!);
    try {
      const { token } = await loggedInClient(s.url);
      const me = () => request(s.url, 'GET', '/v1/me', { token: token.accessToken });
      expect((await me()).status).toBe(200);
      // The session store is gone, but the session is cached and the bus would carry its revocation.
      await s.services.store.close();
      expect((await me()).status).toBe(200);
      // This server's bus subscriber loses its connection (only it: found by its name).
      const clients = (await redis.client('LIST')) as string;
      const line = clients.split('\n').find((l) => l.includes(`name=${keyPrefix}event-bus`));
      const id = /id=(\d+)/.exec(line ?? '')?.[1];
      expect(id).toBeDefined();
      await redis.client('KILL', 'ID', id!);
      // Invalidations may be missed meanwhile: requests ask the store (here: 503, it is gone)…
      expect((await me()).json).toMatchObject({ status: 503, code: 'service_unavailable' });
      // …and once the bus has resubscribed, the cache starts empty: whatever it held may be stale.
      await vi.waitUntil(() => s.services.events.bus.invalidationsLive(), { timeout: 10_000, interval: 20 });
      expect((await me()).json).toMatchObject({ status: 503, code: 'service_unavailable' });
    } finally {
      redis.disconnect();
      await s.close().catch(() => {});
    }
  });
});
