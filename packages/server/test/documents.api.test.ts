import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { request } from './api-helpers.js';

let server: TestServer;
const webDir = mkdtempSync(join(tmpdir(), 'cms-web-'));
writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>CMS web</title>');

beforeAll(async () => {
  server = await startTestServer({ webDir });
});
afterAll(() => server?.close());

describe('served documents', () => {
  it('GET /openapi.json is the source document in openapi/cms.yaml', async () => {
    const source = parse(readFileSync(new URL('../../../openapi/cms.yaml', import.meta.url), 'utf8'));
    const res = await request(server.url, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.json).toEqual(source);
  });

  it('GET /docs serves Swagger UI with its assets from the server itself', async () => {
    const page = await request(server.url, 'GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/docs/assets/swagger-ui-bundle.js');
    const bundle = await fetch(`${server.url}/docs/assets/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    expect((await request(server.url, 'GET', '/docs/init.js')).text).toContain("url: '/openapi.json'");
  });

  it('serves the web UI at /', async () => {
    const res = await request(server.url, 'GET', '/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>CMS web</title>');
  });

  it('answers health, readiness and status', async () => {
    expect((await request(server.url, 'GET', '/healthz')).json).toEqual({ status: 'ok' });
    expect((await request(server.url, 'GET', '/readyz')).json).toEqual({
      status: 'ok',
      checks: {
        database: {
          status: 'up',
          required: true,
          detail: server.engine === 'pglite' ? 'embedded PGlite' : 'primary PostgreSQL',
        },
        replicas: [],
        keyValueStore: {
          status: 'up',
          required: true,
          detail: server.services.store.kind === 'redis' ? 'Redis' : 'in-process',
        },
        chain: { status: 'disabled', required: false, detail: null },
        fileStorage: { status: 'up', required: false, detail: 'local directory' },
      },
    });
    const status = await request(server.url, 'GET', '/v1/status');
    expect(status.json).toEqual({
      status: 'ok',
      version: JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version,
      database: { engine: server.engine },
      chain: { mode: 'disabled', chainId: null, ledgerAddress: null, rpcUrl: null },
    });
  });

  it('tags every response with a request id and echoes a well-formed incoming one', async () => {
    const res = await request(server.url, 'GET', '/healthz', { headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    const problem = await request(server.url, 'GET', '/v1/contracts');
    expect(problem.json.requestId).toBe(problem.headers.get('x-request-id'));
  });

  it('sends secure headers', async () => {
    const res = await request(server.url, 'GET', '/v1/status');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });
});

describe('readiness when the database is gone', () => {
  it('answers 503 service_unavailable', async () => {
    const s = await startTestServer();
    await s.services.database.close();
    const res = await request(s.url, 'GET', '/readyz');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.json).toMatchObject({ code: 'service_unavailable', detail: 'Not ready: the database is unreachable.' });
    expect(res.json.checks.database).toMatchObject({ status: 'down', required: true });
    expect(res.json.checks.keyValueStore).toMatchObject({ status: 'up' });
    await s.close().catch(() => {});
  });
});
