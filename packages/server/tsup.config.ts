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
  {
    // `cms-enclave`: one self-contained file of this package's code (no chunks shared with the server),
    // because its SHA-384 is the enclave's code measurement (PCR0 of its attestation documents).
    entry: { enclave: 'src/enclave/process/main.ts' },
    format: ['esm'],
    splitting: false,
    sourcemap: false,
    target: 'node20',
  },
]);
