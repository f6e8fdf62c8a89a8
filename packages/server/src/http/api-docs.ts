// `/openapi.json` (the source document, verbatim) and `/docs` (Swagger UI served from the npm package,
// so the docs work on networks that cannot reach a CDN).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import { openapiDocument } from '../generated/openapi-document.js';

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

export function mountApiDocs(app: Hono<any>): void {
  app.get('/openapi.json', (c) => c.json(openapiDocument));
  app.get('/docs', (c) => c.html(DOCS_HTML));
  app.get('/docs/init.js', (c) => c.body(INIT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.use('/docs/assets/*', serveStatic({ root: swaggerUiDir, rewriteRequestPath: (p) => p.replace(/^\/docs\/assets/, '') }));
}
