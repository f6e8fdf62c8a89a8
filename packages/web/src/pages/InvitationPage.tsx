// Accepting an invitation from its link (`/invitations/<id>`): the invitee, signed in with the invited DID,
// proves control of it with the browser key, joins, and then works in the organization they joined.
import { cmsKeys, useCmsClient } from '@cms/react';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorMessage } from '../components/ErrorMessage';
import { Mono } from '../components/Hash';
import { useIdentity } from '../identity/identity-context';
import { useMyInvitations } from './organization/use-my-invitations';

export default function InvitationPage() {
  const { invitationId = '' } = useParams();
  const cms = useCmsClient();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { signer, locked, identity } = useIdentity();
  const mine = useMyInvitations();
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  if (mine.isPending) return <p role="status">Loading the invitation…</p>;
  const invitation = mine.data?.find((i) => i.id === invitationId);
  if (invitation?.status !== 'pending')
    return (
      <>
        <h1>Invitation</h1>
        <ErrorMessage error={mine.error} />
        <p>
          This invitation is not open for you: it was accepted, revoked or has expired, or it invites a DID you are not
          signed in with.
        </p>
        <Link to="/organization">Your organization</Link>
      </>
    );

  const accept = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const joined = await cms.invitations.accept(invitation.id, await signer(locked ? passphrase : undefined));
      await cms.auth.refresh({ organizationId: joined.id });
      await queryClient.resetQueries({ queryKey: cmsKeys.all });
      navigate('/organization');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>Join {invitation.organizationName}</h1>
      <form className="card" onSubmit={accept}>
        <p>
          You are invited as <strong>{invitation.role}</strong> by <Mono>{invitation.invitedBy}</Mono>, until{' '}
          {new Date(invitation.expiresAt).toLocaleString()}.
        </p>
        <p className="muted small">
          Accepting signs a proof with your browser key that you control <Mono>{invitation.did}</Mono>.
        </p>
        {locked && identity?.kind === 'sealed' && (
          <label className="field">
            <span>Key passphrase</span>
            <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} required />
          </label>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Joining…' : `Accept and join ${invitation.organizationName}`}
        </button>
        <ErrorMessage error={error} />
      </form>
    </>
  );
}
