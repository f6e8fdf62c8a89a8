import type { Role } from './permissions.js';

/** Who is acting: a caller established from an access token, or the system itself (schedulers). */
export interface Principal {
  userId: string;
  /** The DID the caller logged in with. */
  did: string;
  /** The organization the token is scoped to: the tenant of every row the caller reads or writes. */
  organizationId: string;
  /** The caller's roles in `organizationId`. */
  roles: Role[];
  /** The login session the token belongs to; absent for the system. */
  sessionId?: string;
}

/** A caller authenticated by an access token of a live session. */
export interface SessionPrincipal extends Principal {
  sessionId: string;
  /**
   * The WAL position the caller's reads must see (its last write, read-your-writes across instances);
   * undefined without read replicas or without a recent write. See db/write-positions.ts.
   */
  readAfter?: bigint;
}
