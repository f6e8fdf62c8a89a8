// Helpers over the account, organization, member, invitation, service-account and session operations.
import { createDidProof, type DidProofOptions, type LoginSigner, signerDid } from '../auth/did-proof.js';
import type { components } from '../generated/schema.js';
import type { RequestOptions } from '../transport/request-options.js';
import type { Api } from './api.js';

type S = components['schemas'];
export type Me = S['Me'];
export type Role = S['Role'];
export type Organization = S['Organization'];
export type MyOrganization = S['MyOrganization'];
export type Member = S['Member'];
export type Invitation = S['Invitation'];
export type InvitationCreate = S['InvitationCreate'];
export type ServiceAccount = S['ServiceAccount'];
export type ServiceAccountCreate = S['ServiceAccountCreate'];
export type Session = S['Session'];
export type UserDid = S['UserDid'];

type O = RequestOptions;

export interface AccountResources {
  me: {
    /** Who the client is logged in as: user, DIDs, current organization and roles, all organizations. */
    get(options?: O): Promise<Me>;
    /** Links another DID to the account, proving control of it with `signer`. */
    addDid(signer: LoginSigner, options?: DidProofOptions & O): Promise<UserDid[]>;
    /** Unlinks a DID; its sessions end. */
    removeDid(did: string, options?: O): Promise<void>;
  };
  organizations: {
    list(options?: O): Promise<MyOrganization[]>;
    /** Creates an organization owned by the caller; `auth.refresh({ organizationId })` to work in it. */
    create(input: { name: string }, options?: O): Promise<MyOrganization>;
    get(organizationId: string, options?: O): Promise<Organization>;
  };
  members: {
    list(organizationId: string, options?: O): Promise<Member[]>;
    setRole(organizationId: string, userId: string, role: Role, options?: O): Promise<Member>;
    /** Removes a member (or a service account) from the organization. */
    remove(organizationId: string, userId: string, options?: O): Promise<void>;
  };
  invitations: {
    create(organizationId: string, input: InvitationCreate, options?: O): Promise<Invitation>;
    list(organizationId: string, options?: O): Promise<Invitation[]>;
    revoke(organizationId: string, invitationId: string, options?: O): Promise<void>;
    /** Pending invitations to any of the caller's DIDs. */
    listMine(options?: O): Promise<Invitation[]>;
    /** Accepts, proving control of the invited DID with `signer`. */
    accept(invitationId: string, signer: LoginSigner, options?: DidProofOptions & O): Promise<MyOrganization>;
  };
  serviceAccounts: {
    create(organizationId: string, input: ServiceAccountCreate, options?: O): Promise<ServiceAccount>;
    list(organizationId: string, options?: O): Promise<ServiceAccount[]>;
  };
  sessions: {
    /** The caller's live sessions; `current` marks this client's. */
    list(options?: O): Promise<Session[]>;
    revoke(sessionId: string, options?: O): Promise<void>;
  };
}

export function createAccountResources({ raw, unwrap, call }: Api): AccountResources {
  const org = (organizationId: string) => ({ params: { path: { organizationId } } });
  const done = async (request: Promise<{ error?: unknown; response: Response }>) => {
    await unwrap(request.then((r) => ({ ...r, data: r.response.ok ? null : undefined })));
  };
  const prove = async (signer: LoginSigner, options: DidProofOptions & O = {}) => {
    const challenge = await unwrap(
      raw.POST('/v1/auth/challenge', {
        body: { did: signerDid(signer, options) },
        ...call({ ...options, idempotencyKey: undefined }),
      }),
    );
    return createDidProof(signer, challenge, options);
  };

  return {
    me: {
      get: (o) => unwrap(raw.GET('/v1/me', call(o))),
      addDid: async (signer, o) =>
        (await unwrap(raw.POST('/v1/me/dids', { body: await prove(signer, o), ...call(o) }))).data,
      removeDid: (did, o) => done(raw.DELETE('/v1/me/dids/{did}', { params: { path: { did } }, ...call(o) })),
    },
    organizations: {
      list: async (o) => (await unwrap(raw.GET('/v1/organizations', call(o)))).data,
      create: (body, o) => unwrap(raw.POST('/v1/organizations', { body, ...call(o) })),
      get: (organizationId, o) =>
        unwrap(raw.GET('/v1/organizations/{organizationId}', { ...org(organizationId), ...call(o) })),
    },
    members: {
      list: async (organizationId, o) =>
        (await unwrap(raw.GET('/v1/organizations/{organizationId}/members', { ...org(organizationId), ...call(o) })))
          .data,
      setRole: (organizationId, userId, role, o) =>
        unwrap(
          raw.PATCH('/v1/organizations/{organizationId}/members/{userId}', {
            params: { path: { organizationId, userId } },
            body: { role },
            ...call(o),
          }),
        ),
      remove: (organizationId, userId, o) =>
        done(
          raw.DELETE('/v1/organizations/{organizationId}/members/{userId}', {
            params: { path: { organizationId, userId } },
            ...call(o),
          }),
        ),
    },
    invitations: {
      create: (organizationId, body, o) =>
        unwrap(
          raw.POST('/v1/organizations/{organizationId}/invitations', { ...org(organizationId), body, ...call(o) }),
        ),
      list: async (organizationId, o) =>
        (
          await unwrap(
            raw.GET('/v1/organizations/{organizationId}/invitations', { ...org(organizationId), ...call(o) }),
          )
        ).data,
      revoke: (organizationId, invitationId, o) =>
        done(
          raw.DELETE('/v1/organizations/{organizationId}/invitations/{invitationId}', {
            params: { path: { organizationId, invitationId } },
            ...call(o),
          }),
        ),
      listMine: async (o) => (await unwrap(raw.GET('/v1/invitations', call(o)))).data,
      accept: async (invitationId, signer, o) =>
        unwrap(
          raw.POST('/v1/invitations/{invitationId}/accept', {
            params: { path: { invitationId } },
            body: await prove(signer, o),
            ...call(o),
          }),
        ),
    },
    serviceAccounts: {
      create: (organizationId, body, o) =>
        unwrap(
          raw.POST('/v1/organizations/{organizationId}/service-accounts', { ...org(organizationId), body, ...call(o) }),
        ),
      list: async (organizationId, o) =>
        (
          await unwrap(
            raw.GET('/v1/organizations/{organizationId}/service-accounts', { ...org(organizationId), ...call(o) }),
          )
        ).data,
    },
    sessions: {
      list: async (o) => (await unwrap(raw.GET('/v1/auth/sessions', call(o)))).data,
      revoke: (sessionId, o) =>
        done(raw.DELETE('/v1/auth/sessions/{sessionId}', { params: { path: { sessionId } }, ...call(o) })),
    },
  };
}
