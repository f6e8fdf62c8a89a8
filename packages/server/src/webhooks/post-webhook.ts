// One HTTP attempt: POST to the checked, pinned address; no redirects (a 3xx is a failure), a total
// timeout, and at most the first bytes of the response kept (the rest is not read).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { PinnedAddress } from './webhook-address.js';

export const RESPONSE_SNIPPET_BYTES = 1024;

export type AttemptOutcome =
  | { kind: 'response'; status: number; retryAfter: string | undefined; body: string; durationMs: number }
  | { kind: 'error'; error: string; durationMs: number };

export function postWebhook(
  url: URL,
  pinned: PinnedAddress,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: false,
        // The address checked by the guard, never a second DNS answer (no rebinding between check and connect).
        lookup: (_hostname, opts, callback) => {
          const cb = callback as (...args: unknown[]) => void;
          if ((opts as { all?: boolean }).all) cb(null, [{ address: pinned.address, family: pinned.family }]);
          else cb(null, pinned.address, pinned.family);
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          finish({
            kind: 'response',
            status: res.statusCode ?? 0,
            retryAfter: typeof res.headers['retry-after'] === 'string' ? res.headers['retry-after'] : undefined,
            body: Buffer.concat(chunks).subarray(0, RESPONSE_SNIPPET_BYTES).toString('utf8'),
            durationMs: elapsed(),
          });
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= RESPONSE_SNIPPET_BYTES) done();
        });
        res.on('end', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => finish({ kind: 'error', error: 'timeout', durationMs: elapsed() }), timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) =>
      finish({
        kind: 'error',
        error: err.code === 'ECONNREFUSED' ? 'connection refused' : (err.code ?? err.message),
        durationMs: elapsed(),
      }),
    );
    req.end(body);
  });
}
