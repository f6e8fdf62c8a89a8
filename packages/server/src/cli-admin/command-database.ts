// The database options an operator command opens, the same ones the server uses.
import { join } from 'node:path';
import type { ServerConfig } from '../config.js';
import type { DatabaseOptions } from '../db/database.js';

export function commandDatabaseOptions(config: ServerConfig, command: string, args: string[]): DatabaseOptions {
  if (config.database.engine === 'postgres') return config.database;
  // PGlite is single-process: a second process opening the running server's data directory would corrupt it.
  if (!args.includes('--server-stopped')) {
    throw new Error(
      `${command} opens the database, and the embedded one (PGlite) allows one process: stop the server and pass --server-stopped, or use PostgreSQL (DATABASE_URL)`,
    );
  }
  return { engine: 'pglite', dataDir: config.dataDir && join(config.dataDir, 'db') };
}
