#!/usr/bin/env node
// `cms-server`: runs the server from the environment until SIGINT/SIGTERM.
import { ConfigError, loadConfig } from './config.js';
import { startServer } from './server.js';

try {
  const config = loadConfig();
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
