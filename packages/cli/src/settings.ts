// Global options resolved against the environment: flag, then environment variable, then default.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './cli-errors.js';

export const DEFAULT_SERVER = 'http://localhost:8080';

export interface GlobalOptions {
  server?: string;
  json?: boolean;
}

export interface Settings {
  /** Normalised server URL (no trailing slash); also the key of its stored credentials. */
  server: string;
  /** Machine-readable output. */
  json: boolean;
  /** Where `key.json` and `credentials.json` live. */
  configDir: string;
}

export function resolveSettings(options: GlobalOptions, env: Readonly<Record<string, string | undefined>>): Settings {
  return {
    server: normaliseServerUrl(options.server ?? (env.CMS_SERVER || DEFAULT_SERVER)),
    json: options.json === true,
    configDir: env.CMS_CONFIG_DIR || join(env.HOME || homedir(), '.config', 'cms'),
  };
}

/** `HTTP://Host:8080/api/` → `http://host:8080/api`, so one server has one credentials entry. */
export function normaliseServerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`invalid server URL "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`server URL must be http(s): "${raw}"`);
  if (url.username || url.password || url.search || url.hash)
    throw new UsageError(
      `server URL must not carry credentials, a query or a fragment: "${url.origin}${url.pathname}"`,
    );
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
