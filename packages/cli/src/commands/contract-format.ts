// Human-readable views of contracts for `contracts get`, `create` and `list`.
import type { Contract } from '@cms/sdk';
import { formatFields, formatTable, truncate } from '../output.js';

export function formatContract(contract: Contract): string {
  const metadata = Object.entries(contract.metadata).map(([k, v]) => `${k}=${v}`);
  const terms = JSON.stringify(contract.terms);
  const lines = [
    formatFields([
      ['id', contract.id],
      ['title', contract.title],
      ['status', `${contract.status} (version ${contract.version})`],
      ['description', contract.description ?? undefined],
      ['external id', contract.externalId ?? undefined],
      ['expires', contract.expiresAt ?? undefined],
      ['created', `${contract.createdAt} by ${contract.createdBy}`],
      ['updated', contract.updatedAt],
      ['content hash', contract.contentHash],
      ['metadata', metadata.length ? metadata.join(', ') : undefined],
      ['terms', terms === '{}' ? undefined : truncate(terms, 200)],
      ['parties', contract.parties.length ? '' : 'none'],
    ]),
  ];
  if (contract.parties.length) {
    const parties = [...contract.parties].sort((a, b) => a.signingOrder - b.signingOrder);
    lines.push(
      formatTable(
        ['order', 'role', 'did', 'name'],
        parties.map((p) => [String(p.signingOrder), p.role, p.did, p.name ?? '']),
      )
        .split('\n')
        .map((line) => `  ${line}`)
        .join('\n'),
    );
  }
  if (contract.documents.length) {
    lines.push(formatFields([['documents', '']]));
    lines.push(
      formatTable(
        ['name', 'sha256', 'type', 'size'],
        contract.documents.map((d) => [
          d.name,
          d.sha256,
          d.mediaType ?? '',
          d.size === undefined ? '' : String(d.size),
        ]),
      )
        .split('\n')
        .map((line) => `  ${line}`)
        .join('\n'),
    );
  }
  return lines.join('\n');
}

export function formatContractTable(contracts: Contract[]): string {
  if (contracts.length === 0) return 'No contracts.';
  return formatTable(
    ['id', 'status', 'created', 'title'],
    contracts.map((c) => [c.id, c.status, c.createdAt, truncate(c.title, 60)]),
  );
}
