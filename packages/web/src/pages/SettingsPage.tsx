// Identity (DID, how the key is kept, encrypted backup) and sessions (revoke one, sign out everywhere).
// The organization (members, invitations, service accounts) has its own page. And the server's enclave,
// with a fresh attestation verified in the browser.
import { useAuth, useRevokeSession, useSessions } from '@cms/react';
import { useState } from 'react';
import { useCurrentToken } from '../app/session';
import { ErrorMessage } from '../components/ErrorMessage';
import { Mono } from '../components/Hash';
import { downloadFile } from '../identity/download';
import { useIdentity } from '../identity/identity-context';
import { EnclaveStatus } from './settings/EnclaveStatus';

export default function SettingsPage() {
  const { identity } = useIdentity();
  const { logout } = useAuth();
  const token = useCurrentToken();
  const sessions = useSessions();
  const revoke = useRevokeSession();
  const [error, setError] = useState<unknown>();

  const signOutEverywhere = async () => {
    setError(undefined);
    try {
      for (const s of sessions.data ?? []) if (s.id !== token?.sessionId) await revoke.mutateAsync(s.id);
      logout();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <h1>Settings</h1>
      <section className="card" aria-labelledby="identity">
        <h2 id="identity">Your identity</h2>
        <p>
          <Mono label="Your DID">{identity?.did ?? token?.did}</Mono>
        </p>
        <p className="muted small">
          {identity?.kind === 'webcrypto'
            ? 'The private key is a non-extractable WebCrypto key in this browser’s IndexedDB.'
            : 'The private key is kept sealed under your passphrase.'}
        </p>
        {identity && (
          <button
            type="button"
            className="button"
            onClick={() =>
              downloadFile(`cms-key-${identity.did.slice(-8)}.json`, JSON.stringify(identity.backup, null, 2))
            }
          >
            Export backup (encrypted with your passphrase)
          </button>
        )}
      </section>
      <section className="card" aria-labelledby="sessions">
        <h2 id="sessions">Sessions</h2>
        <ErrorMessage error={sessions.error ?? error} />
        <ul className="plain">
          {sessions.data?.map((s) => (
            <li key={s.id} className="row between">
              <span>
                {s.current ? 'This browser' : 'Another session'}{' '}
                <span className="muted small">since {new Date(s.createdAt).toLocaleString()}</span>
              </span>
              {s.id !== token?.sessionId && (
                <button type="button" className="button ghost" onClick={() => revoke.mutate(s.id)}>
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
        <button type="button" className="button danger" onClick={() => void signOutEverywhere()}>
          Sign out everywhere
        </button>
      </section>
      <EnclaveStatus />
    </>
  );
}
