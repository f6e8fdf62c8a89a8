// The exact shape of an evidence bundle (`cms.evidence.v1`), checked before anything else. Strict on
// purpose: a field the verifier does not know is a field nothing binds, so it is refused; and every hex
// value, id and time has one spelling (lower-case hex, canonical ISO time), so no byte of a valid bundle
// can change without some check noticing.
import { checksumAddress } from '../keccak256.js';
import type { EvidenceBundle } from './evidence-bundle.js';

type Shape = (value: unknown, path: string, problems: string[]) => void;

const HEX32 = /^0x[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

const string =
  (test?: { pattern?: RegExp; min?: number; max?: number; is?: (s: string) => boolean; what?: string }): Shape =>
  (v, path, problems) => {
    if (typeof v !== 'string') return void problems.push(`${path}: expected a string, found ${describe(v)}`);
    const bad =
      (test?.pattern && !test.pattern.test(v)) ||
      (test?.min !== undefined && v.length < test.min) ||
      (test?.max !== undefined && v.length > test.max) ||
      (test?.is && !test.is(v));
    if (bad)
      problems.push(
        `${path}: expected ${test?.what ?? test?.pattern?.source ?? 'another string'}, found ${JSON.stringify(v.slice(0, 80))}`,
      );
  };

const hex32 = string({ pattern: HEX32, what: '0x and 64 lower-case hex digits' });
const uuid = string({ pattern: UUID, what: 'a lower-case UUID' });
const isoTime = string({
  is: (s) => ISO_TIME.test(s) && !Number.isNaN(Date.parse(s)) && new Date(s).toISOString() === s,
  what: 'an ISO 8601 UTC time with milliseconds',
});
const did = string({ pattern: /^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/, min: 8, max: 512, what: 'a DID' });
const checksummedAddress = string({
  is: (s) => /^0x[0-9a-fA-F]{40}$/.test(s) && checksumAddress(s) === s,
  what: 'a checksummed address',
});

const oneOf =
  (...values: readonly string[]): Shape =>
  (v, path, problems) => {
    if (typeof v !== 'string' || !values.includes(v))
      problems.push(`${path}: expected one of ${values.join(', ')}, found ${JSON.stringify(v)}`);
  };

const integer =
  (min = Number.MIN_SAFE_INTEGER): Shape =>
  (v, path, problems) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min)
      problems.push(`${path}: expected an integer ≥ ${min}, found ${JSON.stringify(v)}`);
  };

const nullable =
  (shape: Shape): Shape =>
  (v, path, problems) => {
    if (v !== null) shape(v, path, problems);
  };

/** Any JSON object: its content is bound by a hash, not by this shape. */
const jsonObject: Shape = (v, path, problems) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    problems.push(`${path}: expected an object, found ${describe(v)}`);
};

const array =
  (item: Shape): Shape =>
  (v, path, problems) => {
    if (!Array.isArray(v)) return void problems.push(`${path}: expected an array, found ${describe(v)}`);
    v.forEach((x, i) => {
      item(x, `${path}[${i}]`, problems);
    });
  };

/** An object with exactly these fields (`optional` ones may be absent); any other field is refused. */
const object =
  (fields: Record<string, Shape>, optional: Record<string, Shape> = {}): Shape =>
  (v, path, problems) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      return void problems.push(`${path}: expected an object, found ${describe(v)}`);
    const o = v as Record<string, unknown>;
    for (const [key, shape] of Object.entries(fields)) {
      if (!(key in o)) problems.push(`${path}.${key}: missing`);
      else shape(o[key], `${path}.${key}`, problems);
    }
    for (const [key, shape] of Object.entries(optional)) if (key in o) shape(o[key], `${path}.${key}`, problems);
    for (const key of Object.keys(o))
      if (!(key in fields) && !(key in optional)) problems.push(`${path}.${key}: unexpected field`);
  };

const partyRole = oneOf('signer', 'approver', 'viewer', 'cc');

/** A JSON object whose values all pass `value`. */
const recordOf =
  (value: Shape): Shape =>
  (v, path, problems) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      return void problems.push(`${path}: expected an object, found ${describe(v)}`);
    for (const [k, x] of Object.entries(v)) value(x, `${path}.${k}`, problems);
  };

