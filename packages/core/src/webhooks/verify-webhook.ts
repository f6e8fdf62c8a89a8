// Verifies a webhook delivery from a CMS server (Standard Webhooks): the `v1` HMAC-SHA256 signature
// with the endpoint's `whsec_…` secret, or the `v1a` Ed25519 signature with a key of the server's JWKS
// (`/.well-known/webhook-keys.json`), over `${webhook-id}.${webhook-timestamp}.${raw body}`, and a
// timestamp within the tolerance. WebCrypto and @noble/ed25519 only: Node 20+, browsers, edge runtimes.
import * as ed from '@noble/ed25519';
import { base64urlToBytes, bytesToUtf8, utf8ToBytes } from '../bytes.js';
import type { WebhookEvent } from './webhook-event.js';

/** A signature, header or timestamp that does not check out; `message` says which (never the secret). */
export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

/** One Ed25519 key of the server's webhook JWKS. */
export interface WebhookJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid?: string;
  [other: string]: unknown;
}

/** The server's webhook JWKS, as `GET /.well-known/webhook-keys.json` returns it. */
export interface WebhookJwks {
  keys: WebhookJwk[];
}

/** The request's headers: a `Headers` (fetch, Hono) or a Node `IncomingHttpHeaders`-like record. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /**
   * How far the `webhook-timestamp` may be from now, in seconds (replay protection).
   * @default 300
   */
  toleranceSeconds?: number;
  /**
   * The time to check the timestamp against.
   * @default new Date()
   */
  now?: Date;
}

const SECRET_PREFIX = 'whsec_';
const encoder = new TextEncoder();

function header(headers: WebhookHeaders, name: string): string {
  const value =
    typeof (headers as Headers).get === 'function'
      ? (headers as Headers).get(name)
      : ((headers as Record<string, string | string[] | undefined>)[name] ??
        Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1]);
  const one = Array.isArray(value) ? value[0] : value;
  if (typeof one !== 'string' || one === '') throw new WebhookVerificationError(`missing ${name} header`);
  return one;
}

function base64ToBytes(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  try {
    return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function secretKeyBytes(secret: string): Uint8Array {
  const raw = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const bytes = base64ToBytes(raw);
  if (!bytes || bytes.length === 0) throw new TypeError('verifyWebhook: the secret is not a whsec_… value');
  return bytes;
}

async function hmacSha256(key: Uint8Array, content: Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, content as BufferSource));
}

function isJwks(v: unknown): v is WebhookJwks {
  return typeof v === 'object' && v !== null && Array.isArray((v as WebhookJwks).keys);
}

/**
 * Checks a delivery and returns its parsed body, or throws a `WebhookVerificationError`.
 * `payload` must be the raw body exactly as received (do not parse and re-serialize it). `secretOrJwks`
 * is the endpoint's secret (`whsec_…`; several during a rotation: any one signing is enough) or the
 * server's JWKS (checks the `v1a` Ed25519 signature; no shared secret needed).
 * @example const event = await verifyWebhook(rawBody, req.headers, process.env.CMS_WEBHOOK_SECRET!);
 */
export async function verifyWebhook(
  payload: string | Uint8Array,
  headers: WebhookHeaders,
  secretOrJwks: string | readonly string[] | WebhookJwks,
  options: VerifyWebhookOptions = {},
): Promise<WebhookEvent> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature').split(' ').filter(Boolean);
  if (!/^\d{1,15}$/.test(timestamp)) throw new WebhookVerificationError('invalid webhook-timestamp header');
  const tolerance = options.toleranceSeconds ?? 300;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const ts = Number(timestamp);
  if (ts < now - tolerance) throw new WebhookVerificationError('the webhook-timestamp is too old');
  if (ts > now + tolerance) throw new WebhookVerificationError('the webhook-timestamp is in the future');

  const body = typeof payload === 'string' ? encoder.encode(payload) : payload;
  const prefix = utf8ToBytes(`${id}.${timestamp}.`);
  const content = new Uint8Array(prefix.length + body.length);
  content.set(prefix);
  content.set(body, prefix.length);

  const entries = signatures.map((s) => {
    const comma = s.indexOf(',');
    return comma < 0 ? { version: '', value: '' } : { version: s.slice(0, comma), value: s.slice(comma + 1) };
  });
  let verified = false;
  if (isJwks(secretOrJwks)) {
    const keys = secretOrJwks.keys.filter((k) => k.kty === 'OKP' && k.crv === 'Ed25519' && typeof k.x === 'string');
    if (keys.length === 0) throw new TypeError('verifyWebhook: the JWKS holds no Ed25519 key');
    for (const e of entries.filter((x) => x.version === 'v1a')) {
      const sig = base64ToBytes(e.value);
      if (sig?.length !== 64) continue;
      for (const k of keys) {
        let pub: Uint8Array;
        try {
          pub = base64urlToBytes(k.x);
        } catch {
          continue;
        }
        if (pub.length === 32 && (await ed.verifyAsync(sig, content, pub).catch(() => false))) verified = true;
      }
    }
  } else {
    const secrets = typeof secretOrJwks === 'string' ? [secretOrJwks] : [...secretOrJwks];
    if (secrets.length === 0) throw new TypeError('verifyWebhook: no secret given');
    for (const secret of secrets) {
      const expected = await hmacSha256(secretKeyBytes(secret), content);
      for (const e of entries.filter((x) => x.version === 'v1')) {
        const sig = base64ToBytes(e.value);
        if (sig && equalBytes(sig, expected)) verified = true;
      }
    }
  }
  if (!verified) throw new WebhookVerificationError('no matching signature');
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof payload === 'string' ? payload : bytesToUtf8(payload));
  } catch {
    throw new WebhookVerificationError('the body is not JSON');
  }
  return parsed as WebhookEvent;
}
