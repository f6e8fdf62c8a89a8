#!/usr/bin/env node
// `cms-server`: runs the server from the environment until SIGINT/SIGTERM, then drains in-flight
// requests (up to CMS_SHUTDOWN_TIMEOUT_MS) before stopping workers, stores and the database.
// Operator commands (docs/deployment.md#operator-commands): `cms-server migrate | doctor | keys rotate |
// keys export-public | ledger deploy | ledger authorize-recorder [address] [--fund <ether>]` and the
// enclave's `list-keks | rotate-kek | rewrap-data-keys | retire-kek <version>`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isAdminCommand, runAdminCommand } from './cli-admin/admin-commands.js';
import { ConfigError, loadConfig } from './config.js';
import { startServer } from './server.js';
import { startupBanner } from './startup-banner.js';

try {
  if (isAdminCommand(process.argv[2])) process.exit(await runAdminCommand(process.argv.slice(2), process.env));
  const config = loadConfig();
  const server = await startServer(config);
  const log = server.services.logger;
  log.info(
    {
      url: server.url,
      database: server.services.database.engine,
      dataDir: config.dataDir,
      chain: server.services.ledger.info(),
    },
    'CMS server listening',
  );
  // A person at a terminal gets the addresses in a few readable lines; pipes and log collectors get JSON only.
  if (process.stdout.isTTY) {
    const webUi = config.webDir !== undefined && existsSync(join(config.webDir, 'index.html'));
    const url = server.services.publicUrl();
    process.stdout.write(
      `\n${startupBanner({ version: server.services.version, url, webUi, database: server.services.database.engine, dataDir: config.dataDir, chain: server.services.ledger.info() })}\n`,
    );
  }
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
  // An operator command's failure is a sentence for a person; a crash of the server keeps its stack.
  const readable = error instanceof ConfigError || (isAdminCommand(process.argv[2]) && error instanceof Error);
  console.error(
    readable ? `cms-server ${process.argv[2] ?? ''}: ${(error as Error).message}`.replace('cms-server : ', '') : error,
  );
  process.exit(1);
}
