// `cms keys generate`: the key file is owner-only, never overwritten by accident, never printed.

import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { didKeyFromPrivateKey } from '@cms/sdk';
import { describe, expect, it } from 'vitest';
import { permissions, runCli, tempDir } from './run-cli.js';

describe('cms keys generate', () => {
  it('writes a 0600 key file in a 0700 directory and prints only the DID', async () => {
    const configDir = join(await tempDir(), 'nested', 'cms');
    const result = await runCli(['keys', 'generate'], { CMS_CONFIG_DIR: configDir });
    expect(result).toMatchObject({ code: 0, stderr: '' });

    const file = join(configDir, 'key.json');
    expect(permissions((await stat(file)).mode)).toBe(0o600);
    expect(permissions((await stat(configDir)).mode)).toBe(0o700);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys(saved).sort()).toEqual(['did', 'privateKey', 'publicKey']);
    expect(await didKeyFromPrivateKey(saved.privateKey)).toEqual(saved);

    expect(result.stdout).toBe(`did       ${saved.did}\nkey file  ${file}\n`);
    expect(result.stdout).not.toContain(saved.privateKey);
  });

  it('prints JSON without the private key', async () => {
    const out = join(await tempDir(), 'alice.json');
    const result = await runCli(['keys', 'generate', '--out', out, '--json'], {});
    expect(result.code).toBe(0);
    const saved = JSON.parse(await readFile(out, 'utf8'));
    expect(JSON.parse(result.stdout)).toEqual({ did: saved.did, publicKey: saved.publicKey, keyFile: out });
    expect(result.stdout + result.stderr).not.toContain(saved.privateKey);
  });

  it('defaults to ~/.config/cms/key.json', async () => {
    const home = await tempDir();
    expect((await runCli(['keys', 'generate'], { HOME: home })).code).toBe(0);
    expect(permissions((await stat(join(home, '.config', 'cms', 'key.json'))).mode)).toBe(0o600);
  });

  it('refuses to overwrite an existing key unless --force', async () => {
    const configDir = await tempDir();
    const file = join(configDir, 'key.json');
    await runCli(['keys', 'generate'], { CMS_CONFIG_DIR: configDir });
    const original = await readFile(file, 'utf8');

    const refused = await runCli(['keys', 'generate'], { CMS_CONFIG_DIR: configDir });
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: ${file} already exists; pass --force to replace it and lose the old key (code key_exists)\n`,
    });
    expect(await readFile(file, 'utf8')).toBe(original);

    await chmod(file, 0o644);
    const forced = await runCli(['keys', 'generate', '--force', '--json'], { CMS_CONFIG_DIR: configDir });
    expect(forced.code).toBe(0);
    const replaced = JSON.parse(await readFile(file, 'utf8'));
    expect(replaced.did).not.toBe(JSON.parse(original).did);
    expect(JSON.parse(forced.stdout).did).toBe(replaced.did);
    expect(permissions((await stat(file)).mode)).toBe(0o600);
  });

  it('reports a refusal as JSON on stderr with --json', async () => {
    const out = join(await tempDir(), 'key.json');
    await writeFile(out, 'something precious');
    const result = await runCli(['--json', 'keys', 'generate', '--out', out], {});
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(JSON.parse(result.stderr)).toEqual({
      error: {
        code: 'key_exists',
        status: null,
        title: null,
        detail: null,
        message: `${out} already exists; pass --force to replace it and lose the old key`,
        requestId: null,
      },
    });
    expect(await readFile(out, 'utf8')).toBe('something precious');
  });
});
