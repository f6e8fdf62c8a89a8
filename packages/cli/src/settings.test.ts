import { describe, expect, it } from 'vitest';
import { UsageError } from './cli-errors.js';
import { normaliseServerUrl, resolveSettings } from './settings.js';

describe('resolveSettings', () => {
  it('prefers --server, then CMS_SERVER, then localhost:8080', () => {
    const env = { CMS_SERVER: 'https://env.example', CMS_CONFIG_DIR: '/cfg' };
    expect(resolveSettings({ server: 'https://flag.example/' }, env)).toEqual({
      server: 'https://flag.example',
      json: false,
      configDir: '/cfg',
    });
    expect(resolveSettings({ json: true }, env)).toEqual({
      server: 'https://env.example',
      json: true,
      configDir: '/cfg',
    });
    expect(resolveSettings({}, { HOME: '/home/u' })).toEqual({
      server: 'http://localhost:8080',
      json: false,
      configDir: '/home/u/.config/cms',
    });
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
