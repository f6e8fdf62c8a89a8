// The hash of a template version: what a contract created from it binds in its content hash.
import { bytesToHex, utf8ToBytes } from '../bytes.js';
import { canonicalJson } from '../canonical/canonical-json.js';

/** A role placeholder as a version records it. */
export interface TemplateRoleContent {
  key: string;
  label: string;
  description: string | null;
  partyRole: 'signer' | 'approver' | 'viewer' | 'cc';
  signingOrder: number;
  did: string | null;
  name: string | null;
}

/** What a template version freezes: everything its hash covers. */
export interface TemplateVersionContent {
  body: string;
  variables: Record<string, unknown>;
  roles: TemplateRoleContent[];
  terms: Record<string, unknown>;
  expiresInDays: number | null;
  documents: { name: string; sha256: string; mediaType?: string; size?: number }[];
}

export const TEMPLATE_VERSION_TYPE = 'cms.template-version.v1';

/** Picks the hashed fields (extra fields of an API response are ignored). */
export function templateVersionContent(c: TemplateVersionContent): TemplateVersionContent {
  return {
    body: c.body,
    variables: c.variables,
    roles: c.roles.map(({ key, label, description, partyRole, signingOrder, did, name }) => ({
      key,
      label,
      description,
      partyRole,
      signingOrder,
      did,
      name,
    })),
    terms: c.terms,
    expiresInDays: c.expiresInDays,
    documents: c.documents.map(({ name, sha256, mediaType, size }) => ({ name, sha256, mediaType, size })),
  };
}

/** `0x` + SHA-256 of the RFC 8785 canonical form of `{ type: "cms.template-version.v1", content }`. */
export async function computeTemplateVersionHash(content: TemplateVersionContent): Promise<`0x${string}`> {
  return `0x${await sha256Hex(canonicalJson({ type: TEMPLATE_VERSION_TYPE, content: templateVersionContent(content) }))}`;
}

/** Lower-case hex SHA-256 of a string's UTF-8 bytes (a rendered body's `bodySha256`). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', utf8ToBytes(text) as Uint8Array<ArrayBuffer>);
  return bytesToHex(new Uint8Array(digest));
}
