// Helpers over the contract operations, including client-side signing: the SDK recomputes the content
// hash of the contract it fetched and signs only when it matches; the key never leaves the signer.
import { computeContentHash } from '../contracts/content-hash.js';
import { CmsIntegrityError, CmsPermissionError } from '../errors.js';
import type { EvidenceBundle } from '../evidence/evidence-bundle.js';
import type { EvidenceVerification } from '../evidence/evidence-check.js';
import { EvmVerifierRequiredError } from '../evidence/evm-verifier.js';
import { type VerifyEvidenceOptions, verifyEvidence } from '../evidence/verify-evidence.js';
import type { components, paths } from '../generated/schema.js';
import { type ContractSigner, contractSignerDid, signPayload } from '../signing/contract-signer.js';
import { SIGNATURE_PAYLOAD_TYPE, type SigningPayload } from '../signing/signing-payload.js';
import type { RequestOptions } from '../transport/request-options.js';
import type { Api } from './api.js';
import { type DownloadOptions, downloadVerified } from './files.js';
import { type PagePromise, pagePromise } from './page-promise.js';

type S = components['schemas'];
export type Contract = S['Contract'];
export type ContractCreate = S['ContractCreate'];
export type ContractList = S['ContractList'];
export type ContractUpdate = S['ContractUpdate'];
export type ContractHistory = S['ContractHistory'];
export type ContractStatus = S['ContractStatus'];
export type ListContractsParams = NonNullable<paths['/v1/contracts']['get']['parameters']['query']>;

export type ServerSigningPayload = S['SigningPayload'];

export interface ConcurrencyOptions extends RequestOptions {
  /** The revision you last read: the call fails with 412 `precondition_failed` if the contract changed since. */
  ifMatch?: number;
}

export interface AnchorWaitOptions extends RequestOptions {
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
  /**
   * `sign` downloads every document of the contract and refuses (`CmsIntegrityError`, code
   * `file_hash_mismatch`) unless each hashes to the SHA-256 the contract names. `false` skips the
   * downloads (e.g. large documents already checked with `contracts.document`); the content hash is
   * still checked. Not used by `decline`.
   * @default true
   */
  verifyDocuments?: boolean;
}

/** A contract from a published template version: its variables and the party filling each role. */
export interface ContractFromTemplate<V extends Record<string, unknown> = Record<string, unknown>>
  extends Omit<ContractCreate, 'template' | 'parties' | 'title'> {
  template: { id: string; version?: number; variables: V };
  /** The party filling each role placeholder, by the role's key (roles with a fixed DID may be left out). */
  parties: Record<string, { did: string; name?: string }>;
  /** Default the template's name. */
  title?: string;
}

