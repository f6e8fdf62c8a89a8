import { defineConfig } from 'tsup';

// Two builds of one source: for Node (ESM + CJS + types; `#platform` resolves to src/platform/node.ts)
// and for browsers (ESM; `#platform` resolves to src/platform/browser.ts, so no Node built-in is
// imported). Dependencies stay external: the application's bundler or Node resolves them once.
const entry = {
  index: 'src/index.ts',
  enclave: 'src/enclave/index.ts',
  evm: 'src/evm/index.ts',
  templates: 'src/templates/index.ts',
  pdf: 'src/pdf/index.ts',
};

export default defineConfig([
  {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: ['!browser/**'],
    sourcemap: true,
    target: 'es2022',
    platform: 'node',
  },
  {
    entry,
    outDir: 'dist/browser',
    format: ['esm'],
    clean: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'browser',
    esbuildOptions(options) {
      options.conditions = ['browser', 'import', 'default'];
    },
  },
]);
