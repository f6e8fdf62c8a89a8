// Helpers over the contract operations, including client-side signing: the SDK recomputes the content
// hash of the contract it fetched and signs only when it matches; the key never leaves the signer.
import type { Client } from 'openapi-fetch';
import { computeContentHash } from '../contracts/content-hash.js';
import { CmsIntegrityError, CmsPermissionError } from '../errors.js';
import type { components, paths } from '../generated/schema.js';
import { contractSignerDid, signPayload, type ContractSigner } from '../signing/contract-signer.js';
import { SIGNATURE_PAYLOAD_TYPE, type SigningPayload } from '../signing/signing-payload.js';

type S = components['schemas'];
export type Contract = S['Contract'];
export type ContractCreate = S['ContractCreate'];
export type ContractList = S['ContractList'];
export type ContractUpdate = S['ContractUpdate'];
export type ContractHistory = S['ContractHistory'];
export type ContractStatus = S['ContractStatus'];
export type EvidenceBundle = S['EvidenceBundle'];
export type ListContractsParams = NonNullable<paths['/v1/contracts']['get']['parameters']['query']>;

export interface ConcurrencyOptions {
  /** The revision you last read: the call fails with 412 `precondition_failed` if the contract changed since. */
  ifMatch?: number;
}

export interface AnchorWaitOptions {
  /**
   * Seconds (≤ 30) to wait for the change to be anchored on chain before the call returns, so that
   * `contract.ledger.transactionHash` is set. On timeout the call still succeeds with the status so far.
   * @default 0
   */
  waitForAnchor?: number;
}

export interface SignOptions extends AnchorWaitOptions {
  /** The party's key: a did:key signer or an Ethereum account (did:pkh). */
  signer: ContractSigner;
}

type Unwrap = <T>(call: Promise<{ data?: T; error?: unknown; response: Response }>) => Promise<T>;

export interface ContractResources {
  create(input: ContractCreate, options?: AnchorWaitOptions): Promise<Contract>;
  get(contractId: string): Promise<Contract>;
  /** One page of contracts; pass `nextCursor` as `cursor` for the next. */
  list(params?: ListContractsParams): Promise<ContractList>;
  /** Every contract matching `params`, fetching pages as the loop advances. */
  listAll(params?: Omit<ListContractsParams, 'cursor'>): AsyncIterableIterator<Contract>;
  /** Changes a draft. Pass `ifMatch` (the contract's `revision`) to fail rather than overwrite a concurrent change. */
  update(contractId: string, changes: ContractUpdate, options?: ConcurrencyOptions): Promise<Contract>;
  /** Sends a draft for signature. */
  send(contractId: string, options?: ConcurrencyOptions & AnchorWaitOptions): Promise<Contract>;
  /** Cancels a draft, pending or partially signed contract of your organization. */
  void(contractId: string, reason: string, options?: ConcurrencyOptions): Promise<Contract>;
  /**
   * Signs the contract as a party, on this device. Fetches the contract, recomputes its content hash
   * and refuses (`CmsIntegrityError`) when it is not the one the server states.
   * @example
   * await cms.contracts.sign(id, { signer: await didKeySigner(privateKeyHex) });
   */
  sign(contractId: string, options: SignOptions): Promise<Contract>;
  /** Refuses to sign, as a party: signed with `signer` when given, otherwise on the strength of the login. */
  decline(contractId: string, reason: string, options?: ConcurrencyOptions & Partial<SignOptions>): Promise<Contract>;
  /** Ends an executed contract early. */
  terminate(contractId: string, reason: string, options?: ConcurrencyOptions): Promise<Contract>;
  /** Every change of the contract, oldest first. */
  history(contractId: string): Promise<ContractHistory>;
  /** The self-contained evidence bundle; check it with `verifyEvidence`. */
  evidence(contractId: string): Promise<EvidenceBundle>;
}

const ifMatchHeader = (options?: ConcurrencyOptions) => ({ 'If-Match': options?.ifMatch === undefined ? undefined : `"${options.ifMatch}"` });

export function createContractResources(raw: Client<paths>, unwrap: Unwrap): ContractResources {
  const path = (contractId: string) => ({ path: { contractId } });

  async function signed(contractId: string, signer: ContractSigner, intent: 'sign' | 'decline', reason?: string, waitForAnchor?: number): Promise<Contract> {
    const contract = await resources.get(contractId);
    const contentHash = await computeContentHash(contract);
    if (contentHash !== contract.contentHash) {
      throw new CmsIntegrityError(`The contract's content hashes to ${contentHash}, not the ${contract.contentHash} the server states; not signing.`, {
        code: 'content_hash_mismatch',
      });
    }
    const did = contractSignerDid(signer);
    const party = contract.parties.find((p) => p.did === did && (p.role === 'signer' || p.role === 'approver'));
    if (!party) throw new CmsPermissionError(`${did} is not a signer or approver of this contract.`, { status: 403, code: 'not_a_party' });
    const payload: SigningPayload = {
      type: SIGNATURE_PAYLOAD_TYPE,
      contractId: contract.id,
      version: contract.version,
      contentHash,
      signer: did,
      role: party.role,
      intent,
      signedAt: new Date().toISOString(),
      ...(reason !== undefined && { reason }),
    };
    const body = await signPayload(signer, payload);
    return unwrap(raw.POST('/v1/contracts/{contractId}/signatures', { params: { ...path(contractId), query: { waitForAnchor } }, body }));
  }

  const resources: ContractResources = {
    create: (body, options) => unwrap(raw.POST('/v1/contracts', { params: { query: { waitForAnchor: options?.waitForAnchor } }, body })),
    get: (contractId) => unwrap(raw.GET('/v1/contracts/{contractId}', { params: path(contractId) })),
    list: (query) => unwrap(raw.GET('/v1/contracts', { params: { query } })),
    async *listAll(query) {
      let cursor: string | undefined;
      do {
        const page = await resources.list({ ...query, cursor });
        yield* page.data;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    },
    update: (contractId, body, options) =>
      unwrap(raw.PATCH('/v1/contracts/{contractId}', { params: { ...path(contractId), header: ifMatchHeader(options) }, body })),
    send: (contractId, options) =>
      unwrap(raw.POST('/v1/contracts/{contractId}/send', { params: { ...path(contractId), header: ifMatchHeader(options), query: { waitForAnchor: options?.waitForAnchor } } })),
    void: (contractId, reason, options) =>
      unwrap(raw.POST('/v1/contracts/{contractId}/void', { params: { ...path(contractId), header: ifMatchHeader(options) }, body: { reason } })),
    sign: (contractId, { signer, waitForAnchor }) => signed(contractId, signer, 'sign', undefined, waitForAnchor),
    decline: (contractId, reason, options) =>
      options?.signer
        ? signed(contractId, options.signer, 'decline', reason)
        : unwrap(raw.POST('/v1/contracts/{contractId}/decline', { params: { ...path(contractId), header: ifMatchHeader(options) }, body: { reason } })),
    terminate: (contractId, reason, options) =>
      unwrap(raw.POST('/v1/contracts/{contractId}/terminate', { params: { ...path(contractId), header: ifMatchHeader(options) }, body: { reason } })),
    history: (contractId) => unwrap(raw.GET('/v1/contracts/{contractId}/history', { params: path(contractId) })),
    evidence: (contractId) => unwrap(raw.GET('/v1/contracts/{contractId}/evidence', { params: path(contractId) })),
  };
  return resources;
}
