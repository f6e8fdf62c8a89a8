// Public surface of @cms/server for embedding and tests.
export { createApp } from './app.js';
export type { ServerConfig } from './config.js';
export { ConfigError, loadConfig } from './config.js';
export type { Database, DatabaseOptions } from './db/database.js';
export { migrationsFolder, openDatabase } from './db/database.js';
export type { LedgerDeployment } from './ledger/chain/deploy-ledger.js';
export { deployLedger, type LedgerEvmVersion, setRecorder } from './ledger/chain/deploy-ledger.js';
export type { RunningServer } from './server.js';
export { startServer } from './server.js';
