import type { AccessTokenIssuer } from './auth/access-token.js';
import type { Database } from './db/database.js';

/** What handlers work with; built once per server by `startServer`. */
export interface Services {
  version: string;
  database: Database;
  tokens: AccessTokenIssuer;
  /** The server's public URL (known once it listens). */
  publicUrl(): string;
}
