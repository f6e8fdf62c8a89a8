// Where the client keeps its tokens between calls (and, with a persistent adapter, between runs).
// Refresh tokens are single use: whatever holds them must be updated on every refresh, which the
// client does through `set`.
import type { components } from '../generated/schema.js';

export type AuthToken = components['schemas']['AuthToken'];

/** Pluggable token storage: `get` the last pair, `set` a new one or `undefined` on logout. */
export interface TokenStorage {
  get(): AuthToken | undefined | Promise<AuthToken | undefined>;
  set(token: AuthToken | undefined): void | Promise<void>;
}

/** Keeps tokens in this process only: the default; nothing survives a restart. */
export function memoryTokenStorage(): TokenStorage {
  let current: AuthToken | undefined;
  return {
    get: () => current,
    set: (token) => {
      current = token;
    },
  };
}

/**
 * Keeps tokens in a Web Storage area (browsers). Anything running on the page can read them there,
 * so prefer `sessionStorage` and a strict Content-Security-Policy.
 * @example
 * createCmsClient({ baseUrl, tokenStorage: webStorageTokenStorage(sessionStorage) });
 */
export function webStorageTokenStorage(storage?: Storage, key = 'cms.auth'): TokenStorage {
  const area = () => {
    const s = storage ?? (globalThis as { localStorage?: Storage }).localStorage;
    if (!s) throw new TypeError('webStorageTokenStorage: no Storage given and no localStorage here');
    return s;
  };
  return {
    get() {
      const stored = area().getItem(key);
      if (stored === null) return undefined;
      try {
        return JSON.parse(stored) as AuthToken;
      } catch {
        return undefined;
      }
    },
    set(token) {
      if (token === undefined) area().removeItem(key);
      else area().setItem(key, JSON.stringify(token));
    },
  };
}
