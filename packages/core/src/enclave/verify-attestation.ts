// Verifies an attestation document in the AWS Nitro Enclaves format (COSE_Sign1, ES384, CBOR payload)
// the way AWS specifies it: the signature with the leaf certificate's key, the certificate chain from a
// pinned root through `cabundle` to the leaf at `now`, then nonce, freshness and the PCR allow-list.
// Works in Node ≥ 20 and browsers (WebCrypto, pkijs, cborg).
import * as asn1js from 'asn1js';
import { Certificate } from 'pkijs';
import { base64urlToBytes, bytesToHex, hexToBytes } from '../bytes.js';
import { AttestationError } from './attestation-error.js';
import { decodeCbor, decodeCoseSign1, sigStructure } from './cose-sign1.js';
import { AWS_NITRO_ROOT_CERTIFICATE } from './nitro-root.js';

export interface VerifyAttestationOptions {
  /** Trusted roots (PEM or DER). @default [AWS_NITRO_ROOT_CERTIFICATE] */
  roots?: (string | Uint8Array)[];
  /** PCR index → allowed values (hex); every listed PCR must match one. All-zero values are never accepted. */
  expectedPcrs?: Record<number, string | string[]>;
  /** The nonce the document must carry (bytes or hex); without one, no nonce is required. */
  nonce?: Uint8Array | string;
  /** The time certificates must be valid at and freshness is measured from. @default new Date() */
  now?: Date;
  /** How old the document may be at `now`. @default 300000 (5 minutes) */
  maxAgeMs?: number;
}

export interface VerifiedAttestation {
  moduleId: string;
  timestamp: Date;
  /** PCR index → value (hex). */
  pcrs: Record<number, string>;
  /** The enclave's public key from the document (for CMS: its HPKE X25519 key), if any. */
  publicKey: Uint8Array | null;
  userData: Uint8Array | null;
  nonce: Uint8Array | null;
  /** The leaf certificate (DER). */
  certificate: Uint8Array;
  /** True when the chain ends at the AWS Nitro root: the document comes from Nitro hardware. */
  hardwareBacked: boolean;
}

const MAX_CLOCK_SKEW_MS = 60_000;
const fail = (reason: ConstructorParameters<typeof AttestationError>[0], message: string): never => {
  throw new AttestationError(reason, message);
};

