// The SDK as a browser gets it, without a browser: one ES module bundled from the sources for the
// `browser` platform (esbuild fails on a Node built-in anywhere in the graph), with the ed25519 signer
// inside. The browser-signing example then runs the built SDK in real Chromium.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('the browser build of @cms/sdk', () => {
  it('is one browser module with no Node built-ins', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['browser'],
      target: 'es2022',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((i) => i.startsWith('node:') || /^(crypto|fs|path|buffer|util)$/.test(i))).toEqual([]);
    expect(code).not.toMatch(/\bfrom\s*["']node:|require\(\s*["']node:/);
    expect(inputs.some((i) => i.includes('@noble/ed25519'))).toBe(true);
    // viem and its curves are in @cms/sdk/evm only.
    expect(inputs.filter((i) => /node_modules\/(\.pnpm\/)?(viem|@noble\/curves|abitype|ox)[@/]/.test(i))).toEqual([]);
  });
});
