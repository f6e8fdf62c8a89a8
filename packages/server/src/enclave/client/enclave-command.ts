// How to start `cms-enclave` from this server's own installation: the built bundle next to the server's
// (dist/enclave.js), or, when the server runs from sources, src/enclave/process/main.ts through tsx.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface EnclaveCommand {
  command: string;
  args: string[];
}

export function enclaveCommand(options: { memoryMb: number }): EnclaveCommand {
  const here = fileURLToPath(import.meta.url);
  const node = [`--max-old-space-size=${options.memoryMb}`];
  if (!here.endsWith('.ts')) {
    const bundle = join(dirname(here), 'enclave.js');
    if (!existsSync(bundle)) throw new Error(`the enclave bundle ${bundle} is missing; rebuild @cms/server`);
    return { command: process.execPath, args: [...node, bundle] };
  }
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
  return {
    command: process.execPath,
    args: [...node, '--conditions=source', '--import', tsx, join(dirname(here), '../process/main.ts')],
  };
}
