// `cms keys generate`: a fresh Ed25519 did:key, saved owner-only; the private key is never printed.
// `cms keys did`: the DID of the saved key, alone on a line (for `$(cms keys did)` in scripts).
import { generateDidKey } from '@cms/sdk';
import type { Command } from 'commander';
import { readKeyFile, writeKeyFile } from '../config-store.js';
import type { CommandContext } from '../context.js';
import { formatFields } from '../output.js';

export function registerKeysCommands(program: Command, context: CommandContext): void {
  const keys = program.command('keys').description('manage the did:key you log in with');

  keys
    .command('generate')
    .description('generate an Ed25519 did:key and save it (mode 0600)')
    .option('--out <file>', "where to save the key (default: the profile's key.json, or CMS_KEY)")
    .option('--force', 'replace an existing key file')
    .action(async (options: { out?: string; force?: boolean }, command: Command) => {
      const { settings, out } = context.begin(command);
      const file = options.out ?? settings.keyFile;
      const key = await generateDidKey();
      await writeKeyFile(file, key, { force: options.force === true });
      out.result({ did: key.did, publicKey: key.publicKey, keyFile: file }, () =>
        formatFields([
          ['did', key.did],
          ['key file', file],
        ]),
      );
    });

  keys
    .command('did')
    .description('print the DID of your key')
    .option('--key <file>', "the key file (default: the profile's key.json, or CMS_KEY)")
    .action(async (options: { key?: string }, command: Command) => {
      const { settings, out } = context.begin(command);
      const file = options.key ?? settings.keyFile;
      const { key } = await readKeyFile(file);
      out.result({ did: key.did, keyFile: file }, () => key.did);
    });
}
