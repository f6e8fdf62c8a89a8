// The CLI's files in a profile's directory: the did:key (`key.json`), the access and refresh tokens per
// server (`credentials/<server>.json`, through the SDK's `fileTokenStorage`) and `config.json`. All are
// written owner-only (0600, directory 0700), atomically (temp file, then rename or link).
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  type AuthToken,
  type DidKeyPair,
  didKeyFromPrivateKey,
  didPkhFromAddress,
  fileTokenStorage,
  type TokenStorage,
} from '@cms/sdk';
import { privateKeyToAccount } from 'viem/accounts';
import { CliFailure } from './cli-errors.js';
import { type ConfigFile, configFilePath, type Settings } from './settings.js';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** One token file per server: `<profileDir>/credentials/<url-encoded server>.json`, written by the SDK's `fileTokenStorage`. */
export const credentialsFilePath = (profileDir: string, server: string) =>
  join(profileDir, 'credentials', `${encodeURIComponent(server)}.json`);

/** Writes a key file; refuses to replace an existing one unless `force`. */
export async function writeKeyFile(path: string, key: DidKeyPair, options: { force: boolean }): Promise<void> {
  const content = `${JSON.stringify({ did: key.did, privateKey: key.privateKey, publicKey: key.publicKey }, null, 2)}\n`;
  try {
    await writePrivateFile(path, content, { exclusive: !options.force });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CliFailure('key_exists', `${path} already exists; pass --force to replace it and lose the old key`);
    }
    throw error;
  }
}

export interface LoadedKey {
  key: DidKeyPair;
  /** The file is readable or writable by other users. */
  insecureMode: boolean;
}

/** A secp256k1 (Ethereum) key and its did:pkh, as `cms keys generate --type secp256k1` saves it. */
export interface Secp256k1Key {
  type: 'secp256k1';
  did: string;
  /** Checksummed Ethereum address. */
  address: `0x${string}`;
  chainId: number;
  /** `0x` + 32 bytes, hex. */
  privateKey: `0x${string}`;
  /** Uncompressed public key, `0x04…`. */
  publicKey: `0x${string}`;
}

/** An Ed25519 did:key (`type: 'ed25519'`) or a secp256k1 did:pkh key. */
export type AnyKey = (DidKeyPair & { type: 'ed25519' }) | Secp256k1Key;

export interface LoadedAnyKey {
  key: AnyKey;
  insecureMode: boolean;
}

/** The key file's content as written: only the fields that belong there. */
export function keyFileContent(key: AnyKey): Record<string, unknown> {
  return key.type === 'secp256k1'
    ? {
        type: key.type,
        did: key.did,
        address: key.address,
        chainId: key.chainId,
        privateKey: key.privateKey,
        publicKey: key.publicKey,
      }
    : { did: key.did, privateKey: key.privateKey, publicKey: key.publicKey };
}

/** Writes a key file of either type; refuses to replace an existing one unless `force`. */
export async function writeAnyKeyFile(path: string, key: AnyKey, options: { force: boolean }): Promise<void> {
  if (key.type === 'ed25519') return writeKeyFile(path, key, options);
  try {
    await writePrivateFile(path, `${JSON.stringify(keyFileContent(key), null, 2)}\n`, { exclusive: !options.force });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CliFailure('key_exists', `${path} already exists; pass --force to replace it and lose the old key`);
    }
    throw error;
  }
}

/** A secp256k1 key and its did:pkh from a `0x` private key. */
export function secp256k1Key(privateKey: string, chainId = 1): Secp256k1Key {
  const hex = privateKey.toLowerCase() as `0x${string}`;
  const account = privateKeyToAccount(hex);
  return {
    type: 'secp256k1',
    did: didPkhFromAddress(account.address, chainId),
    address: account.address,
    chainId,
    privateKey: hex,
    publicKey: account.publicKey,
  };
}