const documentRef = object(
  {
    name: string({ min: 1, max: 255 }),
    sha256: string({ pattern: /^[0-9a-f]{64}$/, what: '64 lower-case hex digits' }),
  },
  { mediaType: string({ max: 255 }), size: integer(0) },
);
const sha256 = string({ pattern: /^[0-9a-f]{64}$/, what: '64 lower-case hex digits' });
const roleKey = string({ pattern: /^[A-Za-z][A-Za-z0-9_]{0,63}$/, what: 'a role key' });

// A contract created from a template binds the version (by hash), the values and the rendered body.
const templateBinding = object({
  id: uuid,
  version: integer(1),
  hash: hex32,
  variables: jsonObject,
  roles: recordOf(did),
  bodySha256: sha256,
});

// The template version itself, so the verifier can recompute its hash and re-render the body.
const evidenceTemplate = object({
  id: uuid,
  version: integer(1),
  hash: hex32,
  content: object({
    body: string(),
    variables: jsonObject,
    roles: array(
      object({
        key: roleKey,
        label: string(),
        description: nullable(string()),
        partyRole,
        signingOrder: integer(1),
        did: nullable(did),
        name: nullable(string()),
      }),
    ),
    terms: jsonObject,
    expiresInDays: nullable(integer(1)),
    documents: array(documentRef),
  }),
  renderedBody: string(),
});

const content = object(
  {
    title: string(),
    description: nullable(string()),
    terms: jsonObject,
    parties: array(object({ did, role: partyRole, name: nullable(string()), signingOrder: integer() })),
    documents: array(documentRef),
    expiresAt: nullable(isoTime),
  },
  { template: templateBinding, confidentialTerms: object({ commitment: hex32 }) },
);

const signingPayload = object(
  {
    type: oneOf('cms.signature.v1'),
    contractId: uuid,
    version: integer(1),
    contentHash: hex32,
    signer: did,
    role: partyRole,
    intent: oneOf('sign', 'decline'),
    signedAt: isoTime,
  },
  { reason: string({ min: 1, max: 1000, what: '1 to 1000 characters' }) },
);

const bundleShape = object(
  {
    type: oneOf('cms.evidence.v1'),
    contract: object({
      id: uuid,
      organizationId: uuid,
      status: oneOf('draft', 'pending', 'partially_signed', 'executed', 'declined', 'voided', 'expired', 'terminated'),
      version: integer(1),
      contentHash: hex32,
      content,
    }),
    signatures: array(
      object({
        format: oneOf('jws', 'eip712'),
        signature: string({ min: 1, max: 8192 }),
        payload: signingPayload,
        recordedAt: isoTime,
      }),
    ),
    events: array(
      object({
        id: uuid,
        organizationId: uuid,
        seq: integer(1),
        occurredAt: isoTime,
        actorDid: string({ min: 1 }),
        action: string({ min: 1 }),
        resource: object({ type: string({ min: 1 }), id: string({ min: 1 }) }),
        data: jsonObject,
        prevHash: hex32,
        hash: hex32,
      }),
    ),
    // Only anchors whose batch reached the chain belong in a bundle, so root, leaf and proof are never null.
    anchors: array(
      object({
        auditEventId: uuid,
        eventHash: hex32,
        status: oneOf('submitted', 'confirmed'),
        batchId: nullable(uuid),
        transactionHash: nullable(hex32),
        blockNumber: nullable(integer(0)),
        chainId: nullable(integer(1)),
        ledgerAddress: nullable(checksummedAddress),
        root: hex32,
        leaf: hex32,
        proof: array(hex32),
        anchoredAt: nullable(isoTime),
      }),
    ),
  },
  // Present exactly when the contract was created from a template (checked in check-template.ts).
  { template: evidenceTemplate },
);

/** Every way `value` differs from the shape of an evidence bundle (empty when it has it). */
export function evidenceShapeProblems(value: unknown): string[] {
  const problems: string[] = [];
  bundleShape(value, 'bundle', problems);
  return problems;
}

/** The bundle, typed, once `evidenceShapeProblems` found nothing. */
export type CheckedBundle = Omit<EvidenceBundle, 'anchors'> & { anchors: CheckedAnchor[] };
type CheckedAnchor = Omit<EvidenceBundle['anchors'][number], 'status' | 'root' | 'leaf' | 'proof'> & {
  status: 'submitted' | 'confirmed';
  root: string;
  leaf: string;
  proof: string[];
};
