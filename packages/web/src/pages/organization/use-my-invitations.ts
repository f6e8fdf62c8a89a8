import { cmsKeys, useCmsClient } from '@cms/react';
import { useQuery } from '@tanstack/react-query';

/** Invitations to any of the caller's DIDs (`GET /v1/invitations`). */
export function useMyInvitations() {
  const cms = useCmsClient();
  return useQuery({
    queryKey: cmsKeys.account.myInvitations(),
    queryFn: ({ signal }) => cms.invitations.listMine({ signal }),
  });
}