/** Decodes and checks a document; throws `AttestationError` with the first reason it is refused. */
export async function verifyAttestation(
  document: Uint8Array,
  options: VerifyAttestationOptions = {},
): Promise<VerifiedAttestation> {
  const now = options.now ?? new Date();
  const cose = decodeCoseSign1(document);
  if (cose.protectedHeader.size !== 1 || cose.protectedHeader.get(1) !== -35)
    fail('unsupported_algorithm', 'the protected header must name ES384 (alg -35) and nothing else');
  if (cose.signature.length !== 96) fail('malformed', 'an ES384 signature is 96 bytes');
  const doc = payloadOf(cose.payload);

  // The signature first: it covers everything else, so a changed byte anywhere fails here.
  const leaf = parseCertificate(doc.certificate, 'certificate');
  const leafKey = await importEcdsaKey(leaf);
  const signed = await crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-384' },
    leafKey,
    cose.signature as Uint8Array<ArrayBuffer>,
    sigStructure(cose.protectedBytes, cose.payload) as Uint8Array<ArrayBuffer>,
  );
  if (!signed) fail('bad_signature', 'the COSE_Sign1 signature does not verify with the certificate’s key');

  // Chain: cabundle[0] is the root; each next certificate is issued by the one before; the leaf last.
  const roots = (options.roots ?? [AWS_NITRO_ROOT_CERTIFICATE]).map(derOf);
  const bundleRoot = doc.cabundle[0]!;
  if (!roots.some((r) => equalBytes(r, bundleRoot)))
    fail('untrusted_root', 'the chain does not start at a trusted root');
  const chain = [...doc.cabundle.map((c, i) => parseCertificate(c, `cabundle[${i}]`)), leaf];
  for (let i = 0; i < chain.length; i++) {
    const cert = chain[i]!;
    const issuer = chain[Math.max(i - 1, 0)]!;
    if (now < cert.notBefore.value || now > cert.notAfter.value)
      fail(
        'expired',
        `${i === chain.length - 1 ? 'the certificate' : `cabundle[${i}]`} is not valid at ${now.toISOString()}`,
      );
    if (i < chain.length - 1 && !isCa(cert)) fail('bad_chain', `cabundle[${i}] is not a CA certificate`);
    if (!(await verifyIssued(cert, issuer)))
      fail('bad_chain', `${i === chain.length - 1 ? 'the certificate' : `cabundle[${i}]`} is not signed by its issuer`);
  }

  if (options.nonce !== undefined) {
    const expected = typeof options.nonce === 'string' ? hexToBytes(options.nonce) : options.nonce;
    if (!doc.nonce || !equalBytes(doc.nonce, expected))
      fail('nonce_mismatch', 'the document does not carry the expected nonce');
  }
  const age = now.getTime() - doc.timestamp;
  if (age > (options.maxAgeMs ?? 300_000) || age < -MAX_CLOCK_SKEW_MS)
    fail('stale', `the document is from ${new Date(doc.timestamp).toISOString()}, too far from ${now.toISOString()}`);

  const pcrs = Object.fromEntries([...doc.pcrs].map(([i, v]) => [i, bytesToHex(v)]));
  // A debug enclave reports PCR0 as zeros: its memory is inspectable, so it proves nothing.
  if (!pcrs[0] || /^0+$/.test(pcrs[0])) fail('debug_pcrs', 'PCR0 is all zeros (a debug enclave)');
  for (const [index, allowed] of Object.entries(options.expectedPcrs ?? {})) {
    const values = (Array.isArray(allowed) ? allowed : [allowed]).map((v) => v.toLowerCase().replace(/^0x/, ''));
    const actual = pcrs[Number(index)];
    if (!actual || /^0+$/.test(actual)) fail('debug_pcrs', `PCR${index} is all zeros`);
    if (!values.includes(actual!)) fail('pcr_mismatch', `PCR${index} is ${actual}, not an allowed value`);
  }
  const awsRoot = derOf(AWS_NITRO_ROOT_CERTIFICATE);
  return {
    moduleId: doc.moduleId,
    timestamp: new Date(doc.timestamp),
    pcrs,
    publicKey: doc.publicKey,
    userData: doc.userData,
    nonce: doc.nonce,
    certificate: doc.certificate,
    hardwareBacked: equalBytes(bundleRoot, awsRoot),
  };
}

interface NitroPayload {
  moduleId: string;
  timestamp: number;
  pcrs: Map<number, Uint8Array>;
  certificate: Uint8Array;
  cabundle: Uint8Array[];
  publicKey: Uint8Array | null;
  userData: Uint8Array | null;
  nonce: Uint8Array | null;
}

const KNOWN_FIELDS = new Set([
  'module_id',
  'digest',
  'timestamp',
  'pcrs',
  'certificate',
  'cabundle',
  'public_key',
  'user_data',
  'nonce',
]);

