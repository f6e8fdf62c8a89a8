// The CLI's files in the config directory: the did:key (`key.json`) and the access and refresh tokens
// per server (`credentials.json`). Both hold secrets, so both are written owner-only (0600, directory 0700),
// atomically (temp file, then rename or link) so a crash never leaves half a file behind.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type DidKeyPair, didKeyFromPrivateKey } from '@cms/sdk';
import { CliFailure } from './cli-errors.js';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

export const keyFilePath = (configDir: string) => join(configDir, 'key.json');
export const credentialsFilePath = (configDir: string) => join(configDir, 'credentials.json');

/** What `cms login` keeps for one server. */
export interface StoredSession {
  server: string;
  accessToken: string;
  /** ISO 8601 time the access token stops working. */
  expiresAt: string;
  /** Single use: every refresh replaces it, and the CLI saves the new one before anything else. */
  refreshToken?: string;
  /** ISO 8601 time the session ends (no refresh after it). */
  refreshExpiresAt?: string;
  sessionId?: string;
  did: string;
  userId: string;
  organizationId: string;
  roles?: string[];
}

interface CredentialsFile {
  /** Sessions keyed by normalised server URL. */
  servers: Record<string, StoredSession>;
}

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

/** The stored session for `server`, if any (expired or not). */
export async function readSession(configDir: string, server: string): Promise<StoredSession | undefined> {
  return (await readCredentials(configDir)).servers[server];
}

export async function saveSession(configDir: string, session: StoredSession): Promise<void> {
  const credentials = await readCredentials(configDir);
  credentials.servers[session.server] = session;
  await writeCredentials(configDir, credentials);
}

/** Forgets the session for `server`; false when there was none. */
export async function removeSession(configDir: string, server: string): Promise<boolean> {
  const credentials = await readCredentials(configDir);
  if (!(server in credentials.servers)) return false;
  delete credentials.servers[server];
  if (Object.keys(credentials.servers).length === 0) await rm(credentialsFilePath(configDir), { force: true });
  else await writeCredentials(configDir, credentials);
  return true;
}

async function readCredentials(configDir: string): Promise<CredentialsFile> {
  const path = credentialsFilePath(configDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { servers: {} };
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<CredentialsFile>;
    if (typeof parsed.servers !== 'object' || parsed.servers === null) throw new Error('no "servers"');
    return { servers: { ...parsed.servers } };
  } catch {
    throw new CliFailure('invalid_credentials_file', `${path} is corrupt; delete it and run \`cms login\` again`);
  }
}

async function writeCredentials(configDir: string, credentials: CredentialsFile): Promise<void> {
  await writePrivateFile(credentialsFilePath(configDir), `${JSON.stringify(credentials, null, 2)}\n`, {
    exclusive: false,
  });
}

/**
 * Writes `content` readable by the owner only, through a temp file so readers never see half of it.
 * Exclusive writes publish it with `link`, which fails with EEXIST instead of replacing a file.
 */
async function writePrivateFile(path: string, content: string, options: { exclusive: boolean }): Promise<void> {
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
