// The web UI's deep links survive a reload: navigations to app routes answer index.html; API paths,
// missing files and non-HTML requests keep their problem+json 404.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';

let server: TestServer;
const webDir = mkdtempSync(join(tmpdir(), 'cms-web-spa-'));
writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>CMS app</title>');
mkdirSync(join(webDir, 'assets'));
writeFileSync(join(webDir, 'assets', 'app.js'), 'console.log(1)');

beforeAll(async () => {
  server = await startTestServer({ webDir });
});
afterAll(() => server?.close());

const navigate = (path: string, accept = 'text/html,application/xhtml+xml') =>
  fetch(`${server.url}${path}`, { headers: { accept } });

describe('single-page app fallback', () => {
  it('answers index.html, not cacheable without revalidation, to navigations of app routes', async () => {
    for (const path of ['/contracts', '/contracts/0192-abc', '/verify', '/templates/t1/edit']) {
      const res = await navigate(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe('<!doctype html><title>CMS app</title>');
    }
  });

  it('still serves files, and 404s missing files and API paths as problems', async () => {
    expect(await (await navigate('/assets/app.js', '*/*')).text()).toBe('console.log(1)');
    for (const path of [
      '/assets/missing.js',
      '/v1/nothing',
      '/v1',
      '/docs/nothing',
      '/.well-known/nothing',
      '/favicon.ico',
    ]) {
      const res = await navigate(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
    }
  });

  it('leaves requests that do not ask for HTML alone', async () => {
    const res = await navigate('/contracts/0192-abc', 'application/json');
    expect(res.status).toBe(404);
    expect((await res.json()).code).toBe('not_found');
    expect((await fetch(`${server.url}/contracts`, { method: 'POST', headers: { accept: 'text/html' } })).status).toBe(
      404,
    );
  });
});
