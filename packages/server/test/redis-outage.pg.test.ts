// Only a real Redis can be taken away: a *.pg.test.ts, run by the integration suite, where test servers
// use CMS_TEST_REDIS_URL (see vitest.config.ts and vitest.integration.config.ts).
import { describe, expect, it } from 'vitest';
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
