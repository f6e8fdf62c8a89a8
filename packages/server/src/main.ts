#!/usr/bin/env node
// `cms-server`: runs the server from the environment until SIGINT/SIGTERM, then drains in-flight
// requests (up to CMS_SHUTDOWN_TIMEOUT_MS) before stopping workers, stores and the database.
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
  const log = server.services.logger;
  log.info({ url: server.url, database: server.services.database.engine, dataDir: config.dataDir }, 'CMS server listening');
  // A supervising process (tests, process managers) learns the address without parsing logs.
  process.send?.({ event: 'listening', url: server.url, pid: process.pid });
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting without waiting for requests');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: no new connections; draining requests');
    try {
      await server.close();
      log.info('stopped');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
