import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileTokenStorage as browserFileTokenStorage } from '../platform/browser.js';
import { fileTokenStorage } from '../platform/node.js';
import { type AuthToken, memoryTokenStorage, webStorageTokenStorage } from './token-storage.js';

const token = { accessToken: 'a', refreshToken: 'cmsr_1', expiresIn: 900 } as AuthToken;

/** A Web Storage area backed by a Map (the interface localStorage and sessionStorage share). */
class MapStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe('memoryTokenStorage', () => {
  it('keeps the last token until cleared', () => {
    const storage = memoryTokenStorage();
    expect(storage.get()).toBeUndefined();
    storage.set(token);
    expect(storage.get()).toEqual(token);
    storage.set(undefined);
    expect(storage.get()).toBeUndefined();
  });
});

describe('webStorageTokenStorage', () => {
  it('keeps the token as JSON under its key and removes it on logout', () => {
    const area = new MapStorage();
    const storage = webStorageTokenStorage(area, 'my-app.cms');
    storage.set(token);
    expect(JSON.parse(area.getItem('my-app.cms')!)).toEqual(token);
    expect(webStorageTokenStorage(area, 'my-app.cms').get()).toEqual(token);
    storage.set(undefined);
    expect(area.length).toBe(0);
  });

  it('treats an unreadable entry as no token, and explains a missing localStorage', () => {
    const area = new MapStorage();
    area.setItem('cms.auth', '{not json');
    expect(webStorageTokenStorage(area).get()).toBeUndefined();
    expect(() => webStorageTokenStorage().get()).toThrow('no Storage given and no localStorage here');
  });
});

describe('fileTokenStorage', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    const { rm } = await import('node:fs/promises');
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('writes the token to a file only its owner can read (0600), and deletes it on logout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cms-sdk-'));
    dirs.push(dir);
    const path = join(dir, 'nested', 'token.json');
    const storage = fileTokenStorage(path);
    expect(await storage.get()).toBeUndefined();
    await storage.set(token);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(token);
    await storage.set({ ...token, refreshToken: 'cmsr_2' });
    expect(await fileTokenStorage(path).get()).toMatchObject({ refreshToken: 'cmsr_2' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await storage.set(undefined);
    expect(await storage.get()).toBeUndefined();
  });

  it('is refused in the browser build', () => {
    expect(() => browserFileTokenStorage('/tmp/x')).toThrow('fileTokenStorage is only available in Node');
  });
});
