// The content hash binds what parties agree to: anyone holding a contract can recompute it.
import { bytesToHex, utf8ToBytes } from '../bytes.js';
import { canonicalJson } from '../canonical/canonical-json.js';

/** The parts of a contract its content hash covers. */
export interface ContractContent {
  title: string;
  description: string | null;
  terms: Record<string, unknown>;
  parties: { did: string; role: string; name: string | null; signingOrder: number }[];
  documents: { name: string; sha256: string; mediaType?: string; size?: number }[];
  expiresAt: string | null;
}

/** Picks the hashed content out of a contract as the API returns it (extra fields are ignored). */
export function contractContent(contract: ContractContent): ContractContent {
  return {
    title: contract.title,
    description: contract.description,
    terms: contract.terms,
    parties: contract.parties.map(({ did, role, name, signingOrder }) => ({ did, role, name, signingOrder })),
    documents: contract.documents.map(({ name, sha256, mediaType, size }) => ({ name, sha256, mediaType, size })),
    expiresAt: contract.expiresAt,
  };
}

/** `0x` + SHA-256 of the RFC 8785 canonical form of `{ type, content }`. */
export async function computeContentHash(content: ContractContent): Promise<`0x${string}`> {
  const bytes = utf8ToBytes(canonicalJson({ type: 'cms.contract-content.v1', content: contractContent(content) }));
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return `0x${bytesToHex(new Uint8Array(digest))}`;
}
