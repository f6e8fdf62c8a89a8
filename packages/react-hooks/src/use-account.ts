// The caller's account: who they are, their organizations, members, invitations, service accounts, sessions.
import type { Invitation, Me, Member, MyOrganization, ServiceAccount, Session } from '@cms/sdk';
import type { UseMutationResult, UseQueryResult } from '@tanstack/react-query';
import { cmsKeys } from './query-keys.js';
import { type CmsMutationOptions, useCmsMutation } from './use-cms-mutation.js';
import { type CmsQueryOptions, useCmsQuery } from './use-cms-query.js';

/** The logged-in user: id, DIDs, current organization and roles (`GET /v1/me`). */
export function useMe(options?: CmsQueryOptions<Me>): UseQueryResult<Me, Error> {
  return useCmsQuery('useMe', cmsKeys.account.me(), (cms, signal) => cms.me.get({ signal }), options);
}

/** The organizations the caller belongs to, with their role in each. */
export function useOrganizations(options?: CmsQueryOptions<MyOrganization[]>): UseQueryResult<MyOrganization[], Error> {
  return useCmsQuery(
    'useOrganizations',
    cmsKeys.account.organizations(),
    (cms, signal) => cms.organizations.list({ signal }),
    options,
  );
}

/** Members of an organization with their roles. */
export function useMembers(
  organizationId: string,
  options?: CmsQueryOptions<Member[]>,
): UseQueryResult<Member[], Error> {
  return useCmsQuery(
    'useMembers',
    cmsKeys.account.members(organizationId),
    (cms, signal) => cms.members.list(organizationId, { signal }),
    options,
  );
}

/** Open invitations of an organization (admins). */
export function useInvitations(
  organizationId: string,
  options?: CmsQueryOptions<Invitation[]>,
): UseQueryResult<Invitation[], Error> {
  return useCmsQuery(
    'useInvitations',
    cmsKeys.account.invitations(organizationId),
    (cms, signal) => cms.invitations.list(organizationId, { signal }),
    options,
  );
}

/** Service accounts of an organization (admins). */
export function useServiceAccounts(
  organizationId: string,
  options?: CmsQueryOptions<ServiceAccount[]>,
): UseQueryResult<ServiceAccount[], Error> {
  return useCmsQuery(
    'useServiceAccounts',
    cmsKeys.account.serviceAccounts(organizationId),
    (cms, signal) => cms.serviceAccounts.list(organizationId, { signal }),
    options,
  );
}

/** The caller's sessions (devices), the current one marked. */
export function useSessions(options?: CmsQueryOptions<Session[]>): UseQueryResult<Session[], Error> {
  return useCmsQuery(
    'useSessions',
    cmsKeys.account.sessions(),
    (cms, signal) => cms.sessions.list({ signal }),
    options,
  );
}

/** Revokes one session by id (`mutate(sessionId)`); the sessions list refetches. */
export function useRevokeSession<TOnMutateResult = unknown>(
  options?: CmsMutationOptions<void, string, TOnMutateResult>,
): UseMutationResult<void, Error, string, TOnMutateResult> {
  return useCmsMutation(
    {
      hook: 'useRevokeSession',
      run: (cms, sessionId) => cms.sessions.revoke(sessionId),
      onSuccessCache: (queryClient) => queryClient.invalidateQueries({ queryKey: cmsKeys.account.sessions() }),
    },
    options,
  );
}
