// IndexedDB keeps the identity across reloads. A CryptoKey is stored as itself (structured clone): its
// non-extractable flag survives, so what is stored can sign and never be read out.
import type { StoredIdentity } from './browser-key';

const DB_NAME = 'cms-web';
const STORE = 'identity';
const KEY = 'current';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run<T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = op(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

export const loadIdentity = () =>
  run<StoredIdentity | undefined>('readonly', (s) => s.get(KEY) as IDBRequest<StoredIdentity | undefined>);
export const saveIdentity = (identity: StoredIdentity) =>
  run('readwrite', (s) => s.put(identity, KEY)).then(() => undefined);
export const forgetIdentity = () => run('readwrite', (s) => s.delete(KEY)).then(() => undefined);
