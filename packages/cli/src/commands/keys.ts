// `cms keys generate`: a fresh Ed25519 did:key (or `--type secp256k1`: an Ethereum key and its did:pkh), saved
// owner-only; the private key is never printed.
// `cms keys import`: an existing key (the CLI's key.json, or a private JWK) validated and saved the same way.
// `cms keys did`: the DID of the saved key, alone on a line (for `$(cms keys did)` in scripts).
// `cms keys list`: the key file of every profile, with its DID.
// `cms keys export-public`: the public key only (DID, JWK or multibase).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDidKey } from '@cms/sdk';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { generatePrivateKey } from 'viem/accounts';
import { CliFailure, UsageError } from '../cli-errors.js';
import { type AnyKey, parseKeyMaterial, readAnyKeyFile, secp256k1Key, writeAnyKeyFile } from '../config-store.js';
import type { CommandContext } from '../context.js';
import { formatFields, formatTable } from '../output.js';
import { DEFAULT_PROFILE, profileDirOf, readConfigFile } from '../settings.js';

const KEY_TYPES = ['ed25519', 'secp256k1'] as const;
const PUBLIC_FORMATS = ['did', 'jwk', 'multibase'] as const;
type PublicFormat = (typeof PUBLIC_FORMATS)[number];

/** What may be shown of a key: never its private part. */
const publicView = (key: AnyKey) =>
  key.type === 'secp256k1'
    ? { did: key.did, type: key.type, address: key.address, chainId: key.chainId, publicKey: key.publicKey }
    : { did: key.did, type: key.type, publicKey: key.publicKey };

/** The public key as a JWK (RFC 8037 OKP for Ed25519, EC for secp256k1), without `d`. */
export function publicJwk(key: AnyKey): Record<string, string> {
  if (key.type === 'ed25519')
    return { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.publicKey, 'hex').toString('base64url'), kid: key.did };
  const xy = key.publicKey.slice(4); // 0x04 || x || y
  return {
    kty: 'EC',
    crv: 'secp256k1',
    x: Buffer.from(xy.slice(0, 64), 'hex').toString('base64url'),
    y: Buffer.from(xy.slice(64), 'hex').toString('base64url'),
    kid: key.did,
  };
}

const chainIdOption = (value: string) => {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('expected a positive integer');
  return Number(value);
};

