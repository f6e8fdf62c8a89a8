import type { Contract } from '@cms/sdk';
import { useCurrentToken } from './session';

/** Whether the signed-in user's organization owns `contract` (may send, void, terminate), and whether they are a party. */
export function useContractRole(contract: Contract | undefined) {
  const token = useCurrentToken();
  const owner = !!contract && !!token && contract.organizationId === token.organizationId;
  const party = contract?.parties.find((p) => p.did === token?.did);
  return { owner, party, did: token?.did };
}
