// The on-chain half of `verifyAuditExport`: each confirmed anchor's root is anchored, unrevoked, on the
// ContractLedger you trust, and the ledger verifies the event under it — through your own viem client.
// A ledger that cannot be asked (no contract at the address, a node that is down) fails the anchor.
import type { Address, Client } from 'viem';
import type { AuditAnchorChecker } from '../audit/verify-audit-export.js';
import { verifyAnchoredEvent } from './verify-anchored-event.js';

/**
 * @example
 * const client = createPublicClient({ transport: http(rpcUrl) });
 * const report = await verifyAuditExport(text, { jwks, checkAnchor: ledgerAnchorChecker({ client, ledgerAddress }) });
 */
export function ledgerAnchorChecker(o: { client: Client; ledgerAddress: Address }): AuditAnchorChecker {
  return async (anchor) => {
    try {
      const r = await verifyAnchoredEvent({ client: o.client, ledgerAddress: o.ledgerAddress, ...anchor });
      return r.verified ? null : `the ledger does not verify the event: ${r.failure}`;
    } catch (error) {
      // No contract at the address, a node that does not answer: the anchor is not shown to hold.
      const e = error as { shortMessage?: string; message?: string };
      return `the ledger could not be asked: ${e.shortMessage ?? e.message ?? String(error)}`;
    }
  };
}
