// The CLI on a real terminal, driven through tmux (send-keys / capture-pane): `cms init` and `cms login`
// ask their questions, and `cms bulk` draws a progress bar on a TTY but not into a pipe.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedTestServer } from '@cms/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './run-cli.js';

const TMUX = '/usr/bin/tmux';
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const mainTs = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const socket = `cms-cli-test-${process.pid}`;

let server: { url: string; close(): Promise<void> };
beforeAll(async () => {
  server = await sharedTestServer();
});
afterAll(async () => {
  try {
    execFileSync(TMUX, ['-L', socket, 'kill-server'], { stdio: 'ignore' });
  } catch {
    // no session left
  }
  await server?.close();
});

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const tmux = (...args: string[]) =>
  execFileSync(TMUX, ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });

/** Starts `cms <args>` in a new tmux window of its own and returns its name. */
function start(name: string, env: Record<string, string>, args: string, pipe = '') {
  const vars = Object.entries({ PATH: process.env.PATH ?? '', TERM: 'xterm-256color', ...env })
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(' ');
  const command = `cd ${quote(repoRoot)} && env -i ${vars} ${quote(process.execPath)} --conditions=source --import tsx ${quote(mainTs)} ${args} ${pipe}; echo "[exit $?]"; sleep 60`;
  tmux('new-session', '-d', '-s', name, '-x', '160', '-y', '40', command);
}

const screen = (name: string) => tmux('capture-pane', '-p', '-t', name);

async function waitFor(name: string, text: string | RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = screen(name);
    if (typeof text === 'string' ? s.includes(text) : text.test(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${text} on the screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const keys = (name: string, ...k: string[]) => tmux('send-keys', '-t', name, ...k);
const type = (name: string, text: string) => tmux('send-keys', '-t', name, '-l', text);

const haveTmux = existsSync(TMUX);
if (!haveTmux) {
  // Under CI a missing tmux is a failure (.ci/run installs it), never a silent skip.
  if (process.env.CI) throw new Error(`${TMUX} is missing: apt-get install tmux`);
  console.log(`tty.test.ts: skipped, ${TMUX} is missing (apt-get install tmux to run the terminal tests)`);
}

describe.skipIf(!haveTmux)('on a terminal (tmux)', () => {
  it('cms init asks for the server and the key, then logs in', { timeout: 90_000 }, async () => {
    const configDir = await tempDir();
    start('init', { CMS_CONFIG_DIR: configDir }, 'init');
    expect(await waitFor('init', 'CMS server URL:')).toContain('http://localhost:8080');
    type('init', server.url);
    keys('init', 'Enter');
    await waitFor('init', 'Key file to use');
    keys('init', 'Enter');
    await waitFor('init', `Log in to ${server.url} as did:key:`);
    type('init', 'y');
    keys('init', 'Enter');
    const done = await waitFor('init', '[exit 0]');
    expect(done).toContain('Profile default is set up and logged in.');
    expect(done).toMatch(/did\s+did:key:z6Mk/);
    expect(JSON.parse(await readFile(join(configDir, 'config.json'), 'utf8'))).toEqual({
      profiles: { default: { server: server.url } },
    });
    expect(existsSync(join(configDir, 'credentials', `${encodeURIComponent(server.url)}.json`))).toBe(true);
  });

  it('cms login asks for the server and offers to generate a key', { timeout: 90_000 }, async () => {
    const configDir = await tempDir();
    start('login', { CMS_CONFIG_DIR: configDir, CMS_PROFILE: 'work' }, 'login');
    await waitFor('login', 'CMS server URL:');
    type('login', server.url);
    keys('login', 'Enter');
    await waitFor('login', 'Generate a new did:key there?');
    type('login', 'y');
    keys('login', 'Enter');
    const done = await waitFor('login', '[exit 0]');
    expect(done).toContain(`Logged in to ${server.url} as did:key:`);
    expect(existsSync(join(configDir, 'profiles', 'work', 'key.json'))).toBe(true);
  });

  it('draws the bulk progress bar on a TTY, not into a pipe', { timeout: 120_000 }, async () => {
    const configDir = await tempDir();
    const env = { CMS_CONFIG_DIR: configDir, CMS_SERVER: server.url, CMS_PROGRESS_INTERVAL_MS: '50' };
    // stdin not a terminal: no questions, even on a TTY; the flags and environment decide.
    start('setup', env, 'init', '< /dev/null');
    expect(await waitFor('setup', '[exit 0]')).not.toContain('?');
    const rows = join(configDir, 'rows.csv');
    await writeFile(rows, `title\n${Array.from({ length: 150 }, (_, i) => `Row ${i}`).join('\n')}\n`);
    start('bar', env, `bulk create ${quote(rows)} --run tty`);
    const tty = await waitFor('bar', '[exit 0]', 90_000);
    expect(tty).toMatch(/bulk create \[[█░]+\] 100% \| 150\/150 \| 0 failed/);

    start(
      'pipe',
      env,
      `bulk create ${quote(rows)} --run piped --report ${quote(join(configDir, 'p.jsonl'))}`,
      '2>&1 | cat',
    );
    const piped = await waitFor('pipe', '[exit 0]', 90_000);
    expect(piped).not.toMatch(/[█░]/);
    expect(piped).toMatch(/^bulk create: \d+\/150 done, 0 failed$/m);
    expect(piped).toMatch(/succeeded\s+150/);
  });
});
