/** Something that signs as a DID. The private key stays inside it: only signatures leave. */
export interface DidSigner {
  /** The DID this signer controls. */
  did: string;
  /** JOSE algorithm of its signatures. */
  algorithm: 'EdDSA';
  /** Signs raw bytes and returns the raw signature. */
  sign(message: Uint8Array): Promise<Uint8Array>;
}
