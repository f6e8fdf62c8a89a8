import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// Absolute base: deep links (/contracts/<id>) load their assets from /assets, whatever the path.
// `source` first: the workspace's @cms/sdk and @cms/react are bundled from their sources (no build needed).
export default defineConfig({
  base: '/',
  plugins: [react()],
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
