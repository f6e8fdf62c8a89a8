// Server-wide reads: the server's status and the ledger's.
import type { LedgerStatus, ServerStatus } from '@cms/sdk';
import type { UseQueryResult } from '@tanstack/react-query';
import { cmsKeys } from './query-keys.js';
import { type CmsQueryOptions, useCmsQuery } from './use-cms-query.js';

/** Version, database and chain of the server (`GET /v1/status`, no login needed). */
export function useServerStatus(options?: CmsQueryOptions<ServerStatus>): UseQueryResult<ServerStatus, Error> {
  return useCmsQuery('useServerStatus', cmsKeys.serverStatus(), (cms, signal) => cms.status({ signal }), options);
}

/** The ledger: chain, contract address, pending and anchored batches (`GET /v1/ledger/status`). */
export function useLedgerStatus(options?: CmsQueryOptions<LedgerStatus>): UseQueryResult<LedgerStatus, Error> {
  return useCmsQuery(
    'useLedgerStatus',
    cmsKeys.ledgerStatus(),
    (cms, signal) => cms.ledger.status({ signal }),
    options,
  );
}
