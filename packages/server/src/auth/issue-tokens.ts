// The token pair a login or a refresh answers with.
import type { AuthToken } from '../generated/schemas.js';
import type { AccessTokenIssuer } from './access-token.js';
import type { Session } from './sessions.js';

export function tokenResponse(tokens: AccessTokenIssuer, session: Session, refreshToken: string): AuthToken {
  const { token, expiresIn } = tokens.issue({
    userId: session.userId,
    did: session.did,
    organizationId: session.organizationId,
    roles: session.roles,
    sessionId: session.id,
  });
  return {
    accessToken: token,
    tokenType: 'Bearer',
    expiresIn,
    refreshToken,
    refreshExpiresAt: session.expiresAt,
    sessionId: session.id,
    did: session.did,
    userId: session.userId,
    organizationId: session.organizationId,
    roles: session.roles,
  };
}
