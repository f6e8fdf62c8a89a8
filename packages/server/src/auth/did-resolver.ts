// Which DIDs can log in, and the keys their JWS proofs verify with: did:key always, did:pkh (Ethereum,
// via Sign-In with Ethereum, see verify-siwe-proof.ts), did:web when enabled.
import type { KeyObject } from 'node:crypto';
import type { DidWebConfig } from '../config.js';
import { AppError } from '../errors/app-error.js';
import { didKeyVerificationKey } from './did-key.js';
import { parseDidPkh } from './did-pkh.js';
import { createDidWebResolver, didWebDocumentUrl } from './did-web.js';

export interface DidResolver {
  /** Throws `unsupported_did_method` unless this server can log the DID in; cheap (no network). */
  assertSupported(did: string): void;
  /** The key that verifies the DID's JWS proofs; `kid` picks a verification method (did:web). */
  resolveKey(did: string, kid: string | undefined): Promise<KeyObject>;
}

export function createDidResolver(options: { didWeb: DidWebConfig }): DidResolver {
  const web = options.didWeb.enabled
    ? createDidWebResolver({
        privateHosts: options.didWeb.privateHosts,
        ca: options.didWeb.ca,
        timeoutMs: options.didWeb.timeoutMs,
      })
    : undefined;
  const method = (did: string) => did.split(':')[1];
  const unsupported = (did: string) =>
    new AppError(
      'unsupported_did_method',
      `Supported DID methods: did:key (Ed25519), did:pkh (eip155)${web ? ', did:web' : ''}; got did:${method(did)}.`,
    );

  return {
    assertSupported(did) {
      switch (method(did)) {
        case 'key':
          didKeyVerificationKey(did);
          return;
        case 'pkh':
          parseDidPkh(did);
          return;
        case 'web':
          if (!web) throw unsupported(did);
          didWebDocumentUrl(did);
          return;
        default:
          throw unsupported(did);
      }
    },
    async resolveKey(did, kid) {
      switch (method(did)) {
        case 'key':
          return didKeyVerificationKey(did);
        case 'web':
          if (web) return web.resolveKey(did, kid);
          throw unsupported(did);
        case 'pkh':
          throw new AppError(
            'invalid_proof',
            'A did:pkh proves control with a Sign-In with Ethereum message and its signature, not a JWS.',
          );
        default:
          throw unsupported(did);
      }
    },
  };
}
