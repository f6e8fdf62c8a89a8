// `/openapi.json` (the source document, verbatim) and `/docs` (Swagger UI served from the npm package,
// so the docs work on networks that cannot reach a CDN). Both are operations of the spec.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Env, Hono } from 'hono';
import { openapiDocument } from '../generated/openapi-document.js';
import type { OperationHandlers } from './operations.js';

const require = createRequire(import.meta.url);
const swaggerUiDir = dirname(require.resolve('swagger-ui-dist/package.json'));

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>CMS API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

const INIT_JS = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

/** The two documented operations; the page's script and assets are mounted by `mountApiDocs`. */
export function apiDocsHandlers(): Pick<OperationHandlers, 'getOpenApiDocument' | 'getApiDocs'> {
  return {
    getOpenApiDocument: (c) =>
      c.json(
        openapiDocument as { openapi: string; info: Record<string, unknown>; paths: Record<string, unknown> },
        200,
      ),
    getApiDocs: (c) => c.html(DOCS_HTML, 200),
  };
}

export function mountApiDocs<E extends Env>(app: Hono<E>): void {
  app.get('/docs/init.js', (c) => c.body(INIT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.use(
    '/docs/assets/*',
    serveStatic({ root: swaggerUiDir, rewriteRequestPath: (p) => p.replace(/^\/docs\/assets/, '') }),
  );
}
