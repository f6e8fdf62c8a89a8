// `cms login` / `cms logout`: exchange a did:key proof for an access token, stored per server.
import { didKeySigner } from '@cms/sdk';
import type { Command } from 'commander';
import { keyFilePath, readKeyFile, removeSession, saveSession, type StoredSession } from '../config-store.js';
import type { CommandContext } from '../context.js';
import { formatFields } from '../output.js';
import { createClient } from '../session.js';

export function registerLoginCommands(program: Command, context: CommandContext): void {
  program
    .command('login')
    .description('log in to the server with your did:key')
    .option('--key <file>', 'key file to log in with (default: the one `cms keys generate` wrote)')
    .action(async (options: { key?: string }, command: Command) => {
      const { settings, out } = context.begin(command);
      const file = options.key ?? keyFilePath(settings.configDir);
      const { key, insecureMode } = await readKeyFile(file);
      if (insecureMode) out.note(`warning: ${file} is accessible by other users; run \`chmod 600 ${file}\``);
      const client = createClient(settings, context.io);
      const token = await client.auth.login(await didKeySigner(key.privateKey));
      const session: StoredSession = {
        server: settings.server,
        accessToken: token.accessToken,
        expiresAt: new Date(Date.now() + token.expiresIn * 1000).toISOString(),
        did: token.did,
        userId: token.userId,
        organizationId: token.organizationId,
      };
      await saveSession(settings.configDir, session);
      const { accessToken: _secret, ...shown } = session;
      out.result(shown, () =>
        [
          `Logged in to ${session.server} as ${session.did}`,
          formatFields([
            ['user', session.userId],
            ['organization', session.organizationId],
            ['expires', session.expiresAt],
          ]),
        ].join('\n'),
      );
    });

  program
    .command('logout')
    .description('forget the access token stored for the server')
    .action(async (_options: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const removed = await removeSession(settings.configDir, settings.server);
      out.result({ server: settings.server, loggedOut: removed }, () => (removed ? `Logged out of ${settings.server}` : `Not logged in to ${settings.server}`));
    });
}