export interface ContractResources {
  create(input: ContractCreate, options?: AnchorWaitOptions): Promise<Contract>;
  /**
   * Creates a draft from a template version: the server validates `variables` against its schema
   * (422 `invalid_template_variables` names each bad one), renders the body into `contract.body`, and
   * binds the version's hash into the content hash. Type the variables with a type parameter or
   * `TemplateVariables<typeof schema>`.
   * @example
   * await cms.contracts.createFromTemplate({ template: { id, variables: { fee: 1200 } }, parties: { Client: { did, name: 'Ada' } } });
   */
  createFromTemplate<V extends Record<string, unknown> = Record<string, unknown>>(
    input: ContractFromTemplate<V>,
    options?: AnchorWaitOptions,
  ): Promise<Contract>;
  get(contractId: string, options?: RequestOptions): Promise<Contract>;
  /**
   * Contracts of your organization, newest first. Awaited: one page (pass `nextCursor` as `cursor` for
   * the next). Iterated with `for await`: every matching contract, fetching pages as the loop advances.
   * @example
   * for await (const c of cms.contracts.list({ status: 'draft' })) console.log(c.title);
   * const { data, nextCursor } = await cms.contracts.list({ limit: 10 });
   */
  list(params?: ListContractsParams, options?: RequestOptions): PagePromise<ContractList, Contract>;
  /** Every contract matching `params`, fetching pages as the loop advances (same as iterating `list`). */
  listAll(params?: Omit<ListContractsParams, 'cursor'>, options?: RequestOptions): AsyncIterableIterator<Contract>;
  /** Changes a draft. Pass `ifMatch` (the contract's `revision`) to fail rather than overwrite a concurrent change. */
  update(contractId: string, changes: ContractUpdate, options?: ConcurrencyOptions): Promise<Contract>;
  /** Sends a draft for signature. */
  send(contractId: string, options?: ConcurrencyOptions & AnchorWaitOptions): Promise<Contract>;
  /** Cancels a draft, pending or partially signed contract of your organization. */
  void(contractId: string, reason: string, options?: ConcurrencyOptions): Promise<Contract>;
  /**
   * Signs the contract as a party, on this device. Fetches the contract, recomputes its content hash
   * and refuses (`CmsIntegrityError`) when it is not the one the server states; downloads every
   * document and refuses unless each hashes to its `sha256` (opt out with `verifyDocuments: false`).
   * @example
   * await cms.contracts.sign(id, { signer: await didKeySigner(privateKeyHex) });
   */
  sign(contractId: string, options: SignOptions): Promise<Contract>;
  /** Refuses to sign, as a party: signed with `signer` when given, otherwise on the strength of the login. */
  decline(contractId: string, reason: string, options?: ConcurrencyOptions & Partial<SignOptions>): Promise<Contract>;
  /** Ends an executed contract early. */
  terminate(contractId: string, reason: string, options?: ConcurrencyOptions): Promise<Contract>;
  /** Every change of the contract, oldest first. */
  history(contractId: string, options?: RequestOptions): Promise<ContractHistory>;
  /** The self-contained evidence bundle; check it with `verifyEvidence`. */
  evidence(contractId: string, options?: RequestOptions): Promise<EvidenceBundle>;
  /**
   * Fetches the evidence bundle and checks it here, trusting nothing the server says: hashes,
   * signatures, history, Merkle proofs, and (given `evm: evmEvidenceVerifier({ client })` from `@cms/sdk/evm` and `ledgerAddress`) EIP-712 signatures and the anchors on chain.
   * @example
   * const { valid, checks } = await cms.contracts.verify(id, { evm: evmEvidenceVerifier({ client: publicClient }), ledgerAddress });
   */
  verify(contractId: string, options?: VerifyEvidenceOptions & RequestOptions): Promise<EvidenceVerification>;
  /**
   * The bytes of a document the contract references (`documents[].sha256`), for members of its
   * organization and for its parties, checked against `sha256` before they are returned
   * (`CmsIntegrityError` with code `file_hash_mismatch` otherwise).
   * @example
   * const pdf = await cms.contracts.document(contract.id, contract.documents[0].sha256);
   */
  document(contractId: string, sha256: string, options?: DownloadOptions): Promise<Uint8Array>;
  /**
   * The executed contract's completed PDF (its PDF documents followed by the certificate of completion,
   * the evidence bundle attached as `evidence.json`), or with `certificate: true` the certificate alone.
   * `contract_not_executed` (409) before the contract is executed. Check it offline with `cms verify x.pdf`
   * (docs/documents.md).
   * @example
   * await writeFile('nda.pdf', await cms.contracts.completedPdf(contract.id));
   */
  completedPdf(contractId: string, options?: RequestOptions & { certificate?: boolean }): Promise<Uint8Array>;
  /** The payload the server would have you sign (for display; `sign` builds and checks its own). */
  signingPayload(
    contractId: string,
    intent?: 'sign' | 'decline',
    options?: RequestOptions,
  ): Promise<ServerSigningPayload>;
}

const ifMatchHeader = (options?: ConcurrencyOptions) => ({
  'If-Match': options?.ifMatch === undefined ? undefined : `"${options.ifMatch}"`,
});

