// GET over HTTPS on behalf of a caller, without becoming an SSRF vector: https only, the host's
// addresses resolved once and checked (public unicast only, unless the host is explicitly allowed),
// the connection pinned to the checked address (no DNS rebinding), no redirects, a total timeout and a
// response size limit.
import { lookup } from 'node:dns/promises';
import { request } from 'node:https';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { isPublicAddress } from './public-address.js';

export interface SafeFetchOptions {
  /** Hosts that may resolve to private or loopback addresses. @default [] */
  privateHosts?: readonly string[];
  /** Extra trusted CA certificates (PEM), added to Node's roots. */
  ca?: string;
  /** @default 5000 */
  timeoutMs?: number;
  /** @default 65536 */
  maxBytes?: number;
}

export class SafeFetchError extends Error {
  override name = 'SafeFetchError';
}

export async function safeFetchJson(url: URL, options: SafeFetchOptions = {}): Promise<unknown> {
  if (url.protocol !== 'https:') throw new SafeFetchError('only https URLs are fetched');
  if (url.username || url.password) throw new SafeFetchError('URLs with credentials are not fetched');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const maxBytes = options.maxBytes ?? 65_536;
  const timeoutMs = options.timeoutMs ?? 5000;
  const signal = AbortSignal.timeout(timeoutMs);

  const addresses = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await lookup(host, { all: true, verbatim: true }).catch(() => {
        throw new SafeFetchError(`cannot resolve ${host}`);
      });
  const allowPrivate = (options.privateHosts ?? []).includes(host.toLowerCase());
  if (addresses.length === 0) throw new SafeFetchError(`cannot resolve ${host}`);
  if (!allowPrivate && !addresses.every((a) => isPublicAddress(a.address))) {
    throw new SafeFetchError(`${host} resolves to a private or reserved address`);
  }
  // One checked address for the connection; IPv4 first, as most DID hosts answer there.
  const pinned = addresses.find((a) => a.family === 4) ?? addresses[0]!;

  const body = await new Promise<Buffer>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        headers: { accept: 'application/did+json, application/json' },
        ca: options.ca ? [...rootCertificates, options.ca] : undefined,
        signal,
        // The address checked above, never a second DNS answer.
        lookup: (_hostname, opts, callback) => {
          const cb = callback as (...args: unknown[]) => void;
          if ((opts as { all?: boolean }).all) cb(null, [{ address: pinned.address, family: pinned.family }]);
          else cb(null, pinned.address, pinned.family);
        },
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(
            new SafeFetchError(
              `answered HTTP ${res.statusCode}${res.statusCode && res.statusCode >= 300 && res.statusCode < 400 ? ' (redirects are not followed)' : ''}`,
            ),
          );
          return;
        }
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > maxBytes) {
          res.destroy();
          reject(new SafeFetchError(`the response exceeds ${maxBytes} bytes`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            res.destroy();
            reject(new SafeFetchError(`the response exceeds ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve(Buffer.concat(chunks)));
        res.on('error', (e) => reject(e));
      },
    );
    req.on('error', (e) =>
      reject(
        signal.aborted
          ? new SafeFetchError(`no answer within ${timeoutMs} ms`)
          : e instanceof SafeFetchError
            ? e
            : new SafeFetchError(`request failed (${(e as NodeJS.ErrnoException).code ?? e.message})`),
      ),
    );
    req.end();
  });
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new SafeFetchError('the response is not JSON');
  }
}
