// Helpers over the account, organization, member, invitation, service-account and session operations.
import type { Client } from 'openapi-fetch';
import { createDidProof, signerDid, type DidProofOptions, type LoginSigner } from '../auth/did-proof.js';
import type { components, paths } from '../generated/schema.js';

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

type Unwrap = <T>(call: Promise<{ data?: T; error?: unknown; response: Response }>) => Promise<T>;

export interface AccountResources {
  me: {
    /** Who the client is logged in as: user, DIDs, current organization and roles, all organizations. */
    get(): Promise<Me>;
    /** Links another DID to the account, proving control of it with `signer`. */
    addDid(signer: LoginSigner, options?: DidProofOptions): Promise<UserDid[]>;
    /** Unlinks a DID; its sessions end. */
    removeDid(did: string): Promise<void>;
  };
  organizations: {
    list(): Promise<MyOrganization[]>;
    /** Creates an organization owned by the caller; `auth.refresh({ organizationId })` to work in it. */
    create(input: { name: string }): Promise<MyOrganization>;
    get(organizationId: string): Promise<Organization>;
  };
  members: {
    list(organizationId: string): Promise<Member[]>;
    setRole(organizationId: string, userId: string, role: Role): Promise<Member>;
    remove(organizationId: string, userId: string): Promise<void>;
  };
  invitations: {
    create(organizationId: string, input: InvitationCreate): Promise<Invitation>;
    list(organizationId: string): Promise<Invitation[]>;
    revoke(organizationId: string, invitationId: string): Promise<void>;
    /** Pending invitations to any of the caller's DIDs. */
    listMine(): Promise<Invitation[]>;
    /** Accepts, proving control of the invited DID with `signer`. */
    accept(invitationId: string, signer: LoginSigner, options?: DidProofOptions): Promise<MyOrganization>;
  };
  serviceAccounts: {
    create(organizationId: string, input: ServiceAccountCreate): Promise<ServiceAccount>;
    list(organizationId: string): Promise<ServiceAccount[]>;
  };
  sessions: {
    /** The caller's live sessions; `current` marks this client's. */
    list(): Promise<Session[]>;
    revoke(sessionId: string): Promise<void>;
  };
}

export function createAccountResources(raw: Client<paths>, unwrap: Unwrap): AccountResources {
  const org = (organizationId: string) => ({ params: { path: { organizationId } } });
  const done = async (call: Promise<{ error?: unknown; response: Response }>) => {
    await unwrap(call.then((r) => ({ ...r, data: r.response.ok ? null : undefined })));
  };
  const prove = async (signer: LoginSigner, options: DidProofOptions = {}) => {
    const challenge = await unwrap(raw.POST('/v1/auth/challenge', { body: { did: signerDid(signer, options) } }));
    return createDidProof(signer, challenge, options);
  };

  return {
    me: {
      get: () => unwrap(raw.GET('/v1/me')),
      addDid: async (signer, options) => (await unwrap(raw.POST('/v1/me/dids', { body: await prove(signer, options) }))).data,
      removeDid: (did) => done(raw.DELETE('/v1/me/dids/{did}', { params: { path: { did } } })),
    },
    organizations: {
      list: async () => (await unwrap(raw.GET('/v1/organizations'))).data,
      create: (body) => unwrap(raw.POST('/v1/organizations', { body })),
      get: (organizationId) => unwrap(raw.GET('/v1/organizations/{organizationId}', org(organizationId))),
    },
    members: {
      list: async (organizationId) => (await unwrap(raw.GET('/v1/organizations/{organizationId}/members', org(organizationId)))).data,
      setRole: (organizationId, userId, role) =>
        unwrap(raw.PATCH('/v1/organizations/{organizationId}/members/{userId}', { params: { path: { organizationId, userId } }, body: { role } })),
      remove: (organizationId, userId) => done(raw.DELETE('/v1/organizations/{organizationId}/members/{userId}', { params: { path: { organizationId, userId } } })),
    },
    invitations: {
      create: (organizationId, body) => unwrap(raw.POST('/v1/organizations/{organizationId}/invitations', { ...org(organizationId), body })),
      list: async (organizationId) => (await unwrap(raw.GET('/v1/organizations/{organizationId}/invitations', org(organizationId)))).data,
      revoke: (organizationId, invitationId) =>
        done(raw.DELETE('/v1/organizations/{organizationId}/invitations/{invitationId}', { params: { path: { organizationId, invitationId } } })),
      listMine: async () => (await unwrap(raw.GET('/v1/invitations'))).data,
      accept: async (invitationId, signer, options) =>
        unwrap(raw.POST('/v1/invitations/{invitationId}/accept', { params: { path: { invitationId } }, body: await prove(signer, options) })),
    },
    serviceAccounts: {
      create: (organizationId, body) => unwrap(raw.POST('/v1/organizations/{organizationId}/service-accounts', { ...org(organizationId), body })),
      list: async (organizationId) => (await unwrap(raw.GET('/v1/organizations/{organizationId}/service-accounts', org(organizationId)))).data,
    },
    sessions: {
      list: async () => (await unwrap(raw.GET('/v1/auth/sessions'))).data,
      revoke: (sessionId) => done(raw.DELETE('/v1/auth/sessions/{sessionId}', { params: { path: { sessionId } } })),
    },
  };
}
