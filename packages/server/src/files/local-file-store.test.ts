import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localFileStore } from './local-file-store.js';

const root = mkdtempSync(join(tmpdir(), 'cms-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const store = localFileStore(root);
const org = '0190c3c0-0000-7000-8000-000000000000';
const key = (n: string) => `${org}/${n.repeat(64)}.0190c3c0-0000-7000-8000-00000000000${n}`;

async function* pieces(...parts: string[]) {
  for (const p of parts) yield Buffer.from(p);
}
async function* failing() {
  yield Buffer.from('partial');
  throw new Error('client went away');
}

describe('local file store', () => {
  it('stores a blob as a 0600 file and reads byte ranges of it', async () => {
    await store.put(key('a'), pieces('hello ', 'world'));
    expect(statSync(join(root, key('a'))).mode & 0o777).toBe(0o600);
    expect(Buffer.from(await store.read(key('a'), 6, 5)).toString()).toBe('world');
    await expect(store.read(key('a'), 6, 50)).rejects.toThrow('shorter than expected');
  });

  it('leaves nothing behind when the source fails midway', async () => {
    await expect(store.put(key('b'), failing())).rejects.toThrow('client went away');
    expect(readdirSync(join(root, org)).filter((f) => f.includes('b'.repeat(64)))).toEqual([]);
  });

  it('deletes blobs and refuses keys that could escape its directory', async () => {
    await store.delete(key('a'));
    await expect(store.read(key('a'), 0, 1)).rejects.toThrow();
    await expect(store.put('../../etc/passwd', pieces('x'))).rejects.toThrow('invalid blob key');
    await expect(store.read(`${org}/../x`, 0, 1)).rejects.toThrow('invalid blob key');
  });
});
