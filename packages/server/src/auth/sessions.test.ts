import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../cache/memory-store.js';
import { createSessionStore } from './sessions.js';

const input = { userId: 'u1', did: 'did:key:z', organizationId: 'o1', roles: ['owner' as const] };

describe('session store', () => {
  it('ends a session at its absolute lifetime, however often it was refreshed', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const sessions = createSessionStore(createMemoryStore({ now: () => now }), { ttlSeconds: 3600, now: () => now });
    let { refreshToken } = await sessions.create(input);
    for (let i = 0; i < 5; i++) {
      now += 600_000;
      ({ refreshToken } = await sessions.rotate(refreshToken));
    }
    now += 600_001;
    await expect(sessions.rotate(refreshToken)).rejects.toMatchObject({ code: 'invalid_refresh_token' });
    expect(await sessions.listForUser('u1')).toEqual([]);
  });

  it('revokes the family when an old refresh token comes back, and only that family', async () => {
    const sessions = createSessionStore(createMemoryStore(), { ttlSeconds: 3600 });
    const a = await sessions.create(input);
    const b = await sessions.create(input);
    const next = await sessions.rotate(a.refreshToken);
    await expect(sessions.rotate(a.refreshToken)).rejects.toMatchObject({ code: 'refresh_token_reused' });
    expect(await sessions.get(a.session.id)).toBeUndefined();
    await expect(sessions.rotate(next.refreshToken)).rejects.toMatchObject({ code: 'invalid_refresh_token' });
    expect((await sessions.listForUser('u1')).map((s) => s.id)).toEqual([b.session.id]);
    expect((await sessions.rotate(b.refreshToken)).session.id).toBe(b.session.id);
  });

  it('stores refresh tokens only as hashes', async () => {
    const store = createMemoryStore();
    const sessions = createSessionStore(store, { ttlSeconds: 3600 });
    const { refreshToken } = await sessions.create(input);
    expect(await store.get(`refresh:${refreshToken}`)).toBeUndefined();
    expect(await sessions.peek(refreshToken)).toMatchObject({ userId: 'u1' });
  });
});

describe('refresh reuse grace', () => {
  const withGrace = (grace: number) => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const store = createMemoryStore({ now: () => now });
    const sessions = createSessionStore(store, { ttlSeconds: 3600, reuseGraceSeconds: grace, now: () => now });
    return { sessions, store, advance: (ms: number) => (now += ms) };
  };

  it('gives the token just spent the same successor again within the window (a retry of a lost response)', async () => {
    const { sessions, advance } = withGrace(30);
    const { session, refreshToken } = await sessions.create(input);
    const first = await sessions.rotate(refreshToken);
    advance(29_000);
    const retried = await sessions.rotate(refreshToken);
    expect(retried).toMatchObject({ refreshToken: first.refreshToken, replayed: true, session: { id: session.id } });
    // The successor works once, as any refresh token.
    const next = await sessions.rotate(first.refreshToken);
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(await sessions.get(session.id)).toBeDefined();
  });

  it('revokes the session for a reuse after the window', async () => {
    const { sessions, advance } = withGrace(30);
    const { session, refreshToken } = await sessions.create(input);
    await sessions.rotate(refreshToken);
    advance(30_001);
    await expect(sessions.rotate(refreshToken)).rejects.toMatchObject({ code: 'refresh_token_reused' });
    expect(await sessions.get(session.id)).toBeUndefined();
  });

  it('revokes the session for a reuse after the successor was used, even within the window', async () => {
    const { sessions } = withGrace(30);
    const { session, refreshToken } = await sessions.create(input);
    const first = await sessions.rotate(refreshToken);
    await sessions.rotate(first.refreshToken);
    await expect(sessions.rotate(refreshToken)).rejects.toMatchObject({ code: 'refresh_token_reused' });
    expect(await sessions.get(session.id)).toBeUndefined();
  });

  it('answers concurrent refreshes with one token with one rotation', async () => {
    const { sessions } = withGrace(30);
    const { refreshToken } = await sessions.create(input);
    const results = await Promise.all(Array.from({ length: 5 }, () => sessions.rotate(refreshToken)));
    expect(new Set(results.map((r) => r.refreshToken)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
  });

  it('keeps the successor only sealed to the token it replaces: no token is ever written in the clear', async () => {
    const memory = createMemoryStore();
    const written: string[] = [];
    const recording = {
      ...memory,
      set: (key: string, value: string, o?: object) => (written.push(key, value), memory.set(key, value, o)),
    };
    const sessions = createSessionStore(recording, { ttlSeconds: 3600, reuseGraceSeconds: 30 });
    const { refreshToken } = await sessions.create(input);
    const first = await sessions.rotate(refreshToken);
    expect((await sessions.rotate(refreshToken)).refreshToken).toBe(first.refreshToken);
    expect(written.some((w) => w.startsWith('refresh-rotation:'))).toBe(true);
    for (const w of written) {
      expect(w).not.toContain(refreshToken.slice(5));
      expect(w).not.toContain(first.refreshToken.slice(5));
    }
  });

  it('is off with a window of 0: any reuse revokes', async () => {
    const { sessions } = withGrace(0);
    const { session, refreshToken } = await sessions.create(input);
    await sessions.rotate(refreshToken);
    await expect(sessions.rotate(refreshToken)).rejects.toMatchObject({ code: 'refresh_token_reused' });
    expect(await sessions.get(session.id)).toBeUndefined();
  });
});
