import { defineConfig } from 'tsup';

// Two builds into one dist/: the library (ESM + CJS + types) and the `cms` bin (ESM, importing the
// library's ESM build rather than bundling a second copy). Each cleans only the other's absence:
// `'!main.*'` keeps the bin while the library build cleans, and vice versa, so the parallel builds never race.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: ['!main.*'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
  {
    entry: { main: 'src/main.ts' },
    format: ['esm'],
    clean: ['!index.*'],
    external: ['./index.js'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
]);
