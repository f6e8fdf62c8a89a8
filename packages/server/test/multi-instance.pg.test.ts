// Two server instances behind one load balancer: one PostgreSQL database, one Redis, one key directory,
// one public URL. A login on one works on the other, logout on one ends the session on both, and a key
// rotated by one is adopted by the other. Needs the real services: a *.pg.test.ts, run by the integration suite.

import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCmsClient, didKeySigner, generateDidKey } from '@cms/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { createScratchDatabase } from '../src/testing/test-database.js';
import { request } from './api-helpers.js';

// A *.pg.test.ts: the integration suite sets both (vitest.integration.config.ts).
const adminUrl = process.env.CMS_TEST_DATABASE_URL!;
const redisUrl = process.env.CMS_TEST_REDIS_URL!;

// The integration suite sets both; run by hand with CMS_TEST_DATABASE_URL alone, there is no shared Redis.
describe('two instances sharing PostgreSQL, Redis and keys', () => {
  let a: TestServer;
  let b: TestServer;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const scratch = await createScratchDatabase(adminUrl!);
    drop = scratch.drop;
    const shared = {
      database: { engine: 'postgres' as const, url: scratch.url, poolSize: 3 },
      keyValueStore: {
        engine: 'redis' as const,
        url: redisUrl!,
        keyPrefix: `cms-test-${randomBytes(6).toString('hex')}:`,
      },
      dataDir: mkdtempSync(join(tmpdir(), 'cms-shared-')),
      publicUrl: 'http://cms.test',
    };
    a = await startTestServer(shared);
    b = await startTestServer(shared);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
  });

  it('accepts a token from either instance, and logout on one ends the session on both', async () => {
    const signer = await didKeySigner((await generateDidKey()).privateKey);
    const viaA = createCmsClient({ baseUrl: a.url });
    const token = await viaA.auth.login(signer);
    expect((await request(b.url, 'GET', '/v1/me', { token: token.accessToken })).json).toMatchObject({
      userId: token.userId,
    });
    const refreshed = await request(b.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: token.refreshToken } });
    expect(refreshed.status).toBe(200);
    // A retry of that refresh on A (its response lost) gets the same new refresh token within the reuse grace…
    const retried = await request(a.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: token.refreshToken } });
    expect(retried.json.refreshToken).toBe(refreshed.json.refreshToken);
    // …and once the new one is used, the old one is used up on A too.
    expect(
      (await request(a.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: refreshed.json.refreshToken } }))
        .status,
    ).toBe(200);
    expect(
      (await request(a.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: token.refreshToken } })).json.code,
    ).toBe('refresh_token_reused');
    expect((await request(a.url, 'GET', '/v1/me', { token: refreshed.json.accessToken })).status).toBe(401);
  });

  it('adopts a signing key rotated by the other instance without rejecting earlier tokens', async () => {
    const signer = await didKeySigner((await generateDidKey()).privateKey);
    const before = await createCmsClient({ baseUrl: a.url }).auth.login(signer);
    const kid = a.services.keys.rotate().kid;
    const after = await createCmsClient({ baseUrl: a.url }).auth.login(signer);
    expect(JSON.parse(Buffer.from(after.accessToken.split('.')[0]!, 'base64url').toString()).kid).toBe(kid);
    for (const t of [before, after])
      expect((await request(b.url, 'GET', '/v1/me', { token: t.accessToken })).status).toBe(200);
    expect(
      (await request(b.url, 'GET', '/.well-known/jwks.json')).json.keys.map((k: { kid: string }) => k.kid),
    ).toContain(kid);
  });
});
