#!/usr/bin/env node
// `cms-server`: runs the server from the environment until SIGINT/SIGTERM.
// `cms-server rotate-signing-key`: replaces the access-token signing key in `<CMS_DATA_DIR>/keys`.
import { join } from 'node:path';
import { createKeyRing } from './auth/key-ring.js';
import { ConfigError, loadConfig } from './config.js';
import { startServer } from './server.js';

try {
  const config = loadConfig();
  if (process.argv[2] === 'rotate-signing-key') {
    // Running servers sharing the key directory switch to the new key within seconds; tokens signed
    // with the old one keep verifying until they expire.
    const keysDir = join(config.dataDir!, 'keys');
    const { kid } = createKeyRing({ keysDir, retainSeconds: config.accessTokenTtlSeconds + 60 }).rotate();
    console.log(`New access-token signing key ${kid} in ${keysDir}`);
    process.exit(0);
  }
  const server = await startServer(config);
  console.log(`CMS server listening on ${server.url} (database: ${server.services.database.engine}, data: ${config.dataDir})`);
  const stop = async (signal: string) => {
    console.log(`${signal}: shutting down`);
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
