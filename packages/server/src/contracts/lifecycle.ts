// The contract lifecycle as pure functions: which action is allowed from which status, and how
// signing-order groups advance. Services apply these inside a transaction; tests drive them directly.
//
//   draft ──send──▶ pending ──sign──▶ partially_signed ──sign──▶ executed ──▶ expired | terminated
//     │                │                    │
//     └────void────────┴──void / decline────┴──▶ voided | declined

import type { ContractStatus } from '../db/schema/contracts.js';
import { AppError } from '../errors/app-error.js';

export type LifecycleAction = 'update' | 'send' | 'sign' | 'decline' | 'void' | 'terminate' | 'expire';

const ALLOWED_FROM: Record<LifecycleAction, readonly ContractStatus[]> = {
  update: ['draft'],
  send: ['draft'],
  sign: ['pending', 'partially_signed'],
  decline: ['pending', 'partially_signed'],
  void: ['draft', 'pending', 'partially_signed'],
  terminate: ['executed'],
  expire: ['executed'],
};

/** Statuses no action leaves. */
export const FINAL_STATUSES: ReadonlySet<ContractStatus> = new Set(['declined', 'voided', 'expired', 'terminated']);

export function isAllowed(status: ContractStatus, action: LifecycleAction): boolean {
  return ALLOWED_FROM[action].includes(status);
}

export function assertAllowed(status: ContractStatus, action: LifecycleAction): void {
  if (!isAllowed(status, action)) {
    throw new AppError(
      'invalid_transition',
      `A ${status} contract cannot be ${PAST[action]}; allowed from: ${ALLOWED_FROM[action].join(', ')}.`,
    );
  }
}

const PAST: Record<LifecycleAction, string> = {
  update: 'updated',
  send: 'sent',
  sign: 'signed',
  decline: 'declined',
  void: 'voided',
  terminate: 'terminated',
  expire: 'expired',
};

// ── Signing order ──────────────────────────────────────────────────────────────────────────────

export interface PartyState {
  did: string;
  role: 'signer' | 'approver' | 'viewer' | 'cc';
  signingOrder: number;
  status: 'waiting' | 'sent' | 'viewed' | 'signed' | 'declined';
}

/** Signers and approvers act on the contract; viewers and cc parties only receive it. */
export const actsOnContract = (p: Pick<PartyState, 'role'>) => p.role === 'signer' || p.role === 'approver';

/** The signing-order group whose parties may sign now, or null when every acting party has signed. */
export function currentGroup(parties: readonly PartyState[]): number | null {
  const open = parties.filter((p) => actsOnContract(p) && p.status !== 'signed').map((p) => p.signingOrder);
  return open.length ? Math.min(...open) : null;
}

/** Status after a signature: executed once every acting party has signed. */
export function statusAfterSignature(parties: readonly PartyState[]): ContractStatus {
  return currentGroup(parties) === null ? 'executed' : 'partially_signed';
}

/**
 * Parties to notify (status `waiting` → `sent`) given the parties' current state: on send, the
 * viewers/cc and the first group; after a signature, the next group once the previous one finished.
 */
export function partiesToNotify(parties: readonly PartyState[], { sending }: { sending: boolean }): string[] {
  const group = currentGroup(parties);
  return parties
    .filter(
      (p) =>
        p.status === 'waiting' && ((sending && !actsOnContract(p)) || (actsOnContract(p) && p.signingOrder === group)),
    )
    .map((p) => p.did);
}

/** Why `did` may not sign now, or null when it may. */
export function signingRefusal(parties: readonly PartyState[], did: string): AppError | null {
  const party = parties.find((p) => p.did === did && actsOnContract(p));
  if (!party) return new AppError('not_a_party', 'Only the contract’s signers and approvers can sign it.');
  if (party.status === 'signed') return new AppError('already_signed', 'This party has already signed.');
  const group = currentGroup(parties);
  if (party.signingOrder !== group) {
    return new AppError('out_of_order', `Signing group ${group} must finish before group ${party.signingOrder} signs.`);
  }
  return null;
}
