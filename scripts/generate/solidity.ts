// Compiles contracts/*.sol with the npm solc (offline) into ABI and bytecode.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

// solc's output for an input is fixed by the input, the compiler's version and the imported library's
// version: kept under node_modules/.cache, a second run (the drift check after `pnpm generate`, the drift
// test's runs) does not compile again. A fresh clone has no cache, so CI compiles for real.
const cacheDir = join(dirname(fileURLToPath(import.meta.url)), '../../node_modules/.cache/cms-solc');
const cacheKey = (input: unknown) =>
  createHash('sha256')
    .update(packageVersion('solc'))
    .update(packageVersion('@openzeppelin/contracts'))
    .update(JSON.stringify(input))
    .digest('hex');

const packageVersion = (name: string): string =>
  JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;

function compileCached(input: unknown, findImports: (path: string) => unknown): string {
  const file = join(cacheDir, `${cacheKey(input)}.json`);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    // Loaded only on a miss: solc's compiler takes seconds to load.
    const solc = require('solc') as { compile(input: string, callbacks: object): string };
    const output = solc.compile(JSON.stringify(input), { import: findImports });
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, output);
    renameSync(partial, file);
    return output;
  }
}

export interface CompiledContract {
  name: string;
  abi: unknown[];
  bytecode: `0x${string}`;
}

/**
 * The EVM versions the server ships creation code for, oldest first. `petersburg` (2019: no PUSH0, no
 * BASEFEE) deploys on every EVM network we claim, old permissioned ones included; newer targets are smaller.
 */
export const EVM_VERSIONS = ['petersburg', 'paris', 'cancun'] as const;
export type EvmVersion = (typeof EVM_VERSIONS)[number];

export function compileContracts(
  dir: string,
  evmVersion: EvmVersion = 'petersburg',
): { sources: Record<string, string>; contracts: CompiledContract[] } {
  const sources: Record<string, string> = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.sol'))
    .sort())
    sources[file] = readFileSync(join(dir, file), 'utf8');
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(Object.entries(sources).map(([k, content]) => [k, { content }])),
    settings: {
      evmVersion,
      optimizer: { enabled: true, runs: 200 },
      metadata: { bytecodeHash: 'none' },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const findImports = (path: string) => {
    try {
      return { contents: readFileSync(require.resolve(path), 'utf8') };
    } catch {
      return { error: `not found: ${path}` };
    }
  };
  const output = JSON.parse(compileCached(input, findImports));
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === 'error');
  if (errors.length) throw new Error(errors.map((e: { formattedMessage: string }) => e.formattedMessage).join('\n'));
  const contracts: CompiledContract[] = [];
  for (const file of Object.keys(sources)) {
    for (const [name, c] of Object.entries(
      output.contracts[file] as Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>,
    )) {
      contracts.push({ name, abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` });
    }
  }
  return { sources, contracts };
}
