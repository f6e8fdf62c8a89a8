// `cms login` / `cms refresh` / `cms logout` / `cms whoami`: DID login, stored per server with the
// rotating refresh token; logout ends the session on the server too.
import { access } from 'node:fs/promises';
import { generateDidKey } from '@cms/sdk';
import type { Command } from 'commander';
import { CliFailure } from '../cli-errors.js';
import {
  describeToken,
  readSession,
  removeSession,
  type StoredSession,
  writeConfigFile,
  writeKeyFile,
} from '../config-store.js';
import { signersFromKeyFile } from '../key-signers.js';
import { askServer, askYesNo, canPrompt } from '../prompts.js';
import { readConfigFile } from '../settings.js';

const fileExists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

import type { CommandContext } from '../context.js';
import { formatFields, formatTable } from '../output.js';
import { createClient, openClient } from '../session.js';

const shown = ({ refreshable: _r, ...rest }: StoredSession) => rest;
const describeSession = (session: StoredSession, verb: string) =>
  [
    `${verb} ${session.server} as ${session.did}`,
    formatFields([
      ['user', session.userId],
      ['organization', session.organizationId],
      ['expires', session.expiresAt],
    ]),
  ].join('\n');

export function registerLoginCommands(program: Command, context: CommandContext): void {
  program
    .command('login')
    .description(
      'log in to the server with your did:key or did:pkh key (on a terminal: asks for the server and offers a key)',
    )
    .option('--key <file>', 'key file to log in with (default: the one `cms keys generate` wrote)')
    .option('--organization <id>', 'log in to this organization (default: your first)')
    .action(async (options: { key?: string; organization?: string }, command: Command) => {
      const { settings, out } = context.begin(command);
      let currentSettings = settings;
      if (canPrompt(context.io) && settings.serverIsDefault) {
        currentSettings = { ...settings, server: await askServer(settings.server) };
        // Remembered for the profile's next commands (`cms config set server`).
        const config = readConfigFile(settings.configDir);
        config.profiles[settings.profile] = { ...config.profiles[settings.profile], server: currentSettings.server };
        await writeConfigFile(settings.configDir, config);
      }
      const file = options.key ?? settings.keyFile;
      if (!options.key && canPrompt(context.io) && !(await fileExists(file))) {
        if (!(await askYesNo(`No key at ${file}. Generate a new did:key there?`)))
          throw new CliFailure('key_not_found', `no key file at ${file}; pass --key <file>`);
        await writeKeyFile(file, await generateDidKey(), { force: false });
      }
      const { login: signer, chainId, insecureMode } = await signersFromKeyFile(file);
      if (insecureMode) out.note(`warning: ${file} is accessible by other users; run \`chmod 600 ${file}\``);
      const client = createClient(currentSettings, context.io);
      // A secp256k1 key logs in as its did:pkh with a Sign-In with Ethereum message (a viem local account).
      const token = await client.auth.login(signer, {
        ...(options.organization ? { organizationId: options.organization } : {}),
        ...(chainId ? { chainId } : {}),
      });
      // The client stored the tokens (0600) through the SDK's file token storage.
      const session = describeToken(currentSettings.server, token);
      out.result(shown(session), () => describeSession(session, 'Logged in to'));
    });

  program
    .command('refresh')
    .description('exchange the stored refresh token for new tokens (or switch organization)')
    .option('--organization <id>', 'switch the session to this organization')
    .action(async (options: { organization?: string }, command: Command) => {
      const { settings, out } = context.begin(command);
      const client = await openClient(settings, context.io);
      const token = await client.auth.refresh(options.organization ? { organizationId: options.organization } : {});
      // The client saved the new pair already (it persists every rotation).
      const session = describeToken(settings.server, token);
      out.result(shown(session), () => describeSession(session, 'Refreshed session on'));
    });

  program
    .command('logout')
    .description('end the session on the server and forget its tokens')
    .action(async (_options: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const stored = await readSession(settings, settings.server);
      if (stored) {
        // Best effort: an expired or already revoked session is logged out all the same.
        await createClient(settings, context.io).auth.logout();
      }
      const removed = (await removeSession(settings, settings.server)) || stored !== undefined;
      out.result({ server: settings.server, loggedOut: removed }, () =>
        removed ? `Logged out of ${settings.server}` : `Not logged in to ${settings.server}`,
      );
    });

  program
    .command('whoami')
    .description('show who you are logged in as: DIDs, organization, roles')
    .action(async (_options: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const me = await (await openClient(settings, context.io)).me.get();
      out.result(me, () =>
        [
          formatFields([
            ['did', me.did],
            ['user', `${me.userId}${me.kind === 'service' ? ' (service account)' : ''}`],
            ['organization', me.organizationId],
            ['roles', me.roles.join(', ')],
            [
              'other dids',
              me.dids
                .filter((d) => d.did !== me.did)
                .map((d) => d.did)
                .join(', ') || undefined,
            ],
          ]),
          '',
          formatTable(
            ['organization', 'role', 'name'],
            me.organizations.map((o) => [`${o.id}${o.id === me.organizationId ? ' *' : ''}`, o.role, o.name]),
          ),
        ].join('\n'),
      );
    });
}
