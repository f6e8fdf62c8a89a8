import createFetchClient, { type Client } from 'openapi-fetch';
import { createLoginProof } from './auth/login-proof.js';
import type { DidSigner } from './did/signer.js';
import { CmsConnectionError, errorFromResponse } from './errors.js';
import type { components, paths } from './generated/schema.js';

export type Contract = components['schemas']['Contract'];
export type ContractCreate = components['schemas']['ContractCreate'];
export type ContractList = components['schemas']['ContractList'];
export type ContractUpdate = components['schemas']['ContractUpdate'];
export type ContractHistory = components['schemas']['ContractHistory'];
export type ContractStatus = components['schemas']['ContractStatus'];
export type AuthToken = components['schemas']['AuthToken'];
export type ServerStatus = components['schemas']['ServerStatus'];
export type ListContractsParams = NonNullable<paths['/v1/contracts']['get']['parameters']['query']>;

export interface ConcurrencyOptions {
  /** The revision you last read: the call fails with 412 `precondition_failed` if the contract changed since. */
  ifMatch?: number;
}

const ifMatchHeader = (options?: ConcurrencyOptions) => ({ 'If-Match': options?.ifMatch === undefined ? undefined : `"${options.ifMatch}"` });

export interface CmsClientOptions {
  /** Base URL of the CMS server, e.g. `http://localhost:8080`. */
  baseUrl: string;
  /**
   * Access token to send as `Authorization: Bearer`. `auth.login` sets it.
   * @default undefined
   */
  accessToken?: string;
  /**
   * The `fetch` to use (tests, proxies, instrumentation).
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
  /**
   * Extra headers sent with every request.
   * @default {}
   */
  headers?: Record<string, string>;
}

const ALLOWED_OPTIONS = new Set<string>(['baseUrl', 'accessToken', 'fetch', 'headers']);

export interface CmsClient {
  auth: {
    /** Logs in as `signer`'s DID (challenge → signed proof → token); later calls use the token. */
    login(signer: DidSigner): Promise<AuthToken>;
    /** Forgets the access token. */
    logout(): void;
    /** The current access token, if logged in. */
    readonly accessToken: string | undefined;
  };
  contracts: {
    create(input: ContractCreate): Promise<Contract>;
    get(contractId: string): Promise<Contract>;
    /** One page of contracts; pass `nextCursor` as `cursor` for the next. */
    list(params?: ListContractsParams): Promise<ContractList>;
    /** Every contract matching `params`, fetching pages as the loop advances. */
    listAll(params?: Omit<ListContractsParams, 'cursor'>): AsyncIterableIterator<Contract>;
    /** Changes a draft. Pass `ifMatch` (the contract's `revision`) to fail rather than overwrite a concurrent change. */
    update(contractId: string, changes: ContractUpdate, options?: ConcurrencyOptions): Promise<Contract>;
    /** Sends a draft for signature. */
    send(contractId: string, options?: ConcurrencyOptions): Promise<Contract>;
    /** Cancels a draft, pending or partially signed contract of your organization. */
    void(contractId: string, reason: string, options?: ConcurrencyOptions): Promise<Contract>;
    /** Refuses to sign, as a party. */
    decline(contractId: string, reason: string, options?: ConcurrencyOptions): Promise<Contract>;
    /** Ends an executed contract early. */
    terminate(contractId: string, reason: string, options?: ConcurrencyOptions): Promise<Contract>;
    /** Every change of the contract, oldest first. */
    history(contractId: string): Promise<ContractHistory>;
  };
  /** Version, database and chain of the server. */
  status(): Promise<ServerStatus>;
  /** The underlying typed `openapi-fetch` client, for operations without a helper yet. */
  readonly raw: Client<paths>;
}

/**
 * Creates a client for a CMS server.
 * @example
 * const cms = createCmsClient({ baseUrl: 'http://localhost:8080' });
 * await cms.auth.login(await didKeySigner(privateKeyHex));
 * const contract = await cms.contracts.create({ title: 'NDA' });
 */
export function createCmsClient(options: CmsClientOptions): CmsClient {
  const unknown = Object.keys(options).filter((k) => !ALLOWED_OPTIONS.has(k));
  if (unknown.length) throw new TypeError(`createCmsClient: unknown option(s) ${unknown.join(', ')}; allowed: ${[...ALLOWED_OPTIONS].join(', ')}`);
  if (typeof options.baseUrl !== 'string' || !/^https?:\/\//.test(options.baseUrl)) {
    throw new TypeError('createCmsClient: baseUrl must be an http(s) URL');
  }
  let accessToken = options.accessToken;
  const baseFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const raw = createFetchClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: options.headers,
    fetch: async (request: Request) => {
      if (accessToken && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${accessToken}`);
      try {
        return await baseFetch(request);
      } catch (cause) {
        throw new CmsConnectionError(`Could not reach the CMS server at ${new URL(request.url).origin}`, { code: 'connection_error', cause });
      }
    },
  });

  const unwrap = async <T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> => {
    const { data, error, response } = await call;
    if (!response.ok || data === undefined) {
      throw errorFromResponse(response.status, error, response.headers.get('x-request-id') ?? undefined);
    }
    return data;
  };

  const contracts: CmsClient['contracts'] = {
    create: (body) => unwrap(raw.POST('/v1/contracts', { body })),
    get: (contractId) => unwrap(raw.GET('/v1/contracts/{contractId}', { params: { path: { contractId } } })),
    list: (query) => unwrap(raw.GET('/v1/contracts', { params: { query } })),
    update: (contractId, body, options) =>
      unwrap(raw.PATCH('/v1/contracts/{contractId}', { params: { path: { contractId }, header: ifMatchHeader(options) }, body })),
    send: (contractId, options) =>
      unwrap(raw.POST('/v1/contracts/{contractId}/send', { params: { path: { contractId }, header: ifMatchHeader(options) } })),
    void: (contractId, reason, options) =>
      unwrap(raw.POST('/v1/contracts/{contractId}/void', { params: { path: { contractId }, header: ifMatchHeader(options) }, body: { reason } })),
    decline: (contractId, reason, options) =>
      unwrap(raw.POST('/v1/contracts/{contractId}/decline', { params: { path: { contractId }, header: ifMatchHeader(options) }, body: { reason } })),
    terminate: (contractId, reason, options) =>
      unwrap(raw.POST('/v1/contracts/{contractId}/terminate', { params: { path: { contractId }, header: ifMatchHeader(options) }, body: { reason } })),
    history: (contractId) => unwrap(raw.GET('/v1/contracts/{contractId}/history', { params: { path: { contractId } } })),
    async *listAll(query) {
      let cursor: string | undefined;
      do {
        const page = await contracts.list({ ...query, cursor });
        yield* page.data;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    },
  };

  return {
    auth: {
      async login(signer) {
        const challenge = await unwrap(raw.POST('/v1/auth/challenge', { body: { did: signer.did } }));
        const proof = await createLoginProof(signer, challenge);
        const token = await unwrap(raw.POST('/v1/auth/token', { body: { proof } }));
        accessToken = token.accessToken;
        return token;
      },
      logout() {
        accessToken = undefined;
      },
      get accessToken() {
        return accessToken;
      },
    },
    contracts,
    status: () => unwrap(raw.GET('/v1/status')),
    raw,
  };
}
