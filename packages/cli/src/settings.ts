// Global options resolved against the environment and the profile's configuration:
// flag, then CMS_* environment variable, then the profile's `cms config set` value, then the default.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliFailure, UsageError } from './cli-errors.js';

export const DEFAULT_SERVER = 'http://localhost:8080';
export const DEFAULT_PROFILE = 'default';
export const OUTPUT_FORMATS = ['human', 'json', 'jsonl'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** What `cms config set` accepts, each with the environment variable that overrides it. */
export const CONFIG_KEYS = {
  server: { env: 'CMS_SERVER', description: 'CMS server URL', default: DEFAULT_SERVER },
  key: { env: 'CMS_KEY', description: 'key file to log in and sign with', default: '<profile dir>/key.json' },
  output: { env: 'CMS_OUTPUT', description: 'output format: human, json or jsonl', default: 'human' },
} as const;
export type ConfigKey = keyof typeof CONFIG_KEYS;
export type ProfileConfig = Partial<Record<ConfigKey, string>>;

export interface GlobalOptions {
  server?: string;
  json?: boolean;
  jsonl?: boolean;
  profile?: string;
}

export interface Settings {
  /** Normalised server URL (no trailing slash); also the key of its stored credentials. */
  server: string;
  /** Machine-readable output (`--json` or `--jsonl`). */
  json: boolean;
  /** How results are printed. */
  output: OutputFormat;
  /** The configuration directory: `$CMS_CONFIG_DIR`, else `$XDG_CONFIG_HOME/cms`, else `~/.config/cms`. */
  configDir: string;
  /** The selected profile (`--profile`, `CMS_PROFILE`, else `default`). */
  profile: string;
  /** Where the profile keeps its key and credentials: the config dir itself for `default`, else `profiles/<name>`. */
  profileDir: string;
  /** The key file (`CMS_KEY`, `cms config set key`, else `<profileDir>/key.json`). */
  keyFile: string;
  /** No flag, variable or profile value chose the server: `cms login` and `cms init` may ask for it. */
  serverIsDefault: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

export function configDirOf(env: Env): string {
  if (env.CMS_CONFIG_DIR) return env.CMS_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'cms');
  return join(env.HOME || homedir(), '.config', 'cms');
}

export const configFilePath = (configDir: string) => join(configDir, 'config.json');

export function profileDirOf(configDir: string, profile: string): string {
  return profile === DEFAULT_PROFILE ? configDir : join(configDir, 'profiles', profile);
}

export function checkProfileName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name))
    throw new UsageError(`invalid profile name "${name}": use letters, digits, ".", "_" and "-"`);
  return name;
}

export interface ConfigFile {
  profiles: Record<string, ProfileConfig>;
}

export function readConfigFile(configDir: string): ConfigFile {
  const path = configFilePath(configDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<ConfigFile>;
    if (typeof parsed.profiles !== 'object' || parsed.profiles === null) throw new Error('no "profiles"');
    return { profiles: { ...parsed.profiles } };
  } catch {
    throw new CliFailure('invalid_config_file', `${path} is not a valid cms configuration; fix or delete it`);
  }
}

export function resolveSettings(options: GlobalOptions, env: Env): Settings {
  const configDir = configDirOf(env);
  const profile = checkProfileName(options.profile ?? (env.CMS_PROFILE || DEFAULT_PROFILE));
  const stored = readConfigFile(configDir).profiles[profile] ?? {};
  const profileDir = profileDirOf(configDir, profile);
  const output: OutputFormat = options.jsonl
    ? 'jsonl'
    : options.json
      ? 'json'
      : parseOutput(env.CMS_OUTPUT || stored.output || 'human');
  return {
    server: normaliseServerUrl(options.server ?? (env.CMS_SERVER || stored.server || DEFAULT_SERVER)),
    json: output !== 'human',
    output,
    configDir,
    profile,
    profileDir,
    keyFile: env.CMS_KEY || stored.key || join(profileDir, 'key.json'),
    serverIsDefault: options.server === undefined && !env.CMS_SERVER && !stored.server,
  };
}

export function parseOutput(value: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new UsageError(`invalid output format "${value}": expected ${OUTPUT_FORMATS.join(', ')}`);
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
