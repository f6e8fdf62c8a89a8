// An SDK client for the selected server, authenticated with the tokens `cms login` stored for it. The
// SDK refreshes an expired access token by itself; every new token pair is saved at once, because a
// refresh token works only once.
import { type AuthToken, type CmsClient, createCmsClient } from '@cms/sdk';
import { CliFailure } from './cli-errors.js';
import { readSession, removeSession, type StoredSession, saveSession } from './config-store.js';
import type { CliIo } from './io.js';
import { DEFAULT_SERVER, type Settings } from './settings.js';

export async function openClient(settings: Settings, io: Pick<CliIo, 'fetch'>): Promise<CmsClient> {
  const session = await readSession(settings.configDir, settings.server);
  if (!session) throw await notLoggedIn(settings, io);
  const endsAt = session.refreshToken && session.refreshExpiresAt ? session.refreshExpiresAt : session.expiresAt;
  if (Date.parse(endsAt) <= Date.now()) {
    throw new CliFailure(
      'session_expired',
      `your session on ${settings.server} expired at ${endsAt}; run \`${loginCommand(settings.server)}\` again`,
    );
  }
  return createClient(settings, io, session, { persist: true });
}

/**
 * A client for `settings.server`, using `session`'s tokens; with `persist`, every token change the SDK
 * makes (refresh, end of session) is written to the credentials file.
 */
export function createClient(
  settings: Settings,
  io: Pick<CliIo, 'fetch'>,
  session?: StoredSession,
  options: { persist?: boolean } = {},
): CmsClient {
  return createCmsClient({
    baseUrl: settings.server,
    ...(session
      ? { accessToken: session.accessToken, ...(session.refreshToken ? { refreshToken: session.refreshToken } : {}) }
      : {}),
    onTokens: (token) =>
      options.persist &&
      queueWrite(() =>
        token
          ? saveSession(settings.configDir, storedSession(settings.server, token))
          : removeSession(settings.configDir, settings.server).then(() => {}),
      ),
    ...(io.fetch ? { fetch: io.fetch } : {}),
  });
}

// Token pairs arrive through a synchronous callback; their writes run in order and `run` waits for them.
let writes: Promise<void> = Promise.resolve();
function queueWrite(write: () => Promise<void>): void {
  writes = writes.then(write, write);
}

/** Resolves once every credentials write queued so far has finished. */
export function flushSessionWrites(): Promise<void> {
  return writes.catch(() => {});
}

export function storedSession(server: string, token: AuthToken): StoredSession {
  return {
    server,
    accessToken: token.accessToken,
    expiresAt: new Date(Date.now() + token.expiresIn * 1000).toISOString(),
    refreshToken: token.refreshToken,
    refreshExpiresAt: token.refreshExpiresAt,
    sessionId: token.sessionId,
    did: token.did,
    userId: token.userId,
    organizationId: token.organizationId,
    roles: token.roles,
  };
}

/** The stored session, for commands that act on the current organization. */
export async function currentSession(settings: Settings, io: Pick<CliIo, 'fetch'>): Promise<StoredSession> {
  const session = await readSession(settings.configDir, settings.server);
  if (!session) throw await notLoggedIn(settings, io);
  return session;
}

/**
 * Why there is no session: a server that does not answer is the likelier problem (a typo in
 * `--server`, a server not started), and logging in would not help; otherwise, not logged in.
 */
async function notLoggedIn(settings: Settings, io: Pick<CliIo, 'fetch'>): Promise<CliFailure> {
  try {
    await (io.fetch ?? fetch)(`${settings.server}/healthz`, { signal: AbortSignal.timeout(5000) });
  } catch {
    return new CliFailure(
      'connection_error',
      `could not reach the CMS server at ${settings.server}; ${UNREACHABLE_HINT}`,
    );
  }
  return new CliFailure(
    'not_logged_in',
    `not logged in to ${settings.server}; run \`${loginCommand(settings.server)}\` first`,
  );
}

/** What to check when the server does not answer. */
export const UNREACHABLE_HINT =
  'is it running? (`pnpm start` starts one on http://localhost:8080; pick another with --server or CMS_SERVER)';

export function loginCommand(server: string): string {
  return server === DEFAULT_SERVER ? 'cms login' : `cms login --server ${server}`;
}
