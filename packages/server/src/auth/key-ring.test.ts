import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAccessTokenIssuer } from './access-token.js';
import { createKeyRing } from './key-ring.js';

const principal = { userId: 'u', did: 'did:key:z', organizationId: 'o', roles: ['owner' as const], sessionId: 's' };

describe('key ring', () => {
  it('keeps keys owner-only on disk and reuses them on restart', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cms-keys-')), 'keys');
    const first = createKeyRing({ keysDir: dir, retainSeconds: 960 });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600);
    expect(createKeyRing({ keysDir: dir, retainSeconds: 960 }).current().kid).toBe(first.current().kid);
  });

  it('rotates: retired keys verify until their window ends, then drop out of the JWKS', () => {
    let now = 1_800_000_000_000;
    const ring = createKeyRing({ keysDir: undefined, retainSeconds: 960, now: () => now });
    const issuer = createAccessTokenIssuer({ keys: ring, issuer: 'https://cms.test', ttlSeconds: 900, now: () => now });
    const old = issuer.issue(principal).token;
    const oldKid = ring.current().kid;
    ring.rotate();
    expect(ring.jwks().map((k) => k.kid)).toEqual([ring.current().kid, oldKid]);
    expect(issuer.verify(old).userId).toBe('u');
    now += 961_000;
    expect(ring.verificationKey(oldKid)).toBeUndefined();
    expect(ring.jwks().map((k) => k.kid)).toEqual([ring.current().kid]);
  });

  it('lets instances sharing a key directory verify each other’s tokens after one of them rotates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cms-keys-'));
    let now = 1_800_000_000_000;
    const a = createKeyRing({ keysDir: dir, retainSeconds: 960, now: () => now, reloadIntervalMs: 0 });
    const b = createKeyRing({ keysDir: dir, retainSeconds: 960, now: () => now, reloadIntervalMs: 0 });
    const before = a.current().kid;
    const rotated = a.rotate().kid;
    now += 10;
    expect(b.verificationKey(rotated)).toBeDefined();
    expect(b.verificationKey(before)).toBeDefined();
    expect(b.current().kid).toBe(rotated);
  });

  it('makes a running instance sign with a key rotated by another process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cms-keys-'));
    let now = Date.now();
    const running = createKeyRing({ keysDir: dir, retainSeconds: 960, now: () => now, reloadIntervalMs: 5000 });
    const before = running.current().kid;
    const rotated = createKeyRing({ keysDir: dir, retainSeconds: 960 }).rotate().kid;
    expect(running.current().kid).toBe(before);
    now += 5000;
    expect(running.current().kid).toBe(rotated);
    expect(running.verificationKey(before)).toBeDefined();
  });
});
