// Signs an export's manifest with the server's current access-token key (Ed25519), whose public half is
// in /.well-known/jwks.json: the RFC 8785 canonical JSON of the manifest is what is signed.
import { sign } from 'node:crypto';
import { canonicalJson } from '@cms/sdk';
import type { KeyRing } from '../auth/key-ring.js';
import type { AuditExportManifest, AuditExportTrailer } from '../generated/schemas.js';

export function signAuditManifest(keys: KeyRing, manifest: AuditExportManifest): AuditExportTrailer {
  const key = keys.current();
  const value = sign(null, Buffer.from(canonicalJson(manifest), 'utf8'), key.privateKey).toString('base64url');
  return { manifest, signature: { alg: 'EdDSA', kid: key.kid, value } };
}
