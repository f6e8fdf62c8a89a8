import { AppError } from '../errors/app-error.js';
import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import { loginUser, membershipFor, userOfDid } from '../users/login-user.js';
import { createChallenge } from './challenges.js';
import { tokenResponse } from './issue-tokens.js';

type AuthOperations =
  | 'createAuthChallenge'
  | 'createAuthToken'
  | 'refreshAuthToken'
  | 'logout'
  | 'listSessions'
  | 'revokeSession'
  | 'getJwks';

export function authHandlers(
  s: Pick<Services, 'database' | 'didResolver' | 'keys' | 'proofs' | 'publicUrl' | 'sessions' | 'store' | 'tokens'>,
): Pick<OperationHandlers, AuthOperations> {
  return {
    createAuthChallenge: async (c) => {
      const { did } = c.req.valid('json');
      s.didResolver.assertSupported(did); // reject unsupported DIDs before storing anything
      const { nonce, expiresAt } = await createChallenge(s.store, did);
      return c.json({ did, nonce, audience: s.publicUrl(), expiresAt: expiresAt.toISOString() }, 201);
    },

    createAuthToken: async (c) => {
      const { organizationId, ...proof } = c.req.valid('json');
      const did = await s.proofs.verify(proof);
      const target = await loginUser(s.database.db, did, { organizationId });
      const { session, refreshToken } = await s.sessions.create({
        userId: target.userId,
        did,
        organizationId: target.organizationId,
        roles: [target.role],
        userAgent: c.req.header('user-agent'),
      });
      return c.json(tokenResponse(s.tokens, session, refreshToken), 200);
    },

    refreshAuthToken: async (c) => {
      const { refreshToken, organizationId } = c.req.valid('json');
      // Membership and roles are read again before rotating: a removed member cannot refresh, a changed
      // role shows up, and a refused organization switch leaves the presented token usable.
      const current = await s.sessions.peek(refreshToken);
      let target: Awaited<ReturnType<typeof membershipFor>> | undefined;
      if (current) {
        try {
          if ((await userOfDid(s.database.db, current.did)) !== current.userId) {
            throw new AppError(
              'invalid_refresh_token',
              'The DID of this session was removed from the account; log in again.',
            );
          }
          target = await membershipFor(s.database.db, current.userId, {
            organizationId: organizationId ?? current.organizationId,
          });
        } catch (error) {
          const refusedSwitch =
            organizationId !== undefined &&
            organizationId !== current.organizationId &&
            error instanceof AppError &&
            error.code === 'not_a_member';
          if (!refusedSwitch) await s.sessions.revoke(current.id);
          throw error;
        }
      }
      const rotated = await s.sessions.rotate(refreshToken);
      const session = target
        ? { ...rotated.session, organizationId: target.organizationId, roles: [target.role] }
        : rotated.session;
      await s.sessions.update(session);
      return c.json(tokenResponse(s.tokens, session, rotated.refreshToken), 200);
    },

    logout: async (c) => {
      await s.sessions.revoke(c.get('principal').sessionId);
      return c.body(null, 204);
    },

    listSessions: async (c) => {
      const principal = c.get('principal');
      const sessions = await s.sessions.listForUser(principal.userId);
      return c.json(
        {
          data: sessions.map((x) => ({
            id: x.id,
            did: x.did,
            organizationId: x.organizationId,
            createdAt: x.createdAt,
            expiresAt: x.expiresAt,
            lastRefreshedAt: x.lastRefreshedAt,
            userAgent: x.userAgent,
            current: x.id === principal.sessionId,
          })),
        },
        200,
      );
    },

    revokeSession: async (c) => {
      const { sessionId } = c.req.valid('param');
      const session = await s.sessions.get(sessionId);
      // Someone else's session is as invisible as a missing one.
      if (!session || session.userId !== c.get('principal').userId)
        throw new AppError('not_found', `No session ${sessionId}.`);
      await s.sessions.revoke(sessionId);
      return c.body(null, 204);
    },

    getJwks: (c) => {
      c.header('cache-control', 'public, max-age=300');
      return c.json({ keys: s.keys.jwks() }, 200);
    },
  };
}
