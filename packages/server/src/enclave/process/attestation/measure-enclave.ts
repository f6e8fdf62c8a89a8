// The software PCRs, measured by the enclave at start (SHA-384, as Nitro's):
//   PCR0  its code: the built bundle (dist/enclave.js), or, from sources, every file of
//         src/enclave/process and src/enclave/protocol (path and content, sorted);
//   PCR1  the runtime: Node.js version, platform and architecture;
//   PCR2  its configuration: limits, heap cap and attestation mode.
// PCRs 3–15 are zero, as on Nitro for an enclave that does not use them.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import canonicalize from 'canonicalize';

const sha384 = (data: string | Uint8Array) => createHash('sha384').update(data).digest();

export interface MeasuredConfig {
  maxConcurrency: number;
  maxRequestBytes: number;
  timeoutMs: number;
}

export function measureEnclave(config: MeasuredConfig): Map<number, Uint8Array> {
  const pcrs = new Map<number, Uint8Array>();
  pcrs.set(0, measureCode());
  pcrs.set(1, sha384(`node ${process.version} ${process.platform}/${process.arch}`));
  pcrs.set(
    2,
    sha384(canonicalize({ mode: 'software', ...config, heapLimitBytes: getHeapStatistics().heap_size_limit })!),
  );
  for (let i = 3; i < 16; i++) pcrs.set(i, new Uint8Array(48));
  return pcrs;
}

function measureCode(): Uint8Array {
  const here = fileURLToPath(import.meta.url);
  // Bundled: this code is inside the one file that is the whole enclave.
  if (here.endsWith('.js')) return sha384(readFileSync(here));
  return measureSourceTree(join(dirname(here), '../..'));
}

/** SHA-384 over the enclave's source files under `root` (src/enclave): relative path and content hash of each, sorted. */
export function measureSourceTree(root: string): Uint8Array {
  const files = [...walk(join(root, 'process')), ...walk(join(root, 'protocol'))]
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort();
  const hash = createHash('sha384');
  for (const f of files) hash.update(`${relative(root, f)}\n`).update(sha384(readFileSync(f)));
  return hash.digest();
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}
