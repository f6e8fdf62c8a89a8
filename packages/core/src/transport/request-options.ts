/** Per-call overrides, accepted as the last argument of every resource method. */
export interface RequestOptions {
  /** Aborts the call: stops waiting for the response and any further retry. The call rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Milliseconds each attempt may take before it fails with `CmsTimeoutError`; overrides the client's `timeoutMs`. */
  timeoutMs?: number;
  /** Retries after the first attempt; overrides the client's `maxRetries`. */
  maxRetries?: number;
  /** `Idempotency-Key` of a mutating call, reused by its retries. Default: a new random key per call. */
  idempotencyKey?: string;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

/** The options a transport attempt loop runs with, after client defaults are applied. */
export interface ResolvedRequestOptions {
  signal: AbortSignal | undefined;
  timeoutMs: number;
  maxRetries: number;
}
