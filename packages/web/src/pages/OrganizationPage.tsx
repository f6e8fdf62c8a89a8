// The organization: which one you work in (switch), its members and their roles, invitations (invite a DID,
// copy the link, revoke), service accounts, and invitations waiting for you. Owners and admins manage; the
// others read what the API lets them read.
import {
  cmsKeys,
  useCmsClient,
  useCmsMutation,
  useInvitations,
  useMembers,
  useOrganizations,
  useServiceAccounts,
} from '@cms/react';
import type { Role } from '@cms/sdk';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { useCurrentToken } from '../app/session';
import { ErrorMessage } from '../components/ErrorMessage';
import { Mono, shortDid } from '../components/Hash';
import { useMyInvitations } from './organization/use-my-invitations';

const ROLES: Role[] = ['owner', 'admin', 'member', 'auditor', 'viewer'];
const DID_PATTERN = '^did:[a-z0-9]+:.+$';

export default function OrganizationPage() {
  const token = useCurrentToken();
  const organizationId = token?.organizationId ?? '';
  const manages = !!token?.roles.some((r) => r === 'owner' || r === 'admin');
  const organizations = useOrganizations();
  const current = organizations.data?.find((o) => o.id === organizationId);

  return (
    <>
      <h1>Organization{current ? `: ${current.name}` : ''}</h1>
      <SwitchOrganization />
      <MyInvitations />
      <Members organizationId={organizationId} manages={manages} />
      {manages && <Invitations organizationId={organizationId} />}
      {manages && <ServiceAccounts organizationId={organizationId} />}
    </>
  );
}

function SwitchOrganization() {
  const cms = useCmsClient();
  const queryClient = useQueryClient();
  const token = useCurrentToken();
  const organizations = useOrganizations();
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const workIn = async (organizationId: string) => {
    await cms.auth.refresh({ organizationId });
    // Everything cached belongs to the organization we just left.
    await queryClient.resetQueries({ queryKey: cmsKeys.all });
  };
  const run = (work: () => Promise<void>) => {
    setError(undefined);
    work().catch(setError);
  };
  const create = (e: FormEvent) => {
    e.preventDefault();
    run(async () => {
      const created = await cms.organizations.create({ name: name.trim() });
      setName('');
      await workIn(created.id);
    });
  };
  return (
    <section className="card" aria-labelledby="switch">
      <h2 id="switch">Work in</h2>
      {organizations.data && organizations.data.length > 1 && (
        <label className="field">
          <span>Organization</span>
          <select name="organization" value={token?.organizationId} onChange={(e) => run(() => workIn(e.target.value))}>
            {organizations.data.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name} ({o.role})
              </option>
            ))}
          </select>
        </label>
      )}
      <form className="row wrap end" onSubmit={create}>
        <label className="field grow">
          <span>New organization</span>
          <input
            name="organization-name"
            required
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <button type="submit" className="button">
          Create and work in it
        </button>
      </form>
      <ErrorMessage error={error ?? organizations.error} />
    </section>
  );
}

