import { describe, expect, it } from 'vitest';
import { DEFAULT_CHROMIUM_PATH, findChromium, isCi } from './browser.js';

const existing =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);

describe('findChromium', () => {
  it('uses CMS_CHROMIUM_PATH first, even when /usr/bin/chromium exists', () => {
    const env = { CMS_CHROMIUM_PATH: '/opt/chrome/chrome' };
    expect(findChromium('suite', { env, exists: existing('/opt/chrome/chrome', DEFAULT_CHROMIUM_PATH) })).toEqual({
      found: true,
      executablePath: '/opt/chrome/chrome',
    });
  });

  it('falls back to /usr/bin/chromium', () => {
    expect(findChromium('suite', { env: {}, exists: existing(DEFAULT_CHROMIUM_PATH) })).toEqual({
      found: true,
      executablePath: DEFAULT_CHROMIUM_PATH,
    });
    expect(
      findChromium('suite', { env: { CMS_CHROMIUM_PATH: ' ' }, exists: existing(DEFAULT_CHROMIUM_PATH) }),
    ).toMatchObject({
      executablePath: DEFAULT_CHROMIUM_PATH,
    });
  });

  it('outside CI, without a browser, says in one line what it skips and how to run it', () => {
    for (const env of [{}, { CI: 'false' }, { CI: '0' }, { CI: '' }]) {
      const lookup = findChromium('the browser-signing example', { env, exists: existing() });
      expect(lookup.found).toBe(false);
      const line = lookup.found ? '' : lookup.skipLine;
      expect(line).not.toContain('\n');
      expect(line).toMatch(/^skipped the browser-signing example: no Chromium/);
      expect(line).toContain('CMS_CHROMIUM_PATH');
      expect(line).toContain('apt-get install -y chromium');
    }
  });

  it('under CI=true a missing browser is a failure, never a skip', () => {
    for (const CI of ['true', '1', 'TRUE']) {
      expect(() => findChromium('the browser-signing example', { env: { CI }, exists: existing() })).toThrow(
        /the browser-signing example: no Chromium .*under CI=true a missing browser fails the run/,
      );
    }
  });

  it('a CMS_CHROMIUM_PATH that does not exist fails, in CI or not, even when /usr/bin/chromium exists', () => {
    for (const env of [{ CMS_CHROMIUM_PATH: '/nope/chromium' }, { CMS_CHROMIUM_PATH: '/nope/chromium', CI: 'true' }]) {
      expect(() => findChromium('suite', { env, exists: existing(DEFAULT_CHROMIUM_PATH) })).toThrow(
        'suite: CMS_CHROMIUM_PATH=/nope/chromium does not exist',
      );
    }
  });
});

describe('isCi', () => {
  it('reads CI the way CI services set it', () => {
    expect([undefined, '', 'false', '0', 'true', '1', 'yes'].map((CI) => isCi(CI === undefined ? {} : { CI }))).toEqual(
      [false, false, false, false, true, true, true],
    );
  });
});