export function createContractResources(api: Api): ContractResources {
  const { raw, unwrap, call } = api;
  const path = (contractId: string) => ({ path: { contractId } });

  async function signed(
    contractId: string,
    signer: ContractSigner,
    intent: 'sign' | 'decline',
    reason: string | undefined,
    options: AnchorWaitOptions,
  ): Promise<Contract> {
    const { waitForAnchor } = options;
    const contract = await resources.get(contractId, { ...options, idempotencyKey: undefined });
    const contentHash = await computeContentHash(contract);
    if (contentHash !== contract.contentHash) {
      throw new CmsIntegrityError(
        `The contract's content hashes to ${contentHash}, not the ${contract.contentHash} the server states; not signing.`,
        {
          code: 'content_hash_mismatch',
        },
      );
    }
    if (intent === 'sign' && (options as Partial<SignOptions>).verifyDocuments !== false) {
      const { signal, timeoutMs, maxRetries, headers } = options;
      const requestOptions = { signal, timeoutMs, maxRetries, headers };
      for (const document of contract.documents) {
        try {
          await downloadVerified(
            api,
            document.sha256,
            documentRequest(contract.id, document.sha256, requestOptions),
            undefined,
          );
        } catch (error) {
          if (!(error instanceof CmsIntegrityError)) throw error;
          throw new CmsIntegrityError(
            `Document "${document.name}" of the contract is not the file its SHA-256 ${document.sha256} names (${error.message}); not signing.`,
            { code: 'file_hash_mismatch', cause: error },
          );
        }
      }
    }
    const did = contractSignerDid(signer);
    const party = contract.parties.find((p) => p.did === did && (p.role === 'signer' || p.role === 'approver'));
    if (!party)
      throw new CmsPermissionError(`${did} is not a signer or approver of this contract.`, {
        status: 403,
        code: 'not_a_party',
      });
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
    return unwrap(
      raw.POST('/v1/contracts/{contractId}/signatures', {
        params: { ...path(contractId), query: { waitForAnchor } },
        body,
        ...call(options),
      }),
    );
  }

  const documentRequest = (contractId: string, sha256: string, options: RequestOptions | undefined) =>
    raw.GET('/v1/contracts/{contractId}/documents/{sha256}', {
      params: { path: { contractId, sha256 } },
      parseAs: 'stream',
      ...call(options),
    });

  const resources: ContractResources = {
    create: (body, options) =>
      unwrap(
        raw.POST('/v1/contracts', {
          params: { query: { waitForAnchor: options?.waitForAnchor } },
          body,
          ...call(options),
        }),
      ),
    createFromTemplate: (input, options) => resources.create(input as ContractCreate, options),
    get: (contractId, options) =>
      unwrap(raw.GET('/v1/contracts/{contractId}', { params: path(contractId), ...call(options) })),
    list: (query, options) =>
      pagePromise(
        (cursor) => unwrap(raw.GET('/v1/contracts', { params: { query: { ...query, cursor } }, ...call(options) })),
        query?.cursor,
      ),
    listAll: (query, options) =>
      resources
        .list({ ...query, cursor: undefined }, options)
        [Symbol.asyncIterator]() as AsyncIterableIterator<Contract>,
    update: (contractId, body, options) =>
      unwrap(
        raw.PATCH('/v1/contracts/{contractId}', {
          params: { ...path(contractId), header: ifMatchHeader(options) },
          body,
          ...call(options),
        }),
      ),
    send: (contractId, options) =>
      unwrap(
        raw.POST('/v1/contracts/{contractId}/send', {
          params: {
            ...path(contractId),
            header: ifMatchHeader(options),
            query: { waitForAnchor: options?.waitForAnchor },
          },
          ...call(options),
        }),
      ),
    void: (contractId, reason, options) =>
      unwrap(
        raw.POST('/v1/contracts/{contractId}/void', {
          params: { ...path(contractId), header: ifMatchHeader(options) },
          body: { reason },
          ...call(options),
        }),
      ),
    sign: (contractId, options) => signed(contractId, options.signer, 'sign', undefined, options),
    decline: (contractId, reason, options = {}) =>
      options.signer
        ? signed(contractId, options.signer, 'decline', reason, options)
        : unwrap(
            raw.POST('/v1/contracts/{contractId}/decline', {
              params: { ...path(contractId), header: ifMatchHeader(options) },
              body: { reason },
              ...call(options),
            }),
          ),
    terminate: (contractId, reason, options) =>
      unwrap(
        raw.POST('/v1/contracts/{contractId}/terminate', {
          params: { ...path(contractId), header: ifMatchHeader(options) },
          body: { reason },
          ...call(options),
        }),
      ),
    history: (contractId, options) =>
      unwrap(raw.GET('/v1/contracts/{contractId}/history', { params: path(contractId), ...call(options) })),
    evidence: (contractId, options) =>
      unwrap(raw.GET('/v1/contracts/{contractId}/evidence', { params: path(contractId), ...call(options) })),
    async verify(contractId, options = {}) {
      if ('client' in options)
        throw new EvmVerifierRequiredError('contracts.verify with a client (now evm: evmEvidenceVerifier({ client }))');
      const { evm, ledgerAddress, requireAnchors, ...requestOptions } = options;
      const bundle = await resources.evidence(contractId, requestOptions);
      return verifyEvidence(bundle, {
        ...(evm && { evm }),
        ...(ledgerAddress && { ledgerAddress }),
        ...(requireAnchors !== undefined && { requireAnchors }),
      });
    },
    document: (contractId, sha256, options) =>
      downloadVerified(api, sha256, documentRequest(contractId, sha256, options), options),
    completedPdf: async (contractId, options) => {
      const request = { params: path(contractId), parseAs: 'arrayBuffer' as const, ...call(options) };
      const pdf = await unwrap(
        options?.certificate
          ? raw.GET('/v1/contracts/{contractId}/certificate.pdf', request)
          : raw.GET('/v1/contracts/{contractId}/completed.pdf', request),
      );
      return new Uint8Array(pdf as ArrayBuffer);
    },
    signingPayload: (contractId, intent = 'sign', options) =>
      unwrap(
        raw.GET('/v1/contracts/{contractId}/signing-payload', {
          params: { ...path(contractId), query: { intent } },
          ...call(options),
        }),
      ),
  };
  return resources;
}
