import { describe, expect, it } from 'vitest';
import { createAccessTokenIssuer } from './access-token.js';
import { createKeyRing } from './key-ring.js';

const principal = { userId: 'u', did: 'did:key:z', organizationId: 'o', roles: ['owner' as const], sessionId: 's' };

describe('verified access tokens cached in-process', () => {
  const setup = (cacheSize?: number) => {
    const clock = { now: 1_800_000_000_000 };
    const keys = createKeyRing({ keysDir: undefined, retainSeconds: 960, now: () => clock.now });
    const tokens = createAccessTokenIssuer({
      keys,
      issuer: 'https://cms.test',
      ttlSeconds: 900,
      now: () => clock.now,
      cacheSize,
    });
    return { clock, keys, tokens };
  };

  it('are never accepted past their exp (and its clock skew)', () => {
    const { clock, tokens } = setup();
    const { token } = tokens.issue(principal);
    expect(tokens.verify(token).userId).toBe('u');
    clock.now += 900_000 + 61_000;
    expect(() => tokens.verify(token)).toThrow('The access token has expired.');
  });

  it('stop verifying once their signing key is retired for good', () => {
    const { clock, keys, tokens } = setup();
    const { token } = tokens.issue(principal);
    expect(tokens.verify(token).userId).toBe('u');
    keys.rotate();
    clock.now += 500_000;
    expect(tokens.verify(token).userId).toBe('u');
    clock.now += 461_000;
    expect(() => tokens.verify(token)).toThrow(/signing key has been retired/);
  });

  it('hand every caller its own principal: changing one does not change the cached one', () => {
    const { tokens } = setup();
    const { token } = tokens.issue(principal);
    const first = tokens.verify(token);
    first.roles.push('viewer');
    first.userId = 'mallory';
    expect(tokens.verify(token)).toEqual(principal);
  });

  it('remember only verified tokens: a forged signature is refused every time', () => {
    const { tokens } = setup();
    const { token } = tokens.issue(principal);
    const forged = `${token.slice(0, -4)}AAAA`;
    expect(() => tokens.verify(forged)).toThrow('The access token signature does not verify.');
    expect(tokens.verify(token).userId).toBe('u');
    expect(() => tokens.verify(forged)).toThrow('The access token signature does not verify.');
  });
});
