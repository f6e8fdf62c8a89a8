// Every contract status, at run time: for clients that offer them as choices (the CLI's `--status`).
import type { components } from '../generated/schema.js';

type ContractStatus = components['schemas']['ContractStatus'];

/** Every `ContractStatus` of the API, in lifecycle order. */
export const CONTRACT_STATUSES = Object.freeze([
  'draft',
  'pending',
  'partially_signed',
  'executed',
  'declined',
  'voided',
  'expired',
  'terminated',
] as const satisfies readonly ContractStatus[]);

// Fails to compile when the spec gains a status this list lacks.
type Missing = Exclude<ContractStatus, (typeof CONTRACT_STATUSES)[number]>;
const complete: [Missing] extends [never] ? true : never = true;
void complete;
