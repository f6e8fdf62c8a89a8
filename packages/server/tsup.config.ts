import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', testing: 'src/testing/start-test-server.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    shims: true,
  },
  {
    // The bin uses top-level await: ESM only.
    entry: { main: 'src/main.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
  },
]);
