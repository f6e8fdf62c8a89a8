// The event types of the stream (StreamEventType in the spec: ContractEventType and the organization's
// `webhook.disabled`) and the history action each contract event comes from.
import type { ContractEventType, StreamEventType } from '../generated/schemas.js';

export const CONTRACT_EVENT_TYPES = [
  'contract.created',
  'contract.updated',
  'contract.sent',
  'contract.viewed',
  'contract.signed',
  'contract.declined',
  'contract.voided',
  'contract.executed',
  'contract.terminated',
  'contract.expired',
  'contract.anchored',
] as const satisfies readonly ContractEventType[];

export const STREAM_EVENT_TYPES = [
  ...CONTRACT_EVENT_TYPES,
  'webhook.disabled',
] as const satisfies readonly StreamEventType[];

const BY_ACTION: Record<string, ContractEventType> = {
  create: 'contract.created',
  update: 'contract.updated',
  send: 'contract.sent',
  sign: 'contract.signed',
  decline: 'contract.declined',
  void: 'contract.voided',
  terminate: 'contract.terminated',
  expire: 'contract.expired',
};

/** The event types a history action produces: the last signature also executes the contract. */
export function eventTypesOf(action: string, toStatus: string): ContractEventType[] {
  const type = BY_ACTION[action];
  if (!type) throw new Error(`no event type for history action ${action}`);
  return action === 'sign' && toStatus === 'executed' ? [type, 'contract.executed'] : [type];
}
