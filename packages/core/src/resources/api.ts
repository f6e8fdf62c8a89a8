// What every resource helper is built on: the typed client, the response unwrapper and per-call options.
import type { Client } from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import type { RequestOptions } from '../transport/request-options.js';

export type Unwrap = <T>(call: Promise<{ data?: T; error?: unknown; response: Response }>) => Promise<T>;

export interface Api {
  raw: Client<paths>;
  /** The data of a successful response, or the typed error of a failed one. */
  unwrap: Unwrap;
  /** openapi-fetch init fields that send one call with these options (signal, timeout, retries, key, headers). */
  call(options: RequestOptions | undefined): { fetch: (request: Request) => Promise<Response> };
}
