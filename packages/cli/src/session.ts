// An SDK client for the selected server, authenticated with the token `cms login` stored for it.
import { createCmsClient, type CmsClient } from '@cms/sdk';
import { CliFailure } from './cli-errors.js';
import { readSession } from './config-store.js';
import type { CliIo } from './io.js';
import { DEFAULT_SERVER, type Settings } from './settings.js';

export async function openClient(settings: Settings, io: Pick<CliIo, 'fetch'>): Promise<CmsClient> {
  const session = await readSession(settings.configDir, settings.server);
  if (!session) {
    throw new CliFailure('not_logged_in', `not logged in to ${settings.server}; run \`${loginCommand(settings.server)}\` first`);
  }
  if (Date.parse(session.expiresAt) <= Date.now()) {
    throw new CliFailure('session_expired', `your session on ${settings.server} expired at ${session.expiresAt}; run \`${loginCommand(settings.server)}\` again`);
  }
  return createClient(settings, io, session.accessToken);
}

export function createClient(settings: Settings, io: Pick<CliIo, 'fetch'>, accessToken?: string): CmsClient {
  return createCmsClient({ baseUrl: settings.server, ...(accessToken ? { accessToken } : {}), ...(io.fetch ? { fetch: io.fetch } : {}) });
}

export function loginCommand(server: string): string {
  return server === DEFAULT_SERVER ? 'cms login' : `cms login --server ${server}`;
}
