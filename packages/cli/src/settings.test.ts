import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from './cli-errors.js';
import { normaliseServerUrl, resolveSettings } from './settings.js';

describe('resolveSettings', () => {
  it('prefers --server, then CMS_SERVER, then the profile, then localhost:8080', async () => {
    const cfg = await mkdtemp(join(tmpdir(), 'cms-settings-'));
    const env = { CMS_SERVER: 'https://env.example', CMS_CONFIG_DIR: cfg };
    expect(resolveSettings({ server: 'https://flag.example/' }, env)).toEqual({
      server: 'https://flag.example',
      json: false,
      output: 'human',
      configDir: cfg,
      profile: 'default',
      profileDir: cfg,
      keyFile: join(cfg, 'key.json'),
      serverIsDefault: false,
    });
    expect(resolveSettings({ json: true }, env)).toMatchObject({ server: 'https://env.example', json: true });
    expect(resolveSettings({ jsonl: true }, env)).toMatchObject({ output: 'jsonl', json: true });
    expect(resolveSettings({}, { HOME: '/home/u' })).toMatchObject({
      server: 'http://localhost:8080',
      configDir: '/home/u/.config/cms',
    });
    expect(resolveSettings({}, { HOME: '/home/u', XDG_CONFIG_HOME: '/xdg' })).toMatchObject({
      configDir: '/xdg/cms',
      keyFile: '/xdg/cms/key.json',
    });

    await writeFile(
      join(cfg, 'config.json'),
      JSON.stringify({ profiles: { staging: { server: 'https://staging.example', output: 'jsonl', key: '/k.json' } } }),
    );
    expect(resolveSettings({ profile: 'staging' }, { CMS_CONFIG_DIR: cfg })).toEqual({
      server: 'https://staging.example',
      json: true,
      output: 'jsonl',
      configDir: cfg,
      profile: 'staging',
      profileDir: join(cfg, 'profiles', 'staging'),
      keyFile: '/k.json',
      serverIsDefault: false,
    });
    expect(
      resolveSettings(
        {},
        { CMS_CONFIG_DIR: cfg, CMS_PROFILE: 'staging', CMS_SERVER: 'https://e', CMS_OUTPUT: 'human' },
      ),
    ).toMatchObject({ profile: 'staging', server: 'https://e', output: 'human' });
    expect(() => resolveSettings({ profile: '../x' }, { CMS_CONFIG_DIR: cfg })).toThrow(UsageError);
  });
});

describe('normaliseServerUrl', () => {
  it('gives one spelling per server', () => {
    expect(normaliseServerUrl('HTTP://Example.COM:8080/')).toBe('http://example.com:8080');
    expect(normaliseServerUrl('https://example.com/cms//')).toBe('https://example.com/cms');
  });
  it('rejects what is not a plain http(s) URL, without echoing credentials', () => {
    expect(() => normaliseServerUrl('localhost:8080')).toThrow('server URL must be http(s): "localhost:8080"');
    expect(() => normaliseServerUrl('nope')).toThrowError(new UsageError('invalid server URL "nope"'));
    expect(() => normaliseServerUrl('https://user:s3cret@example.com')).toThrow(
      /^server URL must not carry credentials/,
    );
    expect(() => normaliseServerUrl('https://user:s3cret@example.com')).not.toThrow(/s3cret/);
  });
});
