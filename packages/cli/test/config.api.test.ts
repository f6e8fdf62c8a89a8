// `cms config`, profiles and the output options against a real server.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sharedTestServer } from '@cms/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/index.js';
import { permissions, runCli, tempDir, tokenFile } from './run-cli.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: colour escapes are what is checked
const ESC_SGR = /\u001b\[\d+m/g;

let server: { url: string; close(): Promise<void> };
beforeAll(async () => {
  server = await sharedTestServer();
});
afterAll(() => server?.close());

describe('profiles and cms config', () => {
  it('keeps a key, server and tokens per profile; config set/get/list with sources', async () => {
    const xdg = await tempDir();
    const env = { XDG_CONFIG_HOME: xdg, HOME: '/nonexistent' };
    const dir = join(xdg, 'cms');
    expect((await runCli(['--profile', 'work', 'config', 'set', 'server', `${server.url}/`], env)).code).toBe(0);
    expect(permissions((await stat(join(dir, 'config.json'))).mode)).toBe(0o600);
    expect((await runCli(['--profile', 'work', 'config', 'get', 'server'], env)).stdout).toBe(`${server.url}\n`);
    expect((await runCli(['config', 'get', 'server'], env)).stdout).toBe('http://localhost:8080\n');

    const work = { ...env, CMS_PROFILE: 'work' };
    expect((await runCli(['keys', 'generate'], work)).code).toBe(0);
    expect(permissions((await stat(join(dir, 'profiles', 'work', 'key.json'))).mode)).toBe(0o600);
    expect((await runCli(['login'], work)).code).toBe(0);
    expect(permissions((await stat(tokenFile(join(dir, 'profiles', 'work'), server.url))).mode)).toBe(0o600);
    expect((await runCli(['whoami', '--json'], work)).code).toBe(0);
    // The default profile has no key and no session.
    expect((await runCli(['whoami', '--server', server.url], env)).code).toBe(3);

    const list = JSON.parse((await runCli(['config', 'list', '--json'], { ...work, CMS_OUTPUT: 'json' })).stdout);
    expect(list).toMatchObject({
      profile: 'work',
      entries: [
        { key: 'server', value: server.url, source: 'config' },
        { key: 'key', value: join(dir, 'profiles', 'work', 'key.json'), source: 'default' },
        { key: 'output', value: 'json', source: 'CMS_OUTPUT' },
      ],
    });
    expect((await runCli(['config', 'set', 'output', 'yaml'], work)).code).toBe(2);
    expect((await runCli(['config', 'set', 'colour', 'x'], work)).code).toBe(2);
    expect((await runCli(['config', 'profiles', '--json'], work)).stdout).toBe(
      `${JSON.stringify(['default', 'work'], null, 2)}\n`,
    );
  });

  it('--jsonl prints list items one per line; tables fit the terminal and colour only on a TTY', async () => {
    const configDir = await tempDir();
    const env = { CMS_CONFIG_DIR: configDir, CMS_SERVER: server.url };
    await runCli(['keys', 'generate'], env);
    await runCli(['login'], env);
    for (const title of ['One', 'Two '.repeat(40)]) await runCli(['contracts', 'create', '--title', title], env);
    const lines = (await runCli(['contracts', 'list', '--jsonl'], env)).stdout.trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).title.trim())).toEqual([`${'Two '.repeat(40)}`.trim(), 'One']);

    const tty = async (extra: Record<string, string>) => {
      let out = '';
      await run(['node', 'cms', 'contracts', 'list'], {
        stdout: (t) => void (out += t),
        stderr: () => {},
        env: { ...env, ...extra },
        stdoutIsTTY: true,
        columns: 80,
      });
      return out;
    };
    const coloured = await tty({});
    expect(coloured).toContain('\u001b[1m');
    for (const line of coloured.replaceAll(ESC_SGR, '').trimEnd().split('\n'))
      expect(line.length).toBeLessThanOrEqual(80);
    expect(coloured).toContain('…');
    expect(await tty({ NO_COLOR: '1' })).not.toContain('\u001b[');
    expect((await runCli(['contracts', 'list'], env)).stdout).not.toContain('\u001b[');
  });
});
