import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDataKey, unwrapDataKey } from './data-keys.js';
import { KEK_FILE, openKekRing } from './kek-ring.js';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'kek-ring-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const context = { organizationId: 'org', purpose: 'test', objectId: 'o1' };

describe('KEK ring', () => {
  it('is one 0600 file; two enclaves sharing it see each other’s rotation and retirement', () => {
    const dir = fresh();
    let t = 0;
    const a = openKekRing(dir, { reloadIntervalMs: 10, now: () => t });
    const b = openKekRing(dir, { reloadIntervalMs: 10, now: () => t });
    expect(statSync(join(dir, KEK_FILE)).mode & 0o777).toBe(0o600);
    const old = generateDataKey(a, context);
    expect(a.rotate()).toBe(2);
    // b has not reloaded yet, but a key naming the unknown version makes it look at once.
    const fresh2 = generateDataKey(a, context);
    expect(unwrapDataKey(b, fresh2.wrappedKey, context)).toEqual(fresh2.plaintextKey);
    t += 20;
    expect(b.current().version).toBe(2);
    a.retire(1);
    t += 20;
    expect(() => unwrapDataKey(b, old.wrappedKey, context)).toThrow('KEK version 1 has been retired');
    expect(JSON.parse(readFileSync(join(dir, KEK_FILE), 'utf8')).keks[0].key).toBeNull();
    expect(() => a.retire(2)).toThrow('is current');
  });
});
