// `cms-server list-keks | rotate-kek | rewrap-data-keys | retire-kek <version>`: KEK administration
// while servers keep running (rewrap and retire read the database: online on PostgreSQL; with the
// embedded PGlite only with the server stopped, `--server-stopped`). With an embedded enclave the command
// starts its own enclave child on the same enclave data directory; running enclaves pick up the new ring
// within seconds (they re-read it).
import { join } from 'node:path';
import type { ServerConfig } from '../../config.js';
import { openDatabase } from '../../db/database.js';
import { createLogger } from '../../observability/logger.js';
import { startEnclaveService } from '../client/enclave-service.js';
import { retireKek, rewrapDataKeys } from './rewrap-data-keys.js';

export const KEK_COMMANDS = ['list-keks', 'rotate-kek', 'rewrap-data-keys', 'retire-kek'] as const;

export async function runKekCommand(
  config: ServerConfig,
  command: (typeof KEK_COMMANDS)[number],
  args: string[],
  out: (line: string) => void = console.log,
): Promise<void> {
  if (config.enclave.mode === 'disabled') throw new Error('CMS_ENCLAVE=disabled: there are no KEKs to manage');
  const enclave = await startEnclaveService(config.enclave, { logger: createLogger({ level: 'silent' }) });
  try {
    if (command === 'list-keks') {
      for (const k of await enclave.listKeks())
        out(`${k.version}\t${k.state}\tcreated ${k.createdAt}${k.retiredAt ? `\tretired ${k.retiredAt}` : ''}`);
    } else if (command === 'rotate-kek') {
      out(
        `KEK version ${await enclave.rotateKek()} is current; run \`cms-server rewrap-data-keys\` to move stored keys onto it`,
      );
    } else {
      // PGlite is single-process: a second process opening the running server's data directory would
      // corrupt it. Online rewrap needs PostgreSQL; with the embedded database, stop the server first.
      if (config.database.engine === 'pglite' && !args.includes('--server-stopped')) {
        throw new Error(
          `${command} opens the database, and the embedded one (PGlite) allows one process: stop the server and pass --server-stopped, or use PostgreSQL (DATABASE_URL) to run it online`,
        );
      }
      const database = await openDatabase(
        config.database.engine === 'postgres'
          ? config.database
          : { engine: 'pglite', dataDir: config.dataDir && join(config.dataDir, 'db') },
      );
      try {
        if (command === 'rewrap-data-keys') {
          const started = performance.now();
          const done = await rewrapDataKeys(database.db, enclave, { onBatch: (p) => out(`rewrapped ${p.rewrapped}`) });
          const seconds = (performance.now() - started) / 1000;
          out(
            `${done.rewrapped} data keys now under KEK version ${done.currentVersion} (${Math.round(done.rewrapped / Math.max(seconds, 1e-3))}/s)`,
          );
        } else {
          const version = Number(args.find((a) => !a.startsWith('--')));
          if (!Number.isSafeInteger(version))
            throw new Error('usage: cms-server retire-kek <version> [--server-stopped]');
          await retireKek(database.db, enclave, version);
          out(`KEK version ${version} destroyed`);
        }
      } finally {
        await database.close();
      }
    }
  } finally {
    await enclave.close();
  }
}
