// Optional TLS in the node server: HTTPS with the configured certificate, and HSTS only then.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';

let dir: string;
let tlsServer: TestServer;
let plainServer: TestServer;
let cert: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  const { tls } = loadConfig({ CMS_TLS_CERT_FILE: join(dir, 'cert.pem'), CMS_TLS_KEY_FILE: join(dir, 'key.pem') });
  [tlsServer, plainServer] = await Promise.all([startTestServer({ tls }), startTestServer()]);
}, 120_000);
afterAll(async () => {
  await Promise.all([tlsServer?.close(), plainServer?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const get = (url: string) =>
  new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
    httpsRequest(url, { ca: cert }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
    })
      .on('error', reject)
      .end();
  });

describe('TLS in the node server', () => {
  it('serves HTTPS with the configured certificate and sends HSTS', async () => {
    expect(tlsServer.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await get(`${tlsServer.url}/v1/status`);
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('sends no HSTS over plain HTTP', async () => {
    const res = await fetch(`${plainServer.url}/v1/status`);
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});