/**
 * Parses key material in the forms `cms keys import` accepts, without ever quoting it: the CLI's own
 * key.json (Ed25519, or `type: "secp256k1"`), or a private JWK (`OKP`/`Ed25519` or `EC`/`secp256k1`, with `d`).
 * `label` names the source in messages.
 */
export async function parseKeyMaterial(parsed: unknown, label: string): Promise<AnyKey> {
  const invalid = (why: string) => new CliFailure('invalid_key_file', `${label}: ${why}`);
  if (typeof parsed !== 'object' || parsed === null) throw invalid('not a JSON object');
  const o = parsed as Record<string, unknown>;
  let key: AnyKey;
  if (typeof o.kty === 'string') {
    if (typeof o.d !== 'string') throw invalid('the JWK has no private part "d" (a public key cannot log in)');
    let d: Buffer;
    try {
      d = Buffer.from(o.d, 'base64url');
    } catch {
      throw invalid('"d" is not base64url');
    }
    if (d.length !== 32) throw invalid('"d" is not 32 bytes');
    if (o.kty === 'OKP' && o.crv === 'Ed25519') {
      const k = await didKeyFromPrivateKey(d.toString('hex'));
      if (o.x !== undefined && o.x !== Buffer.from(k.publicKey, 'hex').toString('base64url'))
        throw invalid('"x" does not belong to "d"');
      key = { type: 'ed25519', ...k };
    } else if (o.kty === 'EC' && o.crv === 'secp256k1') {
      try {
        key = secp256k1Key(`0x${d.toString('hex')}`);
      } catch {
        throw invalid('"d" is not a valid secp256k1 private key');
      }
      const xy = key.publicKey.slice(4);
      if (
        (o.x !== undefined && o.x !== Buffer.from(xy.slice(0, 64), 'hex').toString('base64url')) ||
        (o.y !== undefined && o.y !== Buffer.from(xy.slice(64), 'hex').toString('base64url'))
      )
        throw invalid('"x"/"y" do not belong to "d"');
    } else {
      throw invalid(
        `unsupported JWK (kty ${String(o.kty)}, crv ${String(o.crv)}): expected OKP/Ed25519 or EC/secp256k1`,
      );
    }
  } else if (o.type === 'secp256k1') {
    if (typeof o.privateKey !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(o.privateKey))
      throw invalid('no "privateKey" of 0x and 64 hex digits (a secp256k1 key)');
    const chainId = o.chainId === undefined ? 1 : Number(o.chainId);
    if (!Number.isInteger(chainId) || chainId < 1) throw invalid('"chainId" is not a positive integer');
    try {
      key = secp256k1Key(o.privateKey, chainId);
    } catch {
      throw invalid('"privateKey" is not a valid secp256k1 private key');
    }
  } else {
    if (o.type !== undefined && o.type !== 'ed25519') throw invalid(`unknown key type ${JSON.stringify(o.type)}`);
    if (typeof o.privateKey !== 'string' || !/^[0-9a-fA-F]{64}$/.test(o.privateKey))
      throw invalid('no "privateKey" of 64 hex digits (a 32-byte Ed25519 seed)');
    key = { type: 'ed25519', ...(await didKeyFromPrivateKey(o.privateKey.toLowerCase())) };
  }
  if (o.did !== undefined && o.did !== key.did)
    throw invalid(`"did" ${String(o.did)} does not belong to its private key (${key.did})`);
  return key;
}

/** Reads and checks a key file of either type (`cms keys generate [--type secp256k1]`, `cms keys import`). */
export async function readAnyKeyFile(path: string): Promise<LoadedAnyKey> {
  let text: string;
  let mode: number;
  try {
    [text, mode] = await Promise.all([readFile(path, 'utf8'), stat(path).then((s) => s.mode)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliFailure(
        'key_not_found',
        `no key file at ${path}; create one with \`cms keys generate\` or pass --key <file>`,
      );
    }
    throw error;
  }
  // Messages below never quote the file's content: it holds the private key.
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliFailure('invalid_key_file', `${path} is not valid JSON`);
  }
  const key = await parseKeyMaterial(parsed, path);
  return { key, insecureMode: process.platform !== 'win32' && (mode & 0o077) !== 0 };
}

