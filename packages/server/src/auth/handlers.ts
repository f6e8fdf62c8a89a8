import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import { ensureUser } from '../users/ensure-user.js';
import { consumeChallenge, createChallenge } from './challenges.js';
import { verifyLoginProof } from './verify-login-proof.js';
import { AppError } from '../errors/app-error.js';
import { resolveVerificationKey } from './did-key-resolver.js';

export function authHandlers(s: Services): Pick<OperationHandlers, 'createAuthChallenge' | 'createAuthToken'> {
  return {
    createAuthChallenge: async (c) => {
      const { did } = c.req.valid('json');
      resolveVerificationKey(did); // reject unsupported DIDs before storing anything
      const { nonce, expiresAt } = await createChallenge(s.database.db, did);
      return c.json({ did, nonce, audience: s.publicUrl(), expiresAt: expiresAt.toISOString() }, 201);
    },
    createAuthToken: async (c) => {
      const { proof } = c.req.valid('json');
      const { did, nonce } = verifyLoginProof(proof, s.publicUrl());
      if (!(await consumeChallenge(s.database.db, did, nonce))) throw new AppError('invalid_challenge', 'Request a new challenge and sign it.');
      const principal = await ensureUser(s.database.db, did);
      const { token, expiresIn } = s.tokens.issue(principal);
      return c.json(
        { accessToken: token, tokenType: 'Bearer' as const, expiresIn, did, userId: principal.userId, organizationId: principal.organizationId },
        200,
      );
    },
  };
}
