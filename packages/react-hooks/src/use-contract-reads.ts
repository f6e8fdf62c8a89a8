// Reads of one contract beyond the contract itself: its history and its evidence bundle.
import type { ContractHistory, EvidenceBundle } from '@cms/sdk';
import type { UseQueryResult } from '@tanstack/react-query';
import { cmsKeys } from './query-keys.js';
import { type CmsQueryOptions, useCmsQuery } from './use-cms-query.js';

/**
 * A contract's transitions, oldest first (create, send, sign…, with actor, party and reason); every
 * contract mutation of this package and every live event of the contract refetch it.
 */
export function useContractHistory(
  contractId: string,
  options?: CmsQueryOptions<ContractHistory>,
): UseQueryResult<ContractHistory, Error> {
  return useCmsQuery(
    'useContractHistory',
    cmsKeys.contracts.history(contractId),
    (cms, signal) => cms.contracts.history(contractId, { signal }),
    options,
  );
}

/** The contract's evidence bundle (contract, signatures, events, proofs), to download or verify with `verifyEvidence`. */
export function useContractEvidence(
  contractId: string,
  options?: CmsQueryOptions<EvidenceBundle>,
): UseQueryResult<EvidenceBundle, Error> {
  return useCmsQuery(
    'useContractEvidence',
    cmsKeys.contracts.evidence(contractId),
    (cms, signal) => cms.contracts.evidence(contractId, { signal }),
    options,
  );
}
