// The one HPKE suite CMS uses (RFC 9180): DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM.
// X25519 comes from @hpke/dhkem-x25519 (pure JS), so it works in every browser, not only those whose
// WebCrypto has X25519.
import { Aes256Gcm, CipherSuite, HkdfSha256 } from '@hpke/core';
import { DhkemX25519HkdfSha256 } from '@hpke/dhkem-x25519';

export const hpkeSuite = () =>
  new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() });
export const TERMS_TYPE = 'cms.confidential-terms.v1';
export const SEAL_TYPE = 'cms.confidential-seal.v1';
export const READ_TYPE = 'cms.confidential-read.v1';

export const buffer = (b: Uint8Array): ArrayBuffer => b.slice().buffer as ArrayBuffer;
