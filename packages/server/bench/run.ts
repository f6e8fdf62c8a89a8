// `pnpm bench`: runs every benchmark in its own process, one after another (they share 2 noisy cores).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const BENCHES = [
  'http.ts',
  'auth.ts',
  'signing.ts',
  'contracts.ts',
  'ledger.ts',
  'rate-limit.ts',
  'events.ts',
  'replicas.ts',
  'enclave.ts',
  'cli.ts',
  'webhooks.ts',
];
const only = process.argv.slice(2);

let failed = 0;
for (const file of BENCHES.filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))) {
  const path = join(import.meta.dirname, file);
  if (!existsSync(path)) continue;
  console.log(`\n# ${file}`);
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', path], {
    stdio: 'inherit',
    env: process.env,
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
