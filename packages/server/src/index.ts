// Public surface of @cms/server for embedding and tests.
export { createApp } from './app.js';
export { ConfigError, loadConfig } from './config.js';
export type { ServerConfig } from './config.js';
export { startServer } from './server.js';
export type { RunningServer } from './server.js';
export { openDatabase, migrationsFolder } from './db/database.js';
export type { Database, DatabaseOptions } from './db/database.js';
export { deployLedger, setRecorder } from './ledger/chain/deploy-ledger.js';
export type { LedgerDeployment } from './ledger/chain/deploy-ledger.js';
