// Access tokens: EdDSA JWTs (RFC 9068 `at+jwt`) signed and verified with node:crypto. Verification
// runs on every request, so it avoids did-jwt and JSON Schema work: split, check header, verify, check claims.
import { randomUUID, sign, verify } from 'node:crypto';
import { AppError } from '../errors/app-error.js';
import type { Principal } from './principal.js';
import { ROLES, type Role } from './permissions.js';
import type { SigningKey } from './signing-key.js';

export const ACCESS_TOKEN_TYPE = 'at+jwt';
const CLOCK_SKEW_SECONDS = 60;

export interface AccessTokenIssuer {
  issue(principal: Principal): { token: string; expiresIn: number };
  /** The principal of a valid token; throws `invalid_token` otherwise. */
  verify(token: string): Principal;
}

export function createAccessTokenIssuer(options: { key: SigningKey; issuer: string; ttlSeconds: number }): AccessTokenIssuer {
  const { key, issuer, ttlSeconds } = options;
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'EdDSA', typ: ACCESS_TOKEN_TYPE, kid: key.kid });

  return {
    issue(p) {
      const iat = Math.floor(Date.now() / 1000);
      const payload = encode({
        iss: issuer,
        aud: issuer,
        sub: p.userId,
        did: p.did,
        org: p.organizationId,
        roles: p.roles,
        iat,
        exp: iat + ttlSeconds,
        jti: randomUUID(),
      });
      const signature = sign(null, Buffer.from(`${header}.${payload}`), key.privateKey).toString('base64url');
      return { token: `${header}.${payload}.${signature}`, expiresIn: ttlSeconds };
    },

    verify(token) {
      const invalid = (why: string) => new AppError('invalid_token', why);
      const parts = token.split('.');
      if (parts.length !== 3) throw invalid('The access token is not a compact JWS.');
      const [h, p, s] = parts as [string, string, string];
      let head: Record<string, unknown>;
      let claims: Record<string, unknown>;
      try {
        head = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
        claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
      } catch {
        throw invalid('The access token is not a compact JWS.');
      }
      if (head.alg !== 'EdDSA' || head.typ !== ACCESS_TOKEN_TYPE || head.kid !== key.kid) {
        throw invalid('The access token was not issued by this server.');
      }
      if (!verify(null, Buffer.from(`${h}.${p}`), key.publicKey, Buffer.from(s, 'base64url'))) {
        throw invalid('The access token signature does not verify.');
      }
      const now = Math.floor(Date.now() / 1000);
      if (claims.iss !== issuer || claims.aud !== issuer) throw invalid('The access token is for another server.');
      if (typeof claims.exp !== 'number' || claims.exp + CLOCK_SKEW_SECONDS < now) throw invalid('The access token has expired.');
      const roles = claims.roles;
      if (
        typeof claims.sub !== 'string' ||
        typeof claims.did !== 'string' ||
        typeof claims.org !== 'string' ||
        !Array.isArray(roles) ||
        !roles.every((r) => (ROLES as readonly unknown[]).includes(r))
      ) {
        throw invalid('The access token lacks required claims.');
      }
      return { userId: claims.sub, did: claims.did, organizationId: claims.org, roles: roles as Role[] };
    },
  };
}
