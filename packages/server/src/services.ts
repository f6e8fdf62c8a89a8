import type { AccessTokenIssuer } from './auth/access-token.js';
import type { Database } from './db/database.js';
import type { Ledger } from './ledger/ledger-runtime.js';

/** What handlers work with; built once per server by `startServer`. */
export interface Services {
  version: string;
  database: Database;
  tokens: AccessTokenIssuer;
  /** The chain events are anchored on, and the anchoring worker (see docs/ledger.md). */
  ledger: Ledger;
  /** The server's public URL (known once it listens). */
  publicUrl(): string;
}
