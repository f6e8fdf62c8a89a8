// The one place the server reads its environment. Everything below takes a `ServerConfig`.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const list = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

const EnvSchema = z.object({
  PORT: port.default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  CMS_DATA_DIR: z.string().min(1).default('.cms'),
  CMS_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  CMS_ACCESS_TOKEN_TTL: z.coerce.number().int().min(60).max(86_400).default(900),
  CMS_BODY_LIMIT: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
  CMS_CORS_ORIGINS: list.optional(),
  CMS_WEB_DIR: z.string().min(1).optional(),
});

export interface ServerConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Where embedded state lives (database, keys); `undefined` keeps everything in memory. */
  dataDir: string | undefined;
  /** The URL clients reach this server at; access tokens' `iss`/`aud` and login proofs' `aud`. Defaults to the listening address. */
  publicUrl: string | undefined;
  database: { engine: 'postgres'; url: string; poolSize: number } | { engine: 'pglite'; loadDataDir?: Blob };
  accessTokenTtlSeconds: number;
  bodyLimitBytes: number;
  corsOrigins: string[];
  /** Built web UI to serve at `/`; skipped when absent. */
  webDir: string | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment; a bad variable is named in the error. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    dataDir: resolve(e.CMS_DATA_DIR),
    publicUrl: e.CMS_PUBLIC_URL?.replace(/\/+$/, ''),
    database: e.DATABASE_URL ? { engine: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE } : { engine: 'pglite' },
    accessTokenTtlSeconds: e.CMS_ACCESS_TOKEN_TTL,
    bodyLimitBytes: e.CMS_BODY_LIMIT,
    corsOrigins: e.CMS_CORS_ORIGINS ?? [],
    webDir: e.CMS_WEB_DIR ? resolve(e.CMS_WEB_DIR) : bundledWebDir(),
  };
}

/** The web UI built inside this monorepo (packages/web/dist), when it has been built. */
function bundledWebDir(): string | undefined {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '../../web/dist');
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}
