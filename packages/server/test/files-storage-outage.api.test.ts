// The S3-compatible file store going away (its server process stopped): uploads and downloads fail with a
// retryable 503 and store nothing, /readyz stays 200 but degraded and says why, every other request keeps
// working, and everything heals when the store is back — files stored before are all still there.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { files } from '../src/db/schema/index.js';
import { startTestServer, type TestServer, testEnclave } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';
import { startTestFileStorage, type TestFileStorage } from './support/test-file-storage.js';
import { uploadTestFile } from './support/upload-test-file.js';

let storage: TestFileStorage;
let server: TestServer;
let token: string;

beforeAll(async () => {
  storage = await startTestFileStorage(1024 * 1024, 's3');
  server = await startTestServer({ enclave: testEnclave(), files: storage.config });
  token = (await loggedInClient(server.url)).client.auth.accessToken!;
}, 60_000);
afterAll(async () => {
  await server?.close();
  await storage?.close();
});

const text = (s: string) => new TextEncoder().encode(s);
const rows = async () => (await server.services.database.db.select().from(files)).length;

describe('the file store going away', () => {
  it('fails file requests with a retryable 503, stores nothing, and heals when it returns', async () => {
    const before = await uploadTestFile(server.url, token, text('stored before the outage\n'), 'text/plain');
    const auth = { authorization: `Bearer ${token}` };
    await storage.stop();
    try {
      const body = text('sent during the outage\n');
      const digest = `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
      const upload = await fetch(`${server.url}/v1/files`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/plain', 'content-digest': digest },
        body,
      });
      expect(upload.status).toBe(503);
      expect(upload.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(upload.headers.get('retry-after')).toBe('1');
      const problem = await upload.json();
      expect(problem.code).toBe('service_unavailable');
      expect(JSON.stringify(problem)).not.toMatch(/S3RVER/);
      expect(await rows()).toBe(1);

      const download = await fetch(`${server.url}/v1/files/${before.sha256}`, { headers: auth });
      expect({ status: download.status, retryAfter: download.headers.get('retry-after') }).toEqual({
        status: 503,
        retryAfter: '1',
      });

      const ready = await request(server.url, 'GET', '/readyz');
      expect(ready.status).toBe(200);
      expect(ready.json).toMatchObject({
        status: 'degraded',
        checks: { fileStorage: { status: 'down', required: false, detail: expect.stringMatching(/^S3 bucket: /) } },
      });
      // Requests that need no file are untouched.
      expect((await request(server.url, 'GET', '/v1/contracts', { token })).status).toBe(200);
    } finally {
      await storage.start();
    }
    const back = await fetch(`${server.url}/v1/files/${before.sha256}`, { headers: auth });
    expect(back.status).toBe(200);
    expect(await back.text()).toBe('stored before the outage\n');
    await uploadTestFile(server.url, token, text('sent after the outage\n'), 'text/plain');
    expect(await rows()).toBe(2);
    expect((await request(server.url, 'GET', '/readyz')).json).toMatchObject({
      status: 'ok',
      checks: { fileStorage: { status: 'up', detail: 'S3 bucket' } },
    });
  }, 60_000);
});
