// Runs the CLI in-process with captured output and an isolated environment.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/index.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  args: string[],
  env: Record<string, string>,
  options: { stdin?: string } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(['node', 'cms', ...args], {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env,
    readStdin: async () => options.stdin ?? '',
  });
  return { code, stdout, stderr };
}

/** A fresh, empty config directory. */
export function tempDir(prefix = 'cms-cli-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** File permission bits, e.g. 0o600. */
export function permissions(mode: number): number {
  return mode & 0o777;
}

/** The SDK token file (`fileTokenStorage`) the CLI keeps for `server` in the default profile of `configDir`. */
export function tokenFile(configDir: string, server: string): string {
  return join(configDir, 'credentials', `${encodeURIComponent(server)}.json`);
}

/** The stored `AuthToken` for `server`. */
// biome-ignore lint/suspicious/noExplicitAny: parsed file; tests read the fields they check
export async function readToken(configDir: string, server: string): Promise<any> {
  return JSON.parse(await readFile(tokenFile(configDir, server), 'utf8'));
}

export async function writeToken(configDir: string, server: string, token: unknown): Promise<void> {
  await writeFile(tokenFile(configDir, server), JSON.stringify(token), { mode: 0o600 });
}