/** Reads and checks an Ed25519 key file written by `cms keys generate` (or by hand, with at least `privateKey`). */
export async function readKeyFile(path: string): Promise<LoadedKey> {
  const { key, insecureMode } = await readAnyKeyFile(path);
  if (key.type !== 'ed25519')
    throw new CliFailure(
      'unsupported_key_type',
      `${path} holds a secp256k1 (did:pkh) key; this command needs an Ed25519 did:key (\`cms keys generate\`)`,
    );
  return { key: { did: key.did, privateKey: key.privateKey, publicKey: key.publicKey }, insecureMode };
}

/** The SDK token storage (`fileTokenStorage`, mode 0600) holding the profile's tokens for `server`. */
export function tokenStorageFor(settings: Pick<Settings, 'profileDir'>, server: string): TokenStorage {
  return fileTokenStorage(credentialsFilePath(settings.profileDir, server));
}

/** What the CLI knows about the session the stored tokens belong to. */
export interface StoredSession {
  server: string;
  /** ISO 8601 time the access token stops working. */
  expiresAt: string;
  /** ISO 8601 time the session ends (no refresh after it). */
  refreshExpiresAt?: string;
  sessionId?: string;
  did: string;
  userId: string;
  organizationId: string;
  roles?: string[];
  /** Whether a refresh token is stored. */
  refreshable: boolean;
}

export function describeToken(server: string, token: AuthToken, issuedAt = Date.now()): StoredSession {
  const exp = accessTokenExpiry(token.accessToken);
  return {
    server,
    expiresAt: new Date(exp ?? issuedAt + token.expiresIn * 1000).toISOString(),
    ...(token.refreshExpiresAt ? { refreshExpiresAt: token.refreshExpiresAt } : {}),
    ...(token.sessionId ? { sessionId: token.sessionId } : {}),
    did: token.did,
    userId: token.userId,
    organizationId: token.organizationId,
    roles: token.roles,
    refreshable: Boolean(token.refreshToken),
  };
}

/** The stored session for `server` in the profile, if any (expired or not). */
export async function readSession(
  settings: Pick<Settings, 'profileDir'>,
  server: string,
): Promise<{ token: AuthToken; session: StoredSession } | undefined> {
  const token = await tokenStorageFor(settings, server).get();
  if (!token?.accessToken) return undefined;
  return { token, session: describeToken(server, token) };
}

/** Forgets the tokens for `server`; false when there were none. */
export async function removeSession(settings: Pick<Settings, 'profileDir'>, server: string): Promise<boolean> {
  const storage = tokenStorageFor(settings, server);
  if (!(await storage.get())) return false;
  await storage.set(undefined);
  return true;
}

/** Servers the profile holds tokens for. */
export async function storedServers(settings: Pick<Settings, 'profileDir'>): Promise<string[]> {
  try {
    const names = await readdir(join(settings.profileDir, 'credentials'));
    return names.filter((n) => n.endsWith('.json')).map((n) => decodeURIComponent(n.slice(0, -'.json'.length)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Reads the expiry (`exp`, seconds) of a JWT access token without verifying it. */
function accessTokenExpiry(accessToken: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export async function writeConfigFile(configDir: string, config: ConfigFile): Promise<void> {
  await writePrivateFile(configFilePath(configDir), `${JSON.stringify(config, null, 2)}\n`, { exclusive: false });
}

/**
 * Writes `content` readable by the owner only, through a temp file so readers never see half of it.
 * Exclusive writes publish it with `link`, which fails with EEXIST instead of replacing a file.
 */
export async function writePrivateFile(path: string, content: string, options: { exclusive: boolean }): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const file = await open(temp, 'wx', PRIVATE_FILE_MODE);
  try {
    await file.writeFile(content, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    if (options.exclusive) await link(temp, path);
    else await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
}
