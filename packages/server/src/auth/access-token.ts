// Access tokens: EdDSA JWTs (RFC 9068 `at+jwt`) signed and verified with node:crypto. Verification runs
// on every request, so it avoids did-jwt and JSON Schema work: split, check the header against an
// allow-list, look the key up by `kid` (cached KeyObject), verify, check the claims (RFC 8725).
import { randomUUID, sign, verify } from 'node:crypto';
import { createLruMap } from '../cache/lru-map.js';
import { AppError } from '../errors/app-error.js';
import type { KeyRing } from './key-ring.js';
import { ROLES, type Role } from './permissions.js';
import type { SessionPrincipal } from './principal.js';

export const ACCESS_TOKEN_TYPE = 'at+jwt';
const CLOCK_SKEW_SECONDS = 60;
/** Far above any token this server issues; bounds the work an attacker can ask for. */
const MAX_TOKEN_LENGTH = 4096;
const HEADER_KEYS = new Set(['alg', 'typ', 'kid']);
/** Verified tokens remembered per process (a token is ~600 bytes; 10,000 of them are a few MB). */
const DEFAULT_CACHE_SIZE = 10_000;

export interface AccessTokenIssuer {
  issue(principal: SessionPrincipal): { token: string; expiresIn: number };
  /** The principal of a valid token; throws `invalid_token` otherwise. Does not consult the session store. */
  verify(token: string): SessionPrincipal;
}

export function createAccessTokenIssuer(options: {
  keys: KeyRing;
  issuer: string;
  ttlSeconds: number;
  now?: () => number;
  /**
   * Tokens whose verification is remembered (an LRU keyed by the token, each entry kept until the
   * token's `exp` at most, dropped when its signing key stops verifying); 0 verifies every time.
   * @default 10000
   */
  cacheSize?: number;
}): AccessTokenIssuer {
  const { keys, issuer, ttlSeconds } = options;
  const now = options.now ?? Date.now;
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const headers = new Map<string, string>();
  const headerFor = (kid: string) => {
    let h = headers.get(kid);
    if (!h) headers.set(kid, (h = encode({ alg: 'EdDSA', typ: ACCESS_TOKEN_TYPE, kid })));
    return h;
  };

  // Verifying costs an Ed25519 verify and two JSON parses; a token's result cannot change before its
  // `exp` except by its key being retired, which a hit checks. The session is checked separately.
  const verified = createLruMap<{ principal: SessionPrincipal; kid: string }>({
    max: Math.max(1, options.cacheSize ?? DEFAULT_CACHE_SIZE),
    now,
  });
  const cacheEnabled = (options.cacheSize ?? DEFAULT_CACHE_SIZE) > 0;

  const tokens: AccessTokenIssuer = {
    issue(p) {
      const key = keys.current();
      const header = headerFor(key.kid);
      const iat = Math.floor(now() / 1000);
      const payload = encode({
        iss: issuer,
        aud: issuer,
        sub: p.userId,
        did: p.did,
        org: p.organizationId,
        roles: p.roles,
        sid: p.sessionId,
        iat,
        nbf: iat,
        exp: iat + ttlSeconds,
        jti: randomUUID(),
      });
      const signature = sign(null, Buffer.from(`${header}.${payload}`), key.privateKey).toString('base64url');
      return { token: `${header}.${payload}.${signature}`, expiresIn: ttlSeconds };
    },

    verify(token) {
      const hit = cacheEnabled ? verified.get(token) : undefined;
      if (hit && keys.verificationKey(hit.kid)) return { ...hit.principal, roles: [...hit.principal.roles] };
      const result = verifyUncached(token);
      if (cacheEnabled) verified.set(token, result, result.exp * 1000);
      return { ...result.principal, roles: [...result.principal.roles] };
    },
  };

  function verifyUncached(token: string): { principal: SessionPrincipal; kid: string; exp: number } {
    const invalid = (why: string) =>
      new AppError('invalid_token', why, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
    if (token.length > MAX_TOKEN_LENGTH) throw invalid('The access token is not a compact JWS.');
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
    if (typeof head !== 'object' || head === null || typeof claims !== 'object' || claims === null)
      throw invalid('The access token is not a compact JWS.');
    // Algorithm and type are fixed, never taken from the token (RFC 8725 §3.1, §3.11); unknown
    // header parameters (`crit`, `jku`, `x5u`, embedded `jwk`) are refused rather than ignored.
    if (head.alg !== 'EdDSA') throw invalid(`Algorithm ${JSON.stringify(head.alg)} is not accepted.`);
    if (head.typ !== ACCESS_TOKEN_TYPE) throw invalid(`The token's typ must be ${ACCESS_TOKEN_TYPE}.`);
    if (Object.keys(head).some((k) => !HEADER_KEYS.has(k)))
      throw invalid('The access token has unsupported header parameters.');
    const key = typeof head.kid === 'string' ? keys.verificationKey(head.kid) : undefined;
    if (!key) throw invalid('The access token was not issued by this server, or its signing key has been retired.');
    if (!verify(null, Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))) {
      throw invalid('The access token signature does not verify.');
    }
    const seconds = Math.floor(now() / 1000);
    if (claims.iss !== issuer || claims.aud !== issuer) throw invalid('The access token is for another server.');
    if (typeof claims.exp !== 'number' || claims.exp + CLOCK_SKEW_SECONDS < seconds)
      throw invalid('The access token has expired.');
    if (typeof claims.nbf === 'number' && claims.nbf - CLOCK_SKEW_SECONDS > seconds)
      throw invalid('The access token is not valid yet.');
    const roles = claims.roles;
    if (
      typeof claims.sub !== 'string' ||
      typeof claims.did !== 'string' ||
      typeof claims.org !== 'string' ||
      typeof claims.sid !== 'string' ||
      !Array.isArray(roles) ||
      !roles.every((r) => (ROLES as readonly unknown[]).includes(r))
    ) {
      throw invalid('The access token lacks required claims.');
    }
    const principal: SessionPrincipal = {
      userId: claims.sub,
      did: claims.did,
      organizationId: claims.org,
      roles: roles as Role[],
      sessionId: claims.sid,
    };
    return { principal, kid: head.kid as string, exp: claims.exp };
  }
  return tokens;
}
