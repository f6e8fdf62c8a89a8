// An SDK client for the selected server, authenticated with the tokens `cms login` stored for it in the
// profile. The tokens live in the SDK's `fileTokenStorage`: the SDK refreshes an expired access token by
// itself and writes every new (single-use) refresh token there before the call returns.
import { type CmsClient, createCmsClient } from '@cms/sdk';
import { CliFailure } from './cli-errors.js';
import { readSession, type StoredSession, tokenStorageFor } from './config-store.js';
import type { CliIo } from './io.js';
import { DEFAULT_SERVER, type Settings } from './settings.js';

export async function openClient(
  settings: Settings,
  io: Pick<CliIo, 'fetch'>,
  options: { maxRetries?: number } = {},
): Promise<CmsClient> {
  const stored = await readSession(settings, settings.server);
  if (!stored) throw await notLoggedIn(settings, io);
  const { session } = stored;
  const endsAt = session.refreshable && session.refreshExpiresAt ? session.refreshExpiresAt : session.expiresAt;
  if (Date.parse(endsAt) <= Date.now()) {
    throw new CliFailure(
      'session_expired',
      `your session on ${settings.server} expired at ${endsAt}; run \`${loginCommand(settings)}\` again`,
    );
  }
  return createClient(settings, io, options);
}

/** A client for `settings.server` whose tokens are the profile's stored ones (and are stored on login). */
export function createClient(
  settings: Settings,
  io: Pick<CliIo, 'fetch'>,
  options: { maxRetries?: number } = {},
): CmsClient {
  return createCmsClient({
    baseUrl: settings.server,
    tokenStorage: tokenStorageFor(settings, settings.server),
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
    ...(io.fetch ? { fetch: io.fetch } : {}),
  });
}

/** The stored session, for commands that act on the current organization. */
export async function currentSession(settings: Settings, io: Pick<CliIo, 'fetch'>): Promise<StoredSession> {
  const stored = await readSession(settings, settings.server);
  if (!stored) throw await notLoggedIn(settings, io);
  return stored.session;
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
    `not logged in to ${settings.server}; run \`${loginCommand(settings)}\` first`,
  );
}

/** What to check when the server does not answer. */
export const UNREACHABLE_HINT =
  'is it running? (`pnpm start` starts one on http://localhost:8080; pick another with --server or CMS_SERVER)';

export function loginCommand(settings: Pick<Settings, 'server' | 'profile'>): string {
  return [
    'cms login',
    settings.server === DEFAULT_SERVER ? '' : ` --server ${settings.server}`,
    settings.profile === 'default' ? '' : ` --profile ${settings.profile}`,
  ].join('');
}
