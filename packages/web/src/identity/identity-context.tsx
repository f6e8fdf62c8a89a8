// The browser-held identity for the whole app: loaded from IndexedDB once, replaced on create/import,
// and the signer that signs logins and contracts with it.
import type { DidSigner } from '@cms/sdk';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { identitySigner, type StoredIdentity } from './browser-key';
import { forgetIdentity, loadIdentity, saveIdentity } from './key-store';

interface IdentityContextValue {
  /** `undefined` while loading, `null` when this browser has no identity yet. */
  identity: StoredIdentity | null | undefined;
  adopt(identity: StoredIdentity): Promise<void>;
  forget(): Promise<void>;
  /** The signer; a sealed key needs `passphrase` the first time (then it stays unlocked in memory for this page). */
  signer(passphrase?: string): Promise<DidSigner>;
  /** True when signing needs a passphrase first. */
  locked: boolean;
}

const IdentityContext = createContext<IdentityContextValue | undefined>(undefined);

export function IdentityProvider({ children }: { children: ReactNode }) {
  const [identity, setIdentity] = useState<StoredIdentity | null | undefined>(undefined);
  const unlocked = useRef<DidSigner | undefined>(undefined);
  const [locked, setLocked] = useState(true);

  useEffect(() => {
    loadIdentity().then(
      (stored) => {
        setIdentity(stored ?? null);
        setLocked(stored?.kind === 'sealed');
      },
      () => setIdentity(null),
    );
  }, []);

  const adopt = useCallback(async (next: StoredIdentity) => {
    await saveIdentity(next);
    unlocked.current = undefined;
    setIdentity(next);
    setLocked(next.kind === 'sealed');
  }, []);
  const forget = useCallback(async () => {
    await forgetIdentity();
    unlocked.current = undefined;
    setIdentity(null);
  }, []);
  const signer = useCallback(
    async (passphrase?: string) => {
      if (!identity) throw new Error('This browser has no identity yet.');
      if (unlocked.current?.did === identity.did) return unlocked.current;
      const s = await identitySigner(identity, passphrase);
      unlocked.current = s;
      setLocked(false);
      return s;
    },
    [identity],
  );
  const value = useMemo(() => ({ identity, adopt, forget, signer, locked }), [identity, adopt, forget, signer, locked]);
  return <IdentityContext.Provider value={value}>{children}</IdentityContext.Provider>;
}

export function useIdentity(): IdentityContextValue {
  const value = useContext(IdentityContext);
  if (!value) throw new Error('useIdentity must be used inside <IdentityProvider>.');
  return value;
}
