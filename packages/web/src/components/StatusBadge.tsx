import type { ContractStatus } from '@cms/sdk';

const LABELS: Record<string, string> = {
  draft: 'Draft',
  pending: 'Out for signature',
  partially_signed: 'Partially signed',
  executed: 'Executed',
  voided: 'Voided',
  declined: 'Declined',
  expired: 'Expired',
  terminated: 'Terminated',
};

/** A contract (or party) status as a labelled pill; `data-status` carries the raw value for tests and styles. */
export function StatusBadge({ status }: { status: ContractStatus | string }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {LABELS[status] ?? status}
    </span>
  );
}
