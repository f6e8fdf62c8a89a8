// Authenticates a bearer token on every request: the signature and claims (node:crypto, cached keys and
// verified tokens),
// then the session it belongs to, so logout, removal from the organization and role changes take
// effect at once instead of when the token expires.

import type { WritePositions } from '../db/write-positions.js';
import { AppError } from '../errors/app-error.js';
import type { AccessTokenIssuer } from './access-token.js';
import type { SessionPrincipal } from './principal.js';
import type { SessionCache } from './session-cache.js';
import type { SessionStore } from './sessions.js';

export type Authenticate = (token: string) => Promise<SessionPrincipal>;

/**
 * `writePositions` (read replicas only): the caller's last write position, fetched alongside the session.
 * `sessionCache`: sessions kept in this process and invalidated across instances, so that a request
 * with a known token and session makes no round trip at all.
 */
export function createAuthenticator(deps: {
  tokens: AccessTokenIssuer;
  sessions: SessionStore;
  sessionCache?: SessionCache;
  writePositions?: WritePositions;
}): Authenticate {
  const invalid = (why: string) =>
    new AppError('invalid_token', why, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
  return async (token) => {
    const principal = deps.tokens.verify(token);
    // Both go to the same store connection back to back (pipelined): one round trip, not two.
    const [session, readAfter] = await Promise.all([
      deps.sessionCache
        ? deps.sessionCache.get(principal.sessionId, () => deps.sessions.get(principal.sessionId))
        : deps.sessions.get(principal.sessionId),
      deps.writePositions?.readAfter(principal.userId),
    ]);
    if (!session || session.userId !== principal.userId || session.organizationId !== principal.organizationId) {
      throw invalid('The session has ended; log in again.');
    }
    if (session.roles.length !== principal.roles.length || session.roles.some((r) => !principal.roles.includes(r))) {
      throw invalid('Your roles have changed; refresh the access token.');
    }
    return readAfter === undefined ? principal : { ...principal, readAfter };
  };
}
