// The CLI's files in a profile's directory: the did:key (`key.json`), the access and refresh tokens per
// server (`credentials/<server>.json`, through the SDK's `fileTokenStorage`) and `config.json`. All are
// written owner-only (0600, directory 0700), atomically (temp file, then rename or link).
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type AuthToken, type DidKeyPair, didKeyFromPrivateKey, fileTokenStorage, type TokenStorage } from '@cms/sdk';
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

/** Reads and checks a key file written by `cms keys generate` (or by hand, with at least `privateKey`). */
export async function readKeyFile(path: string): Promise<LoadedKey> {
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
  let parsed: { did?: unknown; privateKey?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new CliFailure('invalid_key_file', `${path} is not valid JSON`);
  }
  if (typeof parsed?.privateKey !== 'string' || !/^[0-9a-fA-F]{64}$/.test(parsed.privateKey)) {
    throw new CliFailure('invalid_key_file', `${path} has no "privateKey" of 64 hex digits (a 32-byte Ed25519 seed)`);
  }
  const key = await didKeyFromPrivateKey(parsed.privateKey.toLowerCase());
  if (parsed.did !== undefined && parsed.did !== key.did) {
    throw new CliFailure(
      'invalid_key_file',
      `${path}: "did" ${String(parsed.did)} does not belong to its private key (${key.did})`,
    );
  }
  return { key, insecureMode: process.platform !== 'win32' && (mode & 0o077) !== 0 };
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
