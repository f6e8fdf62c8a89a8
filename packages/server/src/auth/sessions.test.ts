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
