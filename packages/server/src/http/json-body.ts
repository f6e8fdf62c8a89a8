// Guards JSON request bodies before schema validation: the media type, well-formedness, and values
// PostgreSQL or canonical JSON cannot store (NUL characters, lone surrogates, non-finite numbers,
// absurd nesting). Each becomes a 4xx problem instead of a 500 further down.
import type { MiddlewareHandler } from 'hono';
import { AppError, type FieldError } from '../errors/app-error.js';

const MAX_DEPTH = 32;

export function jsonBodyGuard(): MiddlewareHandler {
  return async (c, next) => {
    if (!['POST', 'PUT', 'PATCH'].includes(c.req.method)) return next();
    // Bodiless actions (send, …): nothing to guard; operations that need a body reject its absence.
    const length = c.req.header('content-length');
    if ((length === undefined || length === '0') && !c.req.header('transfer-encoding')) return next();
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
      throw new AppError('unsupported_media_type', 'Send the body as application/json.');
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new AppError('malformed_request', 'The body is not valid JSON.');
    }
    const errors: FieldError[] = [];
    inspect(body, '/body', 0, errors);
    if (errors.length)
      throw new AppError('validation_failed', 'The body contains values that cannot be stored.', {
        errors: errors.slice(0, 20),
      });
    return next();
  };
}

function inspect(value: unknown, path: string, depth: number, errors: FieldError[]): void {
  if (depth > MAX_DEPTH) {
    errors.push({ path, message: `nesting deeper than ${MAX_DEPTH} levels` });
    return;
  }
  if (typeof value === 'string') {
    if (value.includes('\u0000')) errors.push({ path, message: 'contains a NUL character' });
    else if (hasLoneSurrogate(value)) errors.push({ path, message: 'contains an unpaired UTF-16 surrogate' });
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) errors.push({ path, message: 'number out of range' });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      inspect(v, `${path}/${i}`, depth + 1, errors);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const key = k.replace(/~/g, '~0').replace(/\//g, '~1');
      if (k.includes('\u0000') || hasLoneSurrogate(k))
        errors.push({ path: `${path}/${key}`, message: 'key contains an invalid character' });
      inspect(v, `${path}/${key}`, depth + 1, errors);
    }
  }
}

const hasLoneSurrogate = (s: string) => /\p{Surrogate}/u.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
