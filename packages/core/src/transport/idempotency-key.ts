const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True for methods that change something on the server, which get an `Idempotency-Key`. */
export const isMutating = (method: string): boolean => MUTATING_METHODS.has(method);

/** A fresh random key (a v4 UUID from Web Crypto, available in Node ≥ 20 and browsers). */
export const newIdempotencyKey = (): string => globalThis.crypto.randomUUID();
