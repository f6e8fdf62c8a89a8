import { defineConfig } from 'vite';

// `pnpm dev` serves the page and forwards its API calls to the CMS server, so the page and the API
// share one origin and the server needs no CORS configuration.
const cmsServer = process.env.CMS_SERVER ?? 'http://localhost:8080';

// `@cms/sdk` resolves as in any app's bundler: through its package `exports` with Vite's default
// client conditions (`browser`, `module`, `import`, `default`), i.e. to the SDK's built `dist` and,
// once it has one, its `browser` build. Never add the workspace's `source` condition here.
export default defineConfig({
  base: './', // the built page works wherever it is served from
  server: { proxy: { '/v1': cmsServer } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
