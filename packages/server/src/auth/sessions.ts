// Login sessions and their rotating refresh tokens, in the key-value store (Redis or in-process).
// A session is one login of one user into one organization. Its refresh token is opaque and
// single-use: each refresh consumes it atomically and issues the next one. Presenting a token that was
// already used means two parties hold it, so the whole session (the token family) is revoked.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { KeyValueStore } from '../cache/key-value-store.js';
import { AppError } from '../errors/app-error.js';
import type { Role } from './permissions.js';

export interface Session {
  id: string;
  userId: string;
  did: string;
  organizationId: string;
  roles: Role[];
  createdAt: string;
  /** The session ends then, whatever happens; refreshing does not extend it. */
  expiresAt: string;
  lastRefreshedAt: string | null;
  userAgent: string | null;
}

export interface NewSession {
  userId: string;
  did: string;
  organizationId: string;
  roles: Role[];
  userAgent?: string;
}

const sessionKey = (id: string) => `session:${id}`;
const userKey = (userId: string) => `user-sessions:${userId}`;
const refreshKey = (hash: string) => `refresh:${hash}`;
const usedKey = (hash: string) => `refresh-used:${hash}`;
const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const REFRESH_TOKEN_PREFIX = 'cmsr_';

export interface SessionStore {
  create(input: NewSession): Promise<{ session: Session; refreshToken: string }>;
  get(id: string): Promise<Session | undefined>;
  /** Replaces a live session's organization or roles (role change, organization switch). */
  update(session: Session): Promise<void>;
  /** The session of a refresh token that is current (unused, unexpired), without using it. */
  peek(refreshToken: string): Promise<Session | undefined>;
  /** Exchanges a refresh token for the next one; throws `invalid_refresh_token` or `refresh_token_reused`. */
  rotate(refreshToken: string): Promise<{ session: Session; refreshToken: string }>;
  /** Ends a session at once: its access and refresh tokens stop working. False when it did not exist. */
  revoke(id: string): Promise<boolean>;
  /** The user's live sessions, newest first. */
  listForUser(userId: string): Promise<Session[]>;
  /** Revokes the user's sessions that `match`; resolves to how many. */
  revokeWhere(userId: string, match: (s: Session) => boolean): Promise<number>;
  /** Applies `change` to the user's sessions that `match` (e.g. new roles after a role change). */
  updateWhere(userId: string, match: (s: Session) => boolean, change: (s: Session) => Session): Promise<number>;
}

export function createSessionStore(store: KeyValueStore, options: { ttlSeconds: number; now?: () => number }): SessionStore {
  const now = options.now ?? Date.now;
  const remaining = (s: Session) => Math.max(1, Math.ceil((Date.parse(s.expiresAt) - now()) / 1000));

  const newRefreshToken = async (s: Session) => {
    const secret = `${REFRESH_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    await store.set(refreshKey(hash(secret)), s.id, { ttlSeconds: remaining(s) });
    return secret;
  };
  const write = (s: Session) => store.set(sessionKey(s.id), JSON.stringify(s), { ttlSeconds: remaining(s) });
  const get = async (id: string) => {
    const raw = await store.get(sessionKey(id));
    return raw === undefined ? undefined : (JSON.parse(raw) as Session);
  };

  const sessions: SessionStore = {
    async create(input) {
      const created = new Date(now());
      const session: Session = {
        id: randomUUID(),
        userId: input.userId,
        did: input.did,
        organizationId: input.organizationId,
        roles: input.roles,
        createdAt: created.toISOString(),
        expiresAt: new Date(created.getTime() + options.ttlSeconds * 1000).toISOString(),
        lastRefreshedAt: null,
        userAgent: input.userAgent?.slice(0, 200) ?? null,
      };
      await write(session);
      await store.addToSet(userKey(session.userId), session.id, { ttlSeconds: options.ttlSeconds });
      return { session, refreshToken: await newRefreshToken(session) };
    },

    get,

    async update(session) {
      if (await get(session.id)) await write(session);
    },

    async peek(refreshToken) {
      if (!refreshToken.startsWith(REFRESH_TOKEN_PREFIX)) return undefined;
      const id = await store.get(refreshKey(hash(refreshToken)));
      return id === undefined ? undefined : get(id);
    },

    async rotate(refreshToken) {
      const invalid = () => new AppError('invalid_refresh_token', 'Log in again.');
      if (!refreshToken.startsWith(REFRESH_TOKEN_PREFIX)) throw invalid();
      const h = hash(refreshToken);
      const sessionId = await store.consume(refreshKey(h));
      if (sessionId === undefined) {
        const reusedBy = await store.get(usedKey(h));
        if (reusedBy !== undefined) {
          await sessions.revoke(reusedBy);
          throw new AppError('refresh_token_reused', 'This refresh token was already used; the session has been revoked. Log in again.');
        }
        throw invalid();
      }
      const session = await get(sessionId);
      if (!session) throw invalid();
      // Remembered for the rest of the session, so a second use is recognised as theft, not as noise.
      await store.set(usedKey(h), session.id, { ttlSeconds: remaining(session) });
      const refreshed = { ...session, lastRefreshedAt: new Date(now()).toISOString() };
      await write(refreshed);
      return { session: refreshed, refreshToken: await newRefreshToken(refreshed) };
    },

    async revoke(id) {
      const session = await get(id);
      const deleted = await store.delete(sessionKey(id));
      if (session) await store.removeFromSet(userKey(session.userId), id);
      return deleted > 0;
    },

    async listForUser(userId) {
      const ids = await store.setMembers(userKey(userId));
      const raws = await store.getMany(ids.map(sessionKey));
      const gone = ids.filter((_, i) => raws[i] === undefined);
      if (gone.length) await store.removeFromSet(userKey(userId), ...gone);
      return raws
        .filter((r): r is string => r !== undefined)
        .map((r) => JSON.parse(r) as Session)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },

    async revokeWhere(userId, match) {
      const doomed = (await sessions.listForUser(userId)).filter(match);
      for (const s of doomed) await sessions.revoke(s.id);
      return doomed.length;
    },

    async updateWhere(userId, match, change) {
      const affected = (await sessions.listForUser(userId)).filter(match);
      for (const s of affected) await write(change(s));
      return affected.length;
    },
  };
  return sessions;
}
