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

describe('cms keys import', () => {
  it('imports a key.json from a loose file into a 0600 key file, printing no private key', async () => {
    const dir = await tempDir();
    const source = join(dir, 'exported.json');
    const original = await didKeyFromPrivateKey('11'.repeat(32));
    await writeFile(source, JSON.stringify(original), { mode: 0o644 });
    const configDir = join(dir, 'cms');
    const result = await runCli(['keys', 'import', source, '--json'], { CMS_CONFIG_DIR: configDir });
    expect(result, result.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({
      did: original.did,
      type: 'ed25519',
      publicKey: original.publicKey,
      keyFile: join(configDir, 'key.json'),
    });
    expect(result.stdout).not.toContain(original.privateKey);
    const file = join(configDir, 'key.json');
    expect(permissions((await stat(file)).mode)).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(original);
    expect((await runCli(['keys', 'did'], { CMS_CONFIG_DIR: configDir })).stdout).toBe(`${original.did}\n`);

    // Never over an existing key without --force.
    const again = await runCli(['keys', 'import', source], { CMS_CONFIG_DIR: configDir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('(code key_exists)');
  });

  it('imports a private Ed25519 JWK and checks x against d', async () => {
    const dir = await tempDir();
    const key = await didKeyFromPrivateKey('22'.repeat(32));
    const jwk = {
      kty: 'OKP',
      crv: 'Ed25519',
      d: Buffer.from(key.privateKey, 'hex').toString('base64url'),
      x: Buffer.from(key.publicKey, 'hex').toString('base64url'),
    };
    await writeFile(join(dir, 'key.jwk'), JSON.stringify(jwk));
    const out = join(dir, 'imported.json');
    const result = await runCli(['keys', 'import', join(dir, 'key.jwk'), '--out', out], {});
    expect(result, result.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`Imported ed25519 key ${key.did}`);
    expect(result.stdout).not.toContain(jwk.d);
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(key);
    expect(permissions((await stat(out)).mode)).toBe(0o600);

    const other = await didKeyFromPrivateKey('33'.repeat(32));
    await writeFile(
      join(dir, 'bad.jwk'),
      JSON.stringify({ ...jwk, x: Buffer.from(other.publicKey, 'hex').toString('base64url') }),
    );
    const bad = await runCli(['keys', 'import', join(dir, 'bad.jwk'), '--out', join(dir, 'x.json')], {});
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"x" does not belong to "d"');
    expect(bad.stderr).not.toContain(jwk.d);

    await writeFile(join(dir, 'public.jwk'), JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: jwk.x }));
    const pub = await runCli(['keys', 'import', join(dir, 'public.jwk'), '--out', join(dir, 'y.json')], {});
    expect(pub.code).toBe(1);
    expect(pub.stderr).toContain('no private part "d"');
  });

  it('rejects a file that is not a key without quoting it', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'secret.txt'), 'not json but a secret 0123');
    const r = await runCli(['keys', 'import', join(dir, 'secret.txt'), '--out', join(dir, 'k.json')], {});
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('0123');
    await writeFile(join(dir, 'k2.json'), JSON.stringify({ privateKey: 'zz'.repeat(32) }));
    const r2 = await runCli(['keys', 'import', join(dir, 'k2.json'), '--out', join(dir, 'k.json')], {});
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('(code invalid_key_file)');
  });
});

describe('cms keys list', () => {
  it('lists the key file of every profile with its DID', async () => {
    const configDir = await tempDir();
    const env = { CMS_CONFIG_DIR: configDir };
    const a = JSON.parse((await runCli(['keys', 'generate', '--json'], env)).stdout);
    const b = JSON.parse((await runCli(['--profile', 'bot', 'keys', 'generate', '--json'], env)).stdout);
    expect((await runCli(['--profile', 'empty', 'config', 'set', 'server', 'http://x.example'], env)).code).toBe(0);
    await chmod(b.keyFile, 0o644);
    const r = await runCli(['keys', 'list', '--json'], env);
    expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual([
      {
        profile: 'default',
        current: true,
        keyFile: join(configDir, 'key.json'),
        did: a.did,
        type: 'ed25519',
        status: 'ok',
      },
      {
        profile: 'bot',
        current: false,
        keyFile: join(configDir, 'profiles', 'bot', 'key.json'),
        did: b.did,
        type: 'ed25519',
        status: 'insecure_mode',
      },
      {
        profile: 'empty',
        current: false,
        keyFile: join(configDir, 'profiles', 'empty', 'key.json'),
        did: null,
        type: null,
        status: 'missing',
      },
    ]);
    const human = await runCli(['--profile', 'bot', 'keys', 'list'], env);
    expect(human.stdout).toMatch(/^bot \*\s+did:key:/m);
    expect(human.stdout).toContain('readable by others');
    const saved = JSON.parse(await readFile(join(configDir, 'key.json'), 'utf8'));
    expect(r.stdout + human.stdout).not.toContain(saved.privateKey);
  });
});

