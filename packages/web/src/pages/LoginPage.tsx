// Sign in with the key this browser holds, or make one (or bring one from a backup file, or a wallet).
import { useAuth } from '@cms/react';
import type { LoginSigner } from '@cms/sdk';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ErrorMessage } from '../components/ErrorMessage';
import { Mono } from '../components/Hash';
import { parseBackup } from '../identity/backup';
import { createIdentity, importIdentity, supportsWebCryptoEd25519 } from '../identity/browser-key';
import { useIdentity } from '../identity/identity-context';
import { connectWallet, injectedWallet } from '../identity/wallet';

const MIN_PASSPHRASE = 8;

export default function LoginPage() {
  const { login } = useAuth();
  const { identity, adopt, signer, locked } = useIdentity();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next')?.startsWith('/') ? params.get('next')! : '/';
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [importFile, setImportFile] = useState<File>();
  const [importPassphrase, setImportPassphrase] = useState('');

  const run = async (work: () => Promise<LoginSigner>) => {
    setBusy(true);
    setError(undefined);
    try {
      await login(await work());
      navigate(next, { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const signIn = (e: FormEvent) => {
    e.preventDefault();
    void run(() => signer(locked ? passphrase : undefined));
  };
  const create = (e: FormEvent) => {
    e.preventDefault();
    if (passphrase !== confirm) return setError(new Error('The passphrases differ.'));
    void run(async () => {
      const created = await createIdentity(passphrase);
      await adopt(created);
      const { identitySigner } = await import('../identity/browser-key');
      return identitySigner(created, passphrase);
    });
  };
  const restore = (e: FormEvent) => {
    e.preventDefault();
    if (!importFile) return;
    void run(async () => {
      const imported = await importIdentity(parseBackup(await importFile.text()), importPassphrase);
      await adopt(imported);
      const { identitySigner } = await import('../identity/browser-key');
      return identitySigner(imported, importPassphrase);
    });
  };
  const wallet = injectedWallet();

  return (
    <main id="main" className="page narrow">
      <h1>Sign in to CMS</h1>
      <p className="muted">
        You sign in, and sign contracts, with a key that never leaves this browser: only signatures are sent.
      </p>
      <ErrorMessage error={error} />
      {identity === undefined && <p role="status">Looking for this browser’s key…</p>}
      {identity && (
        <section className="card" aria-labelledby="existing">
          <h2 id="existing">Your key in this browser</h2>
          <p>
            <Mono label="Your DID">{identity.did}</Mono>
          </p>
          <p className="muted small">
            {identity.kind === 'webcrypto'
              ? 'Kept as a non-extractable WebCrypto key.'
              : 'Kept sealed under your passphrase.'}
          </p>
          <form onSubmit={signIn}>
            {locked && (
              <label className="field">
                <span>Passphrase</span>
                <input
                  type="password"
                  autoComplete="current-password"
                  value={passphrase}
                  onChange={(e) => setPassphrase(e.target.value)}
                  required
                />
              </label>
            )}
            <button type="submit" className="button primary" disabled={busy}>
              Sign in
            </button>
          </form>
        </section>
      )}
      {identity === null && (
        <section className="card" aria-labelledby="create">
          <h2 id="create">Create your key</h2>
          <p className="muted small">
            A new did:key is made here. The passphrase protects its backup file (Settings → Export backup){' '}
            <PassphraseNote />.
          </p>
          <form onSubmit={create}>
            <label className="field">
              <span>Backup passphrase (at least {MIN_PASSPHRASE} characters)</span>
              <input
                type="password"
                name="new-passphrase"
                autoComplete="new-password"
                minLength={MIN_PASSPHRASE}
                value={passphrase}
                onChange={(e) => setPassphrase(e.target.value)}
                required
              />
            </label>
            <label className="field">
              <span>Repeat the passphrase</span>
              <input
                type="password"
                name="confirm-passphrase"
                autoComplete="new-password"
                minLength={MIN_PASSPHRASE}
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
                required
              />
            </label>
            <button type="submit" className="button primary" disabled={busy}>
              Create key and sign in
            </button>
          </form>
        </section>
      )}
      <section className="card" aria-labelledby="import">
        <h2 id="import">Use a key from a backup file</h2>
        <form onSubmit={restore}>
          <label className="field">
            <span>Backup file</span>
            <input
              type="file"
              name="backup"
              accept="application/json,.json"
              onChange={(e) => setImportFile(e.target.files?.[0])}
              required
            />
          </label>
          <label className="field">
            <span>Its passphrase</span>
            <input
              type="password"
              name="backup-passphrase"
              autoComplete="off"
              value={importPassphrase}
              onChange={(e) => setImportPassphrase(e.target.value)}
              required
            />
          </label>
          <button type="submit" className="button" disabled={busy || !importFile}>
            Import and sign in
          </button>
        </form>
      </section>
      {wallet && (
        <section className="card" aria-labelledby="wallet">
          <h2 id="wallet">Ethereum wallet</h2>
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void run(() => connectWallet(wallet))}
          >
            Sign in with your wallet (did:pkh)
          </button>
        </section>
      )}
      <p>
        <Link to="/verify">Verify a contract without signing in</Link>
      </p>
    </main>
  );
}

function PassphraseNote() {
  const [supported, setSupported] = useState<boolean>();
  useEffect(() => void supportsWebCryptoEd25519().then(setSupported), []);
  if (supported === false) return <>and, since this browser cannot keep Ed25519 keys in WebCrypto, the key itself</>;
  return <>; the key itself is kept as a non-extractable WebCrypto key</>;
}
