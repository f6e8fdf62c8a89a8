// Where the contract's latest change stands on chain: pending → submitted → confirmed, with transaction and block.
import type { Contract } from '@cms/sdk';
import { Mono } from '../../components/Hash';

const LABEL = {
  pending: 'Waiting for the next batch',
  submitted: 'Transaction sent',
  confirmed: 'Anchored on chain',
  failed: 'Anchoring failed (retrying)',
} as const;

export function LedgerPanel({ contract }: { contract: Contract }) {
  const { ledger } = contract;
  return (
    <section className="card" aria-labelledby="ledger">
      <h2 id="ledger">Ledger</h2>
      <dl className="facts" data-ledger-status={ledger.status}>
        <dt>Status</dt>
        <dd>{LABEL[ledger.status] ?? ledger.status}</dd>
        <dt>Transaction</dt>
        <dd>
          <Mono>{ledger.transactionHash}</Mono>
        </dd>
        <dt>Block</dt>
        <dd data-testid="ledger-block">{ledger.blockNumber ?? '—'}</dd>
        <dt>Batch</dt>
        <dd>
          <Mono>{ledger.batchId}</Mono>
        </dd>
      </dl>
    </section>
  );
}