describe('cms keys export-public', () => {
  it('prints the DID, a public JWK or the multibase key, never the private key', async () => {
    const configDir = await tempDir();
    const env = { CMS_CONFIG_DIR: configDir };
    await runCli(['keys', 'generate'], env);
    const saved = JSON.parse(await readFile(join(configDir, 'key.json'), 'utf8'));
    const did = await runCli(['keys', 'export-public'], env);
    expect(did).toEqual({ code: 0, stdout: `${saved.did}\n`, stderr: '' });
    const multibase = await runCli(['keys', 'export-public', '--format', 'multibase'], env);
    expect(multibase.stdout).toBe(`${saved.did.slice('did:key:'.length)}\n`);
    expect(multibase.stdout).toMatch(/^z6Mk/);
    const jwk = await runCli(['keys', 'export-public', '--format', 'jwk', '--json'], env);
    const parsed = JSON.parse(jwk.stdout);
    expect(parsed).toEqual({
      did: saved.did,
      type: 'ed25519',
      format: 'jwk',
      publicKey: {
        kty: 'OKP',
        crv: 'Ed25519',
        x: Buffer.from(saved.publicKey, 'hex').toString('base64url'),
        kid: saved.did,
      },
    });
    expect(parsed.publicKey.d).toBeUndefined();
    const privateB64 = Buffer.from(saved.privateKey, 'hex').toString('base64url');
    for (const out of [did, multibase, jwk]) {
      expect(out.stdout + out.stderr).not.toContain(saved.privateKey);
      expect(out.stdout + out.stderr).not.toContain(privateB64);
    }
    // The JWK is usable: Node imports it as the same public key.
    const { createPublicKey } = await import('node:crypto');
    const der = createPublicKey({ key: parsed.publicKey, format: 'jwk' }).export({ format: 'der', type: 'spki' });
    expect(Buffer.from(der).subarray(-32).toString('hex')).toBe(saved.publicKey);
  });
});

describe('cms keys generate --type secp256k1', () => {
  it('writes a 0600 did:pkh key that export-public and import understand', async () => {
    const dir = await tempDir();
    const out = join(dir, 'eth.json');
    const r = await runCli(['keys', 'generate', '--type', 'secp256k1', '--out', out, '--json'], {});
    expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
    const saved = JSON.parse(await readFile(out, 'utf8'));
    expect(saved).toMatchObject({ type: 'secp256k1', chainId: 1 });
    expect(saved.did).toBe(`did:pkh:eip155:1:${saved.address}`);
    expect(permissions((await stat(out)).mode)).toBe(0o600);
    const { privateKeyToAccount } = await import('viem/accounts');
    expect(privateKeyToAccount(saved.privateKey).address).toBe(saved.address);
    expect(JSON.parse(r.stdout)).toEqual({
      did: saved.did,
      type: 'secp256k1',
      address: saved.address,
      chainId: 1,
      publicKey: saved.publicKey,
      keyFile: out,
    });
    expect(r.stdout).not.toContain(saved.privateKey.slice(2));

    const jwk = JSON.parse(
      (await runCli(['keys', 'export-public', '--key', out, '--format', 'jwk', '--json'], {})).stdout,
    );
    expect(jwk.publicKey).toMatchObject({ kty: 'EC', crv: 'secp256k1', kid: saved.did });
    expect(jwk.publicKey.d).toBeUndefined();
    expect((await runCli(['keys', 'export-public', '--key', out, '--format', 'multibase'], {})).code).toBe(2);

    // A private EC JWK imports as the same did:pkh.
    const ecJwk = {
      kty: 'EC',
      crv: 'secp256k1',
      d: Buffer.from(saved.privateKey.slice(2), 'hex').toString('base64url'),
    };
    await writeFile(join(dir, 'eth.jwk'), JSON.stringify(ecJwk));
    const imported = await runCli(
      ['keys', 'import', join(dir, 'eth.jwk'), '--out', join(dir, 'eth2.json'), '--json'],
      {},
    );
    expect(JSON.parse(imported.stdout).did).toBe(saved.did);
    expect(imported.stdout).not.toContain(ecJwk.d);
  });
});
