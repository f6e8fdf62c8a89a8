// Checks of the bundle's contract: its content hashes to its content hash, and its status, version and
// hash are what the last change in its history left, with the signatures that status requires.
import { computeContentHash } from '../contracts/content-hash.js';
import { transitionsOf } from './check-events.js';
import { actsOnContract } from './check-signatures.js';
import type { Outcome } from './evidence-check.js';
import type { CheckedBundle } from './evidence-shape.js';

/** `contract.contentHash`: recomputed from `contract.content` (RFC 8785 + SHA-256). */
export async function contentHashCheck(bundle: CheckedBundle): Promise<Outcome> {
  const computed = await computeContentHash(bundle.contract.content);
  return {
    problems:
      computed === bundle.contract.contentHash
        ? []
        : [`the content hashes to ${computed}, not ${bundle.contract.contentHash}`],
    detail: computed,
  };
}

/**
 * `contract.status`: status, version and content hash are those of the last change, and the status has
 * its signatures: every signer and approver validly signed once `executed` (and after), none before.
 * `validSigners` are the DIDs whose `sign` signature passed every signature check.
 */
export function statusCheck(bundle: CheckedBundle, validSigners: ReadonlySet<string>): Outcome {
  const { contract } = bundle;
  const problems: string[] = [];
  const last = transitionsOf(bundle).at(-1);
  const d = (last?.data ?? {}) as Record<string, unknown>;
  if (!last) problems.push('no event sets the contract’s status');
  else {
    if (d.toStatus !== contract.status)
      problems.push(
        `the last change (${last.action}) left the contract ${JSON.stringify(d.toStatus)}, not ${contract.status}`,
      );
    if (d.version !== contract.version)
      problems.push(`the last change left version ${JSON.stringify(d.version)}, not ${contract.version}`);
    if (d.contentHash !== contract.contentHash)
      problems.push(`the last change left content hash ${JSON.stringify(d.contentHash)}, not the contract’s`);
  }
  const acting = contract.content.parties.filter((p) => actsOnContract(p.role));
  const signs = bundle.signatures.filter((s) => s.payload.intent === 'sign').length;
  const unsigned = acting.filter((p) => !validSigners.has(p.did)).map((p) => p.did);
  switch (contract.status) {
    case 'draft':
    case 'pending':
      if (bundle.signatures.length)
        problems.push(
          `a ${contract.status} contract has no signatures, but the bundle has ${bundle.signatures.length}`,
        );
      break;
    case 'partially_signed':
      if (signs === 0 || signs >= acting.length)
        problems.push(`a partially signed contract has between 1 and ${acting.length - 1} signatures, not ${signs}`);
      break;
    case 'executed':
    case 'expired':
    case 'terminated':
      if (unsigned.length) problems.push(`${contract.status}, but without a valid signature of ${unsigned.join(', ')}`);
      break;
    case 'declined':
      if (last?.action !== 'contract.decline') problems.push('declined, but no party’s decline is recorded');
      break;
  }
  return {
    problems,
    detail: `${contract.status} at version ${contract.version}${acting.length ? `, ${acting.length - unsigned.length} of ${acting.length} signers and approvers signed` : ''}`,
  };
}
