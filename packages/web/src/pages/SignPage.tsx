// The signing ceremony: review the contract, see its content hash recomputed here, consent explicitly,
// sign with the key that never leaves this browser, then watch the signature and its anchor arrive live.
// Every control is a native one, in reading order: the ceremony is operable with the keyboard alone.
import { useContract, useSignContract } from '@cms/react';
import { computeContentHash, contractContent } from '@cms/sdk';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useContractRole } from '../app/use-owner';
import { ErrorMessage } from '../components/ErrorMessage';
import { Mono } from '../components/Hash';
import { StatusBadge } from '../components/StatusBadge';
import { useIdentity } from '../identity/identity-context';
import { DocumentsPanel } from './contract/DocumentsPanel';

/** ESIGN Act (15 U.S.C. § 7001) / UETA-style consent to sign electronically. */
export const CONSENT_TEXT =
  'I agree to sign this contract electronically. My electronic signature, made with the key held in this browser, ' +
  'has the same legal effect as a handwritten signature. I have reviewed the contract above, and I may download ' +
  'its evidence bundle at any time.';

export default function SignPage() {
  const { contractId = '' } = useParams();
  const contract = useContract(contractId);
  const sign = useSignContract();
  const { signer, locked, identity } = useIdentity();
  const { party } = useContractRole(contract.data);
  const [localHash, setLocalHash] = useState<string>();
  const [consent, setConsent] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [signError, setSignError] = useState<unknown>();
  const resultRef = useRef<HTMLHeadingElement>(null);

  const c = contract.data;
  useEffect(() => {
    if (c) void computeContentHash(contractContent(c)).then(setLocalHash);
  }, [c]);

  const signed = party?.status === 'signed';
  useEffect(() => {
    if (signed) resultRef.current?.focus();
  }, [signed]);

  if (contract.isPending) return <p role="status">Loading contract…</p>;
  if (contract.isError || !c) return <ErrorMessage error={contract.error} />;
  if (!party) {
    return (
      <>
        <h1>{c.title}</h1>
        <p>You are not a party to this contract.</p>
        <Link to={`/contracts/${c.id}`}>Back to the contract</Link>
      </>
    );
  }
  const hashMatches = localHash !== undefined && localHash === c.contentHash;
  const canSign =
    !signed &&
    hashMatches &&
    consent &&
    ['pending', 'partially_signed'].includes(c.status) &&
    (party.status === 'sent' || party.status === 'viewed');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSignError(undefined);
    try {
      const s = await signer(locked ? passphrase : undefined);
      await sign.mutateAsync({ contractId: c.id, signer: s });
    } catch (error) {
      setSignError(error);
    }
  };

  return (
    <>
      <h1>Sign: {c.title}</h1>
      <p>
        <StatusBadge status={c.status} />{' '}
        <span className="muted">
          You sign as {party.name ?? 'yourself'} ({party.role}, signing order {party.signingOrder}).
        </span>
      </p>
      <section className="card" aria-labelledby="review">
        <h2 id="review">1. Review</h2>
        {c.body ? (
          <pre className="contract-body">{c.body}</pre>
        ) : (
          <p className="muted">This contract has no text of its own; its terms follow.</p>
        )}
        {Object.keys(c.terms).length > 0 && <pre className="mono small">{JSON.stringify(c.terms, null, 2)}</pre>}
        <DocumentsPanel contract={c} checkHashes />
      </section>
      <section className="card" aria-labelledby="integrity">
        <h2 id="integrity">2. Check what you sign</h2>
        <dl className="facts">
          <dt>Content hash (server)</dt>
          <dd>
            <Mono>{c.contentHash}</Mono>
          </dd>
          <dt>Content hash (recomputed in this browser)</dt>
          <dd>
            <Mono>{localHash ?? 'computing…'}</Mono>
          </dd>
        </dl>
        <p role="status" data-testid="hash-check" className={hashMatches ? 'ok' : 'field-error'}>
          {localHash === undefined
            ? 'Recomputing…'
            : hashMatches
              ? 'The hashes match: you sign exactly what is shown.'
              : 'The hashes differ: do not sign.'}
        </p>
      </section>
      <form className="card" aria-labelledby="consent-heading" onSubmit={submit}>
        <h2 id="consent-heading">3. Consent and sign</h2>
        <p id="consent-text">{CONSENT_TEXT}</p>
        <label className="check">
          <input
            type="checkbox"
            name="consent"
            checked={consent}
            onChange={(e) => setConsent(e.target.checked)}
            aria-describedby="consent-text"
            disabled={signed}
          />
          <span>I agree to sign electronically</span>
        </label>
        {locked && identity?.kind === 'sealed' && (
          <label className="field">
            <span>Key passphrase</span>
            <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} required />
          </label>
        )}
        <button type="submit" className="button primary" disabled={!canSign || sign.isPending}>
          {sign.isPending ? 'Signing…' : 'Sign with my browser key'}
        </button>
        <ErrorMessage error={signError} />
      </form>
      <section className="card" aria-labelledby="result" aria-live="polite">
        <h2 id="result" ref={resultRef} tabIndex={-1}>
          4. Recorded
        </h2>
        <ol className="steps">
          <li data-step="signature" data-done={signed}>
            {signed
              ? `Signature recorded ${party.completedAt ? new Date(party.completedAt).toLocaleString() : ''}`
              : 'Not signed yet'}
          </li>
          <li data-step="anchor" data-done={signed && c.ledger.status === 'confirmed'}>
            {!signed
              ? 'Anchoring follows the signature'
              : c.ledger.status === 'confirmed'
                ? `Anchored on chain in block ${c.ledger.blockNumber}, transaction ${c.ledger.transactionHash}`
                : 'Waiting for the anchor on chain…'}
          </li>
        </ol>
        <Link to={`/contracts/${c.id}`}>Open the contract</Link>
      </section>
    </>
  );
}
