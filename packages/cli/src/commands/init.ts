// `cms init`: set up a profile in one go: the server (asked on a terminal), a key (generated unless one
// exists or --key names one), and a login. Without a terminal it takes only flags and never asks.
import { access } from 'node:fs/promises';
import { didKeySigner, generateDidKey } from '@cms/sdk';
import type { Command } from 'commander';
import { readKeyFile, writeConfigFile, writeKeyFile } from '../config-store.js';
import type { CommandContext } from '../context.js';
import { formatFields } from '../output.js';
import { askServer, askText, askYesNo, canPrompt } from '../prompts.js';
import { createClient } from '../session.js';
import { normaliseServerUrl, readConfigFile } from '../settings.js';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

export function registerInitCommand(program: Command, context: CommandContext): void {
  program
    .command('init')
    .description('set up the profile: server, key and login (asks on a terminal, never in scripts)')
    .option('--key <file>', 'use this existing key file instead of the profile key')
    .option('--no-login', 'only save the server and the key')
    .addHelpText(
      'after',
      `
Examples:
  cms init                                             # asks for the server URL
  cms --profile staging init --server https://staging.cms.example.com
  cms init --server https://cms.example.com --key ./ci-key.json   # in CI: no questions`,
    )
    .action(async (flags: { key?: string; login: boolean }, command: Command) => {
      let { settings } = context.begin(command);
      const { out } = context.begin(command);
      const interactive = canPrompt(context.io);
      let server = settings.server;
      if (interactive && settings.serverIsDefault) server = await askServer(settings.server);
      server = normaliseServerUrl(server);

      let keyFile = flags.key ?? settings.keyFile;
      let generated = false;
      if (!flags.key && !(await exists(keyFile))) {
        if (interactive) {
          const existing = await askText('Key file to use (leave empty to generate a new did:key):', '');
          if (existing) keyFile = existing;
        }
        if (keyFile === settings.keyFile) {
          await writeKeyFile(keyFile, await generateDidKey(), { force: false });
          generated = true;
        }
      }
      const { key } = await readKeyFile(keyFile);

      const config = readConfigFile(settings.configDir);
      config.profiles[settings.profile] = {
        ...config.profiles[settings.profile],
        server,
        ...(keyFile !== settings.keyFile ? { key: keyFile } : {}),
      };
      await writeConfigFile(settings.configDir, config);
      settings = { ...settings, server, keyFile };

      let loggedIn = false;
      if (flags.login && (!interactive || (await askYesNo(`Log in to ${server} as ${key.did} now?`)))) {
        await createClient(settings, context.io).auth.login(await didKeySigner(key.privateKey));
        loggedIn = true;
      }
      out.result({ profile: settings.profile, server, did: key.did, keyFile, generated, loggedIn }, () =>
        [
          `Profile ${settings.profile} is set up${loggedIn ? ' and logged in' : ''}.`,
          formatFields([
            ['server', server],
            ['did', key.did],
            ['key file', `${keyFile}${generated ? ' (new)' : ''}`],
          ]),
        ].join('\n'),
      );
    });
}