/** The payload's fields with the types and bounds of AWS's specification. */
function payloadOf(bytes: Uint8Array): NitroPayload {
  const m = decodeCbor(bytes, 'the payload');
  if (!(m instanceof Map)) return fail('malformed', 'the payload is not a map');
  for (const key of m.keys())
    if (!KNOWN_FIELDS.has(key as string)) fail('malformed', `unknown payload field ${String(key).slice(0, 40)}`);
  const moduleId = m.get('module_id');
  if (typeof moduleId !== 'string' || !moduleId) fail('malformed', 'module_id must be a non-empty string');
  if (m.get('digest') !== 'SHA384') fail('malformed', 'digest must be SHA384');
  const timestamp = m.get('timestamp');
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp <= 0)
    fail('malformed', 'timestamp must be a positive integer (ms)');
  const pcrs = m.get('pcrs');
  if (!(pcrs instanceof Map) || pcrs.size < 1 || pcrs.size > 32)
    fail('malformed', 'pcrs must be a map of 1 to 32 entries');
  for (const [i, v] of pcrs as Map<unknown, unknown>) {
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i > 31)
      fail('malformed', 'a PCR index must be 0 to 31');
    if (!(v instanceof Uint8Array) || ![32, 48, 64].includes(v.length))
      fail('malformed', `PCR${i} must be 32, 48 or 64 bytes`);
  }
  const certificate = m.get('certificate');
  if (!(certificate instanceof Uint8Array) || certificate.length < 1 || certificate.length > 1024)
    fail('malformed', 'certificate must be 1 to 1024 bytes');
  const cabundle = m.get('cabundle');
  if (
    !Array.isArray(cabundle) ||
    cabundle.length < 1 ||
    !cabundle.every((c) => c instanceof Uint8Array && c.length >= 1 && c.length <= 1024)
  )
    fail('malformed', 'cabundle must be a list of 1 to 1024-byte certificates');
  const optional = (name: string, max: number): Uint8Array | null => {
    const v = m.get(name);
    if (v === undefined || v === null) return null;
    if (!(v instanceof Uint8Array) || v.length > max) return fail('malformed', `${name} must be at most ${max} bytes`);
    return v;
  };
  return {
    moduleId: moduleId as string,
    timestamp: timestamp as number,
    pcrs: pcrs as Map<number, Uint8Array>,
    certificate: certificate as Uint8Array,
    cabundle: cabundle as Uint8Array[],
    publicKey: optional('public_key', 1024),
    userData: optional('user_data', 1024),
    nonce: optional('nonce', 1024),
  };
}

function parseCertificate(der: Uint8Array, what: string): Certificate {
  const asn1 = asn1js.fromBER(der as Uint8Array<ArrayBuffer>);
  if (asn1.offset === -1 || asn1.offset !== der.length) fail('malformed', `${what} is not a DER certificate`);
  try {
    return new Certificate({ schema: asn1.result });
  } catch {
    return fail('malformed', `${what} is not an X.509 certificate`);
  }
}

const P384_OID = '1.3.132.0.34';

async function importEcdsaKey(cert: Certificate): Promise<CryptoKey> {
  const spki = cert.subjectPublicKeyInfo;
  if (
    spki.algorithm.algorithmId !== '1.2.840.10045.2.1' ||
    (spki.algorithm.algorithmParams as asn1js.ObjectIdentifier | undefined)?.valueBlock?.toString() !== P384_OID
  ) {
    fail('unsupported_algorithm', 'the certificate key is not ECDSA P-384');
  }
  try {
    return await crypto.subtle.importKey(
      'spki',
      spki.toSchema().toBER(false),
      { name: 'ECDSA', namedCurve: 'P-384' },
      false,
      ['verify'],
    );
  } catch {
    return fail('malformed', 'the certificate’s public key is not a valid P-384 point');
  }
}

async function verifyIssued(cert: Certificate, issuer: Certificate): Promise<boolean> {
  if (cert.signatureAlgorithm.algorithmId !== '1.2.840.10045.4.3.3')
    fail('unsupported_algorithm', 'certificates must be signed with ECDSA with SHA-384');
  try {
    return await cert.verify(issuer);
  } catch {
    return false;
  }
}

function isCa(cert: Certificate): boolean {
  const bc = cert.extensions?.find((e) => e.extnID === '2.5.29.19');
  return Boolean((bc?.parsedValue as { cA?: boolean } | undefined)?.cA);
}

function derOf(cert: string | Uint8Array): Uint8Array {
  if (typeof cert !== 'string') return cert;
  const b64 = cert.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return base64urlToBytes(b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
