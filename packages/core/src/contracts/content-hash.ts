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
  /** Only for a contract created from a template (absent otherwise, so older contents hash as before). */
  template?: ContractTemplateBinding;
  /** Contracts with confidential terms: their salted commitment (the terms stay encrypted). */
  confidentialTerms?: { commitment: string } | null;
}

/** The template version and values a contract was created from (see docs/templates.md). */
export interface ContractTemplateBinding {
  id: string;
  version: number;
  /** The version's hash (`computeTemplateVersionHash`). */
  hash: string;
  /** The variables as validated, defaults filled in. */
  variables: Record<string, unknown>;
  /** The DID filling each role placeholder. */
  roles: Record<string, string>;
  /** SHA-256 (hex) of the rendered Markdown body. */
  bodySha256: string;
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
    ...(contract.template && { template: templateBinding(contract.template) }),
    // Only when present, so contracts without confidential terms hash exactly as before.
    ...(contract.confidentialTerms && { confidentialTerms: { commitment: contract.confidentialTerms.commitment } }),
  };
}

const templateBinding = ({
  id,
  version,
  hash,
  variables,
  roles,
  bodySha256,
}: ContractTemplateBinding): ContractTemplateBinding => ({ id, version, hash, variables, roles, bodySha256 });

/** `0x` + SHA-256 of the RFC 8785 canonical form of `{ type, content }`. */
export async function computeContentHash(content: ContractContent): Promise<`0x${string}`> {
  const bytes = utf8ToBytes(canonicalJson({ type: 'cms.contract-content.v1', content: contractContent(content) }));
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return `0x${bytesToHex(new Uint8Array(digest))}`;
}
