// Login sessions and their rotating refresh tokens, in the key-value store (Redis or in-process).
// A session is one login of one user into one organization. Its refresh token is opaque and
// single-use: each refresh consumes it atomically and issues the next one. Presenting a token that was
// already used means two parties hold it, so the whole session (the token family) is revoked.
//
// Reuse grace (Auth0's and Okta's "reuse interval"): a refresh whose response was lost (a dropped
// connection, a crash) is retried with the token it already spent. For `reuseGraceSeconds` after a
// rotation, that token gets the same successor again, as long as the successor itself is still unused;
// any other reuse revokes the session as before. The successor is kept sealed to the spent token
// (seal-successor-token.ts), so the store never holds it readable.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { KeyValueStore } from '../cache/key-value-store.js';
import { AppError } from '../errors/app-error.js';
import type { Role } from './permissions.js';
import { openSuccessorToken, sealSuccessorToken } from './seal-successor-token.js';

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
/** The rotation of a refresh token, for the grace window; also decides which of concurrent refreshes rotates. */
const rotationKey = (hash: string) => `refresh-rotation:${hash}`;
const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const REFRESH_TOKEN_PREFIX = 'cmsr_';

export interface SessionStore {
  create(input: NewSession): Promise<{ session: Session; refreshToken: string }>;
  get(id: string): Promise<Session | undefined>;
  /** Replaces a live session's organization or roles (role change, organization switch). */
  update(session: Session): Promise<void>;
  /** The session of a refresh token that is current (unused, unexpired), without using it. */
  peek(refreshToken: string): Promise<Session | undefined>;
  /**
   * Exchanges a refresh token for the next one; throws `invalid_refresh_token` or `refresh_token_reused`.
   * Within the reuse grace, the token just exchanged gets the same next one again (`replayed`).
   */
  rotate(refreshToken: string): Promise<{ session: Session; refreshToken: string; replayed?: boolean }>;
  /** Ends a session at once: its access and refresh tokens stop working. False when it did not exist. */
  revoke(id: string): Promise<boolean>;
  /** The user's live sessions, newest first. */
  listForUser(userId: string): Promise<Session[]>;
  /** Revokes the user's sessions that `match`; resolves to how many. */
  revokeWhere(userId: string, match: (s: Session) => boolean): Promise<number>;
  /** Applies `change` to the user's sessions that `match` (e.g. new roles after a role change). */
  updateWhere(userId: string, match: (s: Session) => boolean, change: (s: Session) => Session): Promise<number>;
}

interface Rotation {
  sessionId: string;
  /** ms since the epoch. */
  rotatedAt: number;
  /** The successor, sealed to the rotated token. */
  sealed: string;
}

export interface SessionStoreOptions {
  ttlSeconds: number;
  /** Seconds after a rotation during which the rotated token gets the same successor again; 0 turns it off. @default 0 */
  reuseGraceSeconds?: number;
  now?: () => number;
  /**
   * Awaited after every change or deletion of existing sessions (not after creating one), before the
   * change is reported done: where in-process caches of sessions are told (auth/session-cache.ts).
   * A rejection fails the operation.
   */
  onChange?: (sessionIds: string[]) => Promise<void>;
}

export function createSessionStore(store: KeyValueStore, options: SessionStoreOptions): SessionStore {
  const now = options.now ?? Date.now;
  const grace = options.reuseGraceSeconds ?? 0;
  const remaining = (s: Session) => Math.max(1, Math.ceil((Date.parse(s.expiresAt) - now()) / 1000));

  const mintRefreshToken = () => `${REFRESH_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const newRefreshToken = async (s: Session, secret = mintRefreshToken()) => {
    await store.set(refreshKey(hash(secret)), s.id, { ttlSeconds: remaining(s) });
    return secret;
  };
  const invalid = () => new AppError('invalid_refresh_token', 'Log in again.');

  /** A spent token presented again: the same successor within the grace, otherwise the family is revoked. */
  const replayOrRefuse = async (
    refreshToken: string,
    h: string,
  ): Promise<{ session: Session; refreshToken: string; replayed: true }> => {
    const raw = grace > 0 ? await store.get(rotationKey(h)) : undefined;
    const rotation = raw === undefined ? undefined : (JSON.parse(raw) as Rotation);
    if (rotation && now() - rotation.rotatedAt <= grace * 1000) {
      const successor = openSuccessorToken(rotation.sealed, refreshToken);
      // Only while the successor is unused: once the client has moved on, the old token is stale.
      if (successor !== undefined && (await store.get(refreshKey(hash(successor)))) === rotation.sessionId) {
        const session = await get(rotation.sessionId);
        if (session) return { session, refreshToken: successor, replayed: true };
      }
    }
    const reusedBy = (await store.get(usedKey(h))) ?? rotation?.sessionId;
    if (reusedBy !== undefined) {
      await sessions.revoke(reusedBy);
      throw new AppError(
        'refresh_token_reused',
        'This refresh token was already used; the session has been revoked. Log in again.',
      );
    }
    throw invalid();
  };
  const changed = async (id: string) => options.onChange?.([id]);
  const write = async (s: Session, created = false) => {
    await store.set(sessionKey(s.id), JSON.stringify(s), { ttlSeconds: remaining(s) });
    if (!created) await changed(s.id);
  };
  const get = async (id: string) => {
    const raw = await store.get(sessionKey(id));
    return raw === undefined ? undefined : (JSON.parse(raw) as Session);
  };

  /** After the presented token is spent: remember it (reuse is theft past the grace) and issue `successor`. */
  const finishRotation = async (session: Session, h: string, successor: string, stored = false) => {
    // Remembered for the rest of the session, so a second use is recognised as theft, not as noise.
    await store.set(usedKey(h), session.id, { ttlSeconds: remaining(session) });
    const refreshed = { ...session, lastRefreshedAt: new Date(now()).toISOString() };
    await write(refreshed);
    return { session: refreshed, refreshToken: stored ? successor : await newRefreshToken(refreshed, successor) };
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
      await write(session, true);
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
      if (!refreshToken.startsWith(REFRESH_TOKEN_PREFIX)) throw invalid();
      const h = hash(refreshToken);
      if (grace === 0) {
        const sessionId = await store.consume(refreshKey(h));
        if (sessionId === undefined) return replayOrRefuse(refreshToken, h);
        const session = await get(sessionId);
        if (!session) throw invalid();
        return finishRotation(session, h, mintRefreshToken());
      }
      // With a grace window the rotation is recorded before the token is spent, and recording it
      // (write-if-absent) is what decides which of concurrent refreshes rotates: the others replay it.
      const sessionId = await store.get(refreshKey(h));
      if (sessionId === undefined) return replayOrRefuse(refreshToken, h);
      const session = await get(sessionId);
      if (!session) throw invalid();
      const successor = await newRefreshToken(session);
      const rotation: Rotation = { sessionId, rotatedAt: now(), sealed: sealSuccessorToken(successor, refreshToken) };
      if (
        !(await store.set(rotationKey(h), JSON.stringify(rotation), {
          ifAbsent: true,
          ttlSeconds: Math.min(grace, remaining(session)),
        }))
      ) {
        await store.delete(refreshKey(hash(successor)));
        return replayOrRefuse(refreshToken, h);
      }
      if ((await store.consume(refreshKey(h))) === undefined) {
        // Revoked meanwhile (logout): the successor must not outlive it.
        await store.delete(refreshKey(hash(successor)));
        throw invalid();
      }
      return finishRotation(session, h, successor, true);
    },

    async revoke(id) {
      const session = await get(id);
      const deleted = await store.delete(sessionKey(id));
      await changed(id);
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