export function registerKeysCommands(program: Command, context: CommandContext): void {
  const keys = program.command('keys').description('manage the did:key (or did:pkh key) you log in with');

  keys
    .command('generate')
    .description('generate an Ed25519 did:key (or a secp256k1 did:pkh key) and save it (mode 0600)')
    .option('--out <file>', "where to save the key (default: the profile's key.json, or CMS_KEY)")
    .addOption(
      new Option('--type <type>', 'ed25519: a did:key; secp256k1: an Ethereum key, logs in as did:pkh')
        .choices(KEY_TYPES)
        .default('ed25519'),
    )
    .option('--chain-id <n>', 'with --type secp256k1: the chain of the did:pkh (default 1)', chainIdOption)
    .option('--force', 'replace an existing key file')
    .action(
      async (
        options: { out?: string; force?: boolean; type: (typeof KEY_TYPES)[number]; chainId?: number },
        command: Command,
      ) => {
        const { settings, out } = context.begin(command);
        if (options.chainId !== undefined && options.type !== 'secp256k1')
          throw new UsageError('--chain-id goes with --type secp256k1');
        const file = options.out ?? settings.keyFile;
        const key: AnyKey =
          options.type === 'secp256k1'
            ? secp256k1Key(generatePrivateKey(), options.chainId ?? 1)
            : { type: 'ed25519', ...(await generateDidKey()) };
        await writeAnyKeyFile(file, key, { force: options.force === true });
        const shown = key.type === 'ed25519' ? { did: key.did, publicKey: key.publicKey } : publicView(key);
        out.result({ ...shown, keyFile: file }, () =>
          formatFields([
            ['did', key.did],
            ['key file', file],
          ]),
        );
      },
    );

  keys
    .command('import')
    .description('save an existing key (a cms key.json, or a private Ed25519/secp256k1 JWK) owner-only (0600)')
    .argument('<file>', 'the key to import')
    .option('--out <file>', "where to save it (default: the profile's key.json, or CMS_KEY)")
    .option('--force', 'replace an existing key file')
    .action(async (source: string, options: { out?: string; force?: boolean }, command: Command) => {
      const { settings, out } = context.begin(command);
      let text: string;
      try {
        text = await readFile(source, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Never quote the content: it is (meant to be) a private key.
        throw new CliFailure('invalid_key_file', `${source} is not valid JSON`);
      }
      const key = await parseKeyMaterial(parsed, source);
      const file = options.out ?? settings.keyFile;
      await writeAnyKeyFile(file, key, { force: options.force === true });
      out.result({ ...publicView(key), keyFile: file }, () =>
        [
          `Imported ${key.type} key ${key.did}`,
          formatFields([['key file', file]]),
          `You may delete ${source} now: \`cms login\` uses ${file}.`,
        ].join('\n'),
      );
    });

  keys
    .command('did')
    .description('print the DID of your key')
    .option('--key <file>', "the key file (default: the profile's key.json, or CMS_KEY)")
    .action(async (options: { key?: string }, command: Command) => {
      const { settings, out } = context.begin(command);
      const file = options.key ?? settings.keyFile;
      const { key } = await readAnyKeyFile(file);
      out.result({ did: key.did, keyFile: file }, () => key.did);
    });

  keys
    .command('list')
    .description('the key file of every profile, with its DID (* marks the current profile)')
    .action(async (_o: unknown, command: Command) => {
      const { settings, out } = context.begin(command);
      const config = readConfigFile(settings.configDir);
      const dirs = await readdir(join(settings.configDir, 'profiles')).catch(() => [] as string[]);
      const names = [...new Set([DEFAULT_PROFILE, ...Object.keys(config.profiles), ...dirs, settings.profile])].sort(
        (a, b) => (a === DEFAULT_PROFILE ? -1 : b === DEFAULT_PROFILE ? 1 : a.localeCompare(b)),
      );
      const rows = await Promise.all(
        names.map(async (profile) => {
          const keyFile =
            profile === settings.profile
              ? settings.keyFile
              : (config.profiles[profile]?.key ?? join(profileDirOf(settings.configDir, profile), 'key.json'));
          const base = { profile, current: profile === settings.profile, keyFile };
          try {
            const { key, insecureMode } = await readAnyKeyFile(keyFile);
            return { ...base, did: key.did, type: key.type, status: insecureMode ? 'insecure_mode' : 'ok' };
          } catch (error) {
            const status = error instanceof CliFailure && error.code === 'key_not_found' ? 'missing' : 'invalid';
            return { ...base, did: null, type: null, status };
          }
        }),
      );
      out.result(rows, () =>
        formatTable(
          ['profile', 'did', 'key file', 'status'],
          rows.map((r) => [
            `${r.profile}${r.current ? ' *' : ''}`,
            r.did ?? '-',
            r.keyFile,
            r.status === 'insecure_mode' ? 'readable by others: chmod 600' : r.status,
          ]),
        ),
      );
    });

  keys
    .command('export-public')
    .description('print the public key only: the DID, a public JWK, or the multibase key (Ed25519)')
    .option('--key <file>', "the key file (default: the profile's key.json, or CMS_KEY)")
    .addOption(new Option('--format <format>', 'did, jwk or multibase').choices(PUBLIC_FORMATS).default('did'))
    .action(async (options: { key?: string; format: PublicFormat }, command: Command) => {
      const { settings, out } = context.begin(command);
      const { key } = await readAnyKeyFile(options.key ?? settings.keyFile);
      let value: string | Record<string, string>;
      if (options.format === 'did') value = key.did;
      else if (options.format === 'jwk') value = publicJwk(key);
      else {
        if (key.type !== 'ed25519')
          throw new UsageError('--format multibase is for Ed25519 did:key keys; use did or jwk for a did:pkh key');
        value = key.did.slice('did:key:'.length);
      }
      out.result({ did: key.did, type: key.type, format: options.format, publicKey: value }, () =>
        typeof value === 'string' ? value : JSON.stringify(value, null, 2),
      );
    });
}
