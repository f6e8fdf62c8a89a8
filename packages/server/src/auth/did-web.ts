// did:web (https://w3c-ccg.github.io/did-method-web/): the DID document is fetched over HTTPS from the
// domain the DID names, through `safeFetchJson`'s SSRF guards. Only Ed25519 keys listed under
// `authentication` log in. Documents are cached briefly so a burst of logins fetches once.
import type { KeyObject } from 'node:crypto';
import { publicKeyFromDidKey } from '@cms/sdk';
import { AppError } from '../errors/app-error.js';
import { ed25519PublicKey } from './did-key.js';
import { SafeFetchError, type SafeFetchOptions, safeFetchJson } from './safe-fetch.js';

const DID_WEB = /^did:web:([a-zA-Z0-9.-]+(?:%3[aA]\d{1,5})?)((?::[A-Za-z0-9._~-]+)*)$/;

/** The URL of a did:web's document; throws `unsupported_did_method` for a malformed did:web. */
export function didWebDocumentUrl(did: string): URL {
  const m = DID_WEB.exec(did);
  // Dot segments would be normalized away by URL parsing: the document must be where the DID says.
  if (!m || m[2]!.split(':').some((seg) => seg === '.' || seg === '..')) {
    throw new AppError('unsupported_did_method', 'A did:web is did:web:<domain>[%3A<port>][:<path>…].');
  }
  const authority = m[1]!.replace(/%3a/i, ':');
  const path = m[2] ? `${m[2].split(':').filter(Boolean).join('/')}/did.json` : '.well-known/did.json';
  return new URL(`https://${authority}/${path}`);
}

interface VerificationMethod {
  id: string;
  type?: string;
  controller?: string;
  publicKeyJwk?: { kty?: string; crv?: string; x?: string };
  publicKeyMultibase?: string;
}

export interface DidWebResolver {
  /** The Ed25519 key of the document's authentication method `kid` (or its only one). */
  resolveKey(did: string, kid: string | undefined): Promise<KeyObject>;
}

export function createDidWebResolver(
  options: SafeFetchOptions & { cacheSeconds?: number; now?: () => number },
): DidWebResolver {
  const now = options.now ?? Date.now;
  const cacheMs = (options.cacheSeconds ?? 60) * 1000;
  const cache = new Map<string, { at: number; methods: Map<string, VerificationMethod> }>();
  const fail = (why: string) => new AppError('did_resolution_failed', why);

  async function authenticationMethods(did: string): Promise<Map<string, VerificationMethod>> {
    const hit = cache.get(did);
    if (hit && now() - hit.at < cacheMs) return hit.methods;
    const url = didWebDocumentUrl(did);
    let doc: unknown;
    try {
      doc = await safeFetchJson(url, options);
    } catch (e) {
      throw fail(
        `The DID document at ${url.origin}${url.pathname} could not be fetched: ${e instanceof SafeFetchError ? e.message : 'request failed'}.`,
      );
    }
    const methods = parseAuthentication(did, doc);
    if (cache.size > 1000) cache.delete(cache.keys().next().value!);
    cache.set(did, { at: now(), methods });
    return methods;
  }

  function parseAuthentication(did: string, doc: unknown): Map<string, VerificationMethod> {
    if (typeof doc !== 'object' || doc === null || (doc as { id?: unknown }).id !== did)
      throw fail('The DID document does not describe this DID.');
    const d = doc as { verificationMethod?: unknown; authentication?: unknown };
    const absolute = (id: string) => (id.startsWith('#') ? `${did}${id}` : id);
    const declared = new Map<string, VerificationMethod>();
    for (const vm of Array.isArray(d.verificationMethod) ? d.verificationMethod : []) {
      if (vm && typeof vm === 'object' && typeof (vm as VerificationMethod).id === 'string')
        declared.set(absolute((vm as VerificationMethod).id), vm as VerificationMethod);
    }
    const methods = new Map<string, VerificationMethod>();
    for (const entry of Array.isArray(d.authentication) ? d.authentication : []) {
      const vm = typeof entry === 'string' ? declared.get(absolute(entry)) : (entry as VerificationMethod);
      if (vm && typeof vm.id === 'string') methods.set(absolute(vm.id), vm);
    }
    if (methods.size === 0) throw fail('The DID document lists no authentication method.');
    return methods;
  }

  return {
    async resolveKey(did, kid) {
      const methods = await authenticationMethods(did);
      let vm: VerificationMethod | undefined;
      if (kid !== undefined) vm = methods.get(kid.startsWith('#') ? `${did}${kid}` : kid);
      else if (methods.size === 1) vm = [...methods.values()][0];
      else
        throw new AppError(
          'invalid_proof',
          'The DID has several authentication keys: name one in the proof header kid.',
        );
      if (!vm)
        throw new AppError('invalid_proof', 'The proof names a key that is not an authentication method of the DID.');
      try {
        if (
          vm.publicKeyJwk?.kty === 'OKP' &&
          vm.publicKeyJwk.crv === 'Ed25519' &&
          typeof vm.publicKeyJwk.x === 'string'
        ) {
          return ed25519PublicKey(Buffer.from(vm.publicKeyJwk.x, 'base64url'));
        }
        if (typeof vm.publicKeyMultibase === 'string')
          return ed25519PublicKey(publicKeyFromDidKey(`did:key:${vm.publicKeyMultibase}`));
      } catch {
        // fall through: not an Ed25519 key
      }
      throw fail(
        'The authentication method is not an Ed25519 key (publicKeyJwk OKP/Ed25519 or an Ed25519 publicKeyMultibase).',
      );
    },
  };
}