function MyInvitations() {
  const mine = useMyInvitations();
  const pending = mine.data?.filter((i) => i.status === 'pending') ?? [];
  if (pending.length === 0) return null;
  return (
    <section className="card" aria-labelledby="my-invitations">
      <h2 id="my-invitations">Invitations for you</h2>
      <ul className="plain">
        {pending.map((i) => (
          <li key={i.id}>
            <Link to={`/invitations/${i.id}`}>
              Join {i.organizationName} as {i.role}
            </Link>{' '}
            <span className="muted small">until {new Date(i.expiresAt).toLocaleDateString()}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Members({ organizationId, manages }: { organizationId: string; manages: boolean }) {
  const token = useCurrentToken();
  const members = useMembers(organizationId, { enabled: !!organizationId });
  const setRole = useCmsMutation({
    hook: 'useSetMemberRole',
    run: (cms, v: { userId: string; role: Role }) => cms.members.setRole(organizationId, v.userId, v.role),
    onSuccessCache: (qc) => qc.invalidateQueries({ queryKey: cmsKeys.account.members(organizationId) }),
  });
  const remove = useCmsMutation({
    hook: 'useRemoveMember',
    run: (cms, userId: string) => cms.members.remove(organizationId, userId),
    onSuccessCache: (qc) => qc.invalidateQueries({ queryKey: cmsKeys.account.members(organizationId) }),
  });
  return (
    <section className="card" aria-labelledby="members">
      <h2 id="members">Members</h2>
      <ErrorMessage error={members.error ?? setRole.error ?? remove.error} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Role</th>
            <th scope="col">Joined</th>
            {manages && <th scope="col">Remove</th>}
          </tr>
        </thead>
        <tbody>
          {members.data?.map((m) => {
            const label = m.name ?? (m.dids[0] ? shortDid(m.dids[0]) : m.userId);
            const self = !!token && m.dids.includes(token.did);
            return (
              <tr key={m.userId} data-member={m.userId}>
                <td>
                  {label} {m.kind === 'service' && <span className="muted small">service account</span>}
                  {self && <span className="muted small"> (you)</span>}
                  <br />
                  <Mono>{m.dids[0]}</Mono>
                </td>
                <td>
                  {manages && !self ? (
                    <select
                      aria-label={`Role of ${label}`}
                      value={m.role}
                      disabled={setRole.isPending}
                      onChange={(e) => setRole.mutate({ userId: m.userId, role: e.target.value as Role })}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  ) : (
                    m.role
                  )}
                </td>
                <td>{new Date(m.joinedAt).toLocaleDateString()}</td>
                {manages && (
                  <td>
                    {!self && (
                      <button type="button" className="button ghost" onClick={() => remove.mutate(m.userId)}>
                        Remove {label}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function Invitations({ organizationId }: { organizationId: string }) {
  const invitations = useInvitations(organizationId, { enabled: !!organizationId });
  const [did, setDid] = useState('');
  const [role, setRole] = useState<Role>('member');
  const invite = useCmsMutation({
    hook: 'useCreateInvitation',
    run: (cms, v: { did: string; role: Role }) => cms.invitations.create(organizationId, v),
    onSuccessCache: (qc) => qc.invalidateQueries({ queryKey: cmsKeys.account.invitations(organizationId) }),
  });
  const revoke = useCmsMutation({
    hook: 'useRevokeInvitation',
    run: (cms, invitationId: string) => cms.invitations.revoke(organizationId, invitationId),
    onSuccessCache: (qc) => qc.invalidateQueries({ queryKey: cmsKeys.account.invitations(organizationId) }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    invite.mutate({ did: did.trim(), role }, { onSuccess: () => setDid('') });
  };
  const link = (id: string) => `${location.origin}/invitations/${id}`;
  return (
    <section className="card" aria-labelledby="invitations">
      <h2 id="invitations">Invitations</h2>
      <form className="row wrap end" onSubmit={submit}>
        <label className="field grow">
          <span>DID to invite</span>
          <input
            name="invite-did"
            required
            pattern={DID_PATTERN}
            value={did}
            onChange={(e) => setDid(e.target.value)}
          />
        </label>
        <label className="field inline">
          <span>Role</span>
          <select name="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button primary" disabled={invite.isPending}>
          Invite
        </button>
      </form>
      <ErrorMessage error={invitations.error ?? invite.error ?? revoke.error} />
      <ul className="plain">
        {invitations.data
          ?.filter((i) => i.status === 'pending')
          .map((i) => (
            <li key={i.id} data-invitation={i.id}>
              <Mono>{i.did}</Mono> <span className="muted small">{i.role}</span>
              <br />
              <span className="small">
                Link for them: <Mono>{link(i.id)}</Mono>
              </span>{' '}
              <button
                type="button"
                className="button ghost"
                onClick={() => void navigator.clipboard?.writeText(link(i.id))}
              >
                Copy link
              </button>
              <button type="button" className="button ghost" onClick={() => revoke.mutate(i.id)}>
                Revoke
              </button>
            </li>
          ))}
      </ul>
    </section>
  );
}

function ServiceAccounts({ organizationId }: { organizationId: string }) {
  const accounts = useServiceAccounts(organizationId, { enabled: !!organizationId });
  const [form, setForm] = useState<{ name: string; did: string; role: Role }>({ name: '', did: '', role: 'member' });
  const create = useCmsMutation({
    hook: 'useCreateServiceAccount',
    run: (cms, v: typeof form) => cms.serviceAccounts.create(organizationId, v),
    onSuccessCache: async (qc) => {
      await qc.invalidateQueries({ queryKey: cmsKeys.account.serviceAccounts(organizationId) });
      await qc.invalidateQueries({ queryKey: cmsKeys.account.members(organizationId) });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { ...form, did: form.did.trim() },
      { onSuccess: () => setForm({ name: '', did: '', role: 'member' }) },
    );
  };
  return (
    <section className="card" aria-labelledby="service-accounts">
      <h2 id="service-accounts">Service accounts</h2>
      <p className="muted small">
        An automation's own DID (its key stays with it, e.g. <code>cms keys generate</code>); it logs in with that key
        like a person does.
      </p>
      <form className="row wrap end" onSubmit={submit}>
        <label className="field">
          <span>Name</span>
          <input
            name="service-name"
            required
            maxLength={200}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
        </label>
        <label className="field grow">
          <span>DID</span>
          <input
            name="service-did"
            required
            pattern={DID_PATTERN}
            value={form.did}
            onChange={(e) => setForm({ ...form, did: e.target.value })}
          />
        </label>
        <label className="field inline">
          <span>Role</span>
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.filter((r) => r !== 'owner').map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button primary" disabled={create.isPending}>
          Add service account
        </button>
      </form>
      <ErrorMessage error={accounts.error ?? create.error} />
      <ul className="plain">
        {accounts.data?.map((a) => (
          <li key={a.userId}>
            <strong>{a.name}</strong> <span className="muted small">{a.role}</span>
            <br />
            <Mono>{a.did}</Mono>
          </li>
        ))}
      </ul>
    </section>
  );
}
