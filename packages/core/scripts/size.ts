// The browser bundle budgets. Bundles each entry of @cms/sdk the way an application's bundler does for
// browsers (minified, dependencies included, `browser` conditions so `#platform` is the browser one, code
// splitting on), then prints two figures per entry: what loads when it is imported (the entry chunk and
// the chunks it imports statically) and what loads later, on first use of a lazily imported feature
// (`verifyEvidence` and `cms.contracts.verify` load the evidence checks and the template renderer).
// Exits 1 when either is over its budget in package.json `sizeBudget`. esbuild also fails on a Node
// built-in anywhere in the browser graph.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

type Budget = { initialGzipBytes: number; lazyGzipBytes: number };
const root = new URL('..', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  sizeBudget: Record<string, Budget>;
};
const entries = {
  '@cms/sdk': './src/index.ts',
  '@cms/sdk/enclave': './src/enclave/index.ts',
  '@cms/sdk/evm': './src/evm/index.ts',
  '@cms/sdk/templates': './src/templates/index.ts',
  '@cms/sdk/pdf': './src/pdf/index.ts',
} as const;
let failed = false;
for (const [name, entry] of Object.entries(entries)) {
  const budget = manifest.sizeBudget[name];
  if (!budget) throw new Error(`package.json sizeBudget has no entry for ${name}`);
  failed = (await measure(name, entry, budget)) || failed;
}
if (failed) process.exit(1);

async function measure(name: string, entry: string, budget: Budget): Promise<boolean> {
  const result = await build({
    entryPoints: { entry: new URL(entry, root).pathname },
    bundle: true,
    splitting: true,
    outdir: '/virtual',
    minify: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['browser'],
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const gzipOf = new Map(result.outputFiles.map((f) => [f.path, gzipSync(f.contents, { level: 9 }).length]));
  const outputs = result.metafile.outputs;
  const initial = staticClosure(outputs, '/virtual/entry.js');
  let initialGzip = 0;
  let lazyGzip = 0;
  for (const [path, gzip] of gzipOf) {
    if (!path.endsWith('.js')) continue;
    if (initial.has(path)) initialGzip += gzip;
    else lazyGzip += gzip;
  }
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(
    `${name} browser bundle: ${initialGzip} B gzip (${kib(initialGzip)}) on import, budget ${budget.initialGzipBytes}; ` +
      `${lazyGzip} B gzip (${kib(lazyGzip)}) loaded on first use, budget ${budget.lazyGzipBytes}`,
  );
  let over = false;
  for (const [what, size, limit] of [
    ['on import', initialGzip, budget.initialGzipBytes],
    ['loaded on first use', lazyGzip, budget.lazyGzipBytes],
  ] as const)
    if (size > limit) {
      console.error(
        `${name} (${what}) is over budget by ${size - limit} B: find what grew (esbuild --analyze) or raise sizeBudget in package.json deliberately`,
      );
      over = true;
    }
  return over;
}

/** The output file and every chunk it imports statically, transitively (esbuild's output paths are relative to the cwd). */
function staticClosure(outputs: Metafile['outputs'], entryPath: string): Set<string> {
  const byAbsolute = new Map(Object.keys(outputs).map((k) => [new URL(k, `file://${process.cwd()}/`).pathname, k]));
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const key = byAbsolute.get(path);
    for (const i of key ? outputs[key]!.imports : [])
      if (i.kind === 'import-statement' && !i.external) visit(new URL(i.path, `file://${process.cwd()}/`).pathname);
  };
  visit(entryPath);
  return seen;
}
