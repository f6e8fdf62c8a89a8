// Deep links of the web UI (/contracts/<id>, /verify, …) are routes of the single-page app, not files:
// a browser navigating to one (a reload, a shared link) gets the app's index.html, and its router
// shows the page. API, docs and well-known paths, and anything that looks like a file, keep their 404.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MiddlewareHandler } from 'hono';

const NOT_APP_ROUTES = /^\/(?:v1|docs|\.well-known)(?:\/|$)|^\/(?:openapi\.json|metrics|healthz|readyz)$/;

/** Answers index.html of `webDir` to GET/HEAD navigations (Accept: text/html) of paths without a file extension. */
export function spaFallback(webDir: string): MiddlewareHandler {
  const indexFile = join(webDir, 'index.html');
  return async (c, next) => {
    const path = c.req.path;
    const isNavigation =
      (c.req.method === 'GET' || c.req.method === 'HEAD') && (c.req.header('accept') ?? '').includes('text/html');
    const lastSegment = path.slice(path.lastIndexOf('/') + 1);
    if (!isNavigation || NOT_APP_ROUTES.test(path) || lastSegment.includes('.')) return next();
    const html = await readFile(indexFile, 'utf8');
    // The page names hashed assets: it must be revalidated so a new build is picked up at once.
    return c.html(html, 200, { 'cache-control': 'no-cache' });
  };
}
