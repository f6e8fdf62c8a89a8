// The browser bundle budgets: bundles everything @cms/sdk (and, separately, @cms/sdk/enclave and @cms/sdk/evm) exports for browsers (minified, dependencies
// included, `browser` conditions, so `#platform` is the browser one), prints raw and gzip bytes, and
// exits 1 when the gzip size is over `sizeBudget.browserGzipBytes` in package.json. Also fails when
// anything in the browser build imports a Node built-in (esbuild cannot resolve one for browsers).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  sizeBudget: { browserGzipBytes: number; enclaveBrowserGzipBytes: number; evmBrowserGzipBytes: number };
};
let failed = false;
for (const [name, entry, budget] of [
  ['@cms/sdk', './src/index.ts', manifest.sizeBudget.browserGzipBytes],
  ['@cms/sdk/enclave', './src/enclave/index.ts', manifest.sizeBudget.enclaveBrowserGzipBytes],
  ['@cms/sdk/evm', './src/evm/index.ts', manifest.sizeBudget.evmBrowserGzipBytes],
] as const)
  failed = (await measure(name, entry, budget)) || failed;
if (failed) process.exit(1);

async function measure(name: string, entry: string, budget: number): Promise<boolean> {
  const result = await build({
    stdin: { contents: `export * from '${entry}';`, resolveDir: root.pathname, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['browser'],
    target: 'es2022',
    write: false,
    logLevel: 'error',
  });
  const code = result.outputFiles[0]!.contents;
  const gzip = gzipSync(code, { level: 9 }).length;
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(
    `${name} browser bundle: ${code.length} B raw (${kib(code.length)}), ${gzip} B gzip (${kib(gzip)}); budget ${budget} B gzip`,
  );
  if (gzip > budget) {
    console.error(
      `${name} is over budget by ${gzip - budget} B: find what grew (esbuild --analyze) or raise sizeBudget in package.json deliberately`,
    );
    return true;
  }
  return false;
}
