// `cms-server migrate`: applies pending migrations and exits, so an upgrade can migrate once before
// rolling restarts (servers also migrate on start, serialised by an advisory lock).

import pg from 'pg';
import type { ServerConfig } from '../config.js';
import { appliedMigrations } from '../db/applied-migrations.js';
import { countAppliedMigrations } from '../db/count-applied-migrations.js';
import { openDatabase } from '../db/database.js';
import { commandDatabaseOptions } from './command-database.js';

export async function migrateCommand(config: ServerConfig, args: string[], out: (line: string) => void): Promise<void> {
  const options = commandDatabaseOptions(config, 'migrate', args);
  const before = options.engine === 'postgres' ? await countApplied(options.url) : undefined;
  const database = await openDatabase(options);
  try {
    const after = await appliedMigrations(database.db);
    const applied = before === undefined ? '' : `, ${after - before} applied now`;
    out(`database (${database.engine}) is at migration ${after}${applied}`);
  } finally {
    await database.close();
  }
}

// Before migrating: how many migrations the database has.
async function countApplied(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await countAppliedMigrations(client);
  } finally {
    await client.end();
  }
}
