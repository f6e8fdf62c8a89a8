// verifyEvidence offline, on a bundle built here the way the server builds one (real keys, real
// hashes, real Merkle proofs); the chain checks run against a real chain in the server's tests.
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeAuditEventHash, GENESIS_HASH } from '../audit/audit-event-hash.js';
import { base64urlToBytes } from '../bytes.js';
import { type ContractContent, computeContentHash } from '../contracts/content-hash.js';
import { didKeySigner, generateDidKey } from '../did/did-key.js';
import { didPkhFromAddress } from '../did/did-pkh.js';
import { evmEvidenceVerifier, verifyEvidence } from '../evm/evm-evidence-verifier.js';
import { ledgerBatchIdOf } from '../ledger/ledger-batch-id.js';
import { ledgerLeafOf, merkleRootFromProof } from '../ledger/merkle.js';
import { signPayload } from '../signing/contract-signer.js';
import type { SigningPayload } from '../signing/signing-payload.js';
import type { EvidenceBundle } from './evidence-bundle.js';
import { EvmVerifierRequiredError } from './evm-verifier.js';
import { verifyEvidence as verifyEvidenceCore } from './verify-evidence.js';

const ORG = '01900000-0000-7000-8000-000000000001';
const CONTRACT = '01900000-0000-7000-8000-0000000000c1';
const LEDGER = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const uuid = (n: number) => `01900000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const hex32 = (byte: string) => `0x${byte.repeat(32)}`;

let valid: EvidenceBundle;

/** An executed contract: a did:key signer (order 1), an Ethereum account (order 2), a viewer; anchored. */
async function buildBundle(): Promise<EvidenceBundle> {
  const alice = await didKeySigner((await generateDidKey()).privateKey);
  const bob = privateKeyToAccount(generatePrivateKey());
  const bobDid = didPkhFromAddress(bob.address);
  const owner = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
  const content: ContractContent = {
    title: 'Consulting agreement',
    description: null,
    terms: { rate: 120, remote: true },
    parties: [
      { did: alice.did, role: 'signer', name: 'Alice', signingOrder: 1 },
      { did: bobDid, role: 'signer', name: null, signingOrder: 2 },
      { did: owner, role: 'viewer', name: null, signingOrder: 1 },
    ],
    documents: [{ name: 'sow.pdf', sha256: 'ab'.repeat(32), mediaType: 'application/pdf', size: 1234 }],
    expiresAt: null,
  };
  const contentHash = await computeContentHash(content);
  const t0 = Date.parse('2026-03-01T10:00:00.000Z');
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  const payload = (signer: string, signedAt: string): SigningPayload => ({
    type: 'cms.signature.v1',
    contractId: CONTRACT,
    version: 1,
    contentHash,
    signer,
    role: 'signer',
    intent: 'sign',
    signedAt,
  });
  const sigA = await signPayload(alice, payload(alice.did, at(30)));
  const sigB = await signPayload(bob, payload(bobDid, at(50)));
  const base = { fromStatus: null, version: 1, contentHash };
  const raw = [
    { action: 'contract.created', actorDid: owner, at: 0, data: { ...base, toStatus: 'draft' } },
    { action: 'contract.send', actorDid: owner, at: 10, data: { ...base, fromStatus: 'draft', toStatus: 'pending' } },
    { action: 'contract.viewed', actorDid: alice.did, at: 20, data: { partyDid: alice.did } },
    {
      action: 'contract.sign',
      actorDid: alice.did,
      at: 31,
      data: {
        ...base,
        fromStatus: 'pending',
        toStatus: 'partially_signed',
        partyDid: alice.did,
        signature: { format: 'jws', intent: 'sign', signedAt: at(30) },
      },
    },
    {
      action: 'contract.sign',
      actorDid: bobDid,
      at: 51,
      data: {
        ...base,
        fromStatus: 'partially_signed',
        toStatus: 'executed',
        partyDid: bobDid,
        signature: { format: 'eip712', intent: 'sign', signedAt: at(50) },
      },
    },
  ];
  const events: EvidenceBundle['events'] = [];
  let prevHash: string = GENESIS_HASH;
  for (const [i, e] of raw.entries()) {
    const event = {
      id: uuid(i + 1),
      organizationId: ORG,
      seq: i + 1,
      occurredAt: at(e.at),
      actorDid: e.actorDid,
      action: e.action,
      resource: { type: 'contract', id: CONTRACT },
      data: { ...e.data, revision: i + 1 },
      prevHash,
    };
    const hash = await computeAuditEventHash(event);
    events.push({ ...event, hash });
    prevHash = hash;
  }
  // created + send in one batch of two; each signature in a batch of its own.
  const leaf = (i: number) => ledgerLeafOf(events[i]!.hash as `0x${string}`);
  const pairRoot = merkleRootFromProof(leaf(0), [leaf(1)]);
  const anchor = (i: number, root: string, proof: string[], batch: number, tx: string, block: number) => ({
    auditEventId: events[i]!.id,
    eventHash: events[i]!.hash,
    status: 'confirmed' as const,
    batchId: ledgerBatchIdOf(root as `0x${string}`),
    transactionHash: hex32(tx),
    blockNumber: block,
    chainId: 31337,
    ledgerAddress: LEDGER,
    root,
    leaf: leaf(i),
    proof,
    anchoredAt: at(60 + block),
  });
  return {
    type: 'cms.evidence.v1',
    contract: {
      id: CONTRACT,
      organizationId: ORG,
      status: 'executed',
      version: 1,
      contentHash,
      content: content as EvidenceBundle['contract']['content'],
    },
    signatures: [
      { ...sigA, recordedAt: at(31) },
      { ...sigB, recordedAt: at(51) },
    ],
    events,
    anchors: [
      anchor(0, pairRoot, [leaf(1)], 1, 'a1', 2),
      anchor(1, pairRoot, [leaf(0)], 1, 'a1', 2),
      anchor(3, leaf(3), [], 2, 'b2', 3),
      anchor(4, leaf(4), [], 3, 'c3', 4),
    ],
  };
}

beforeAll(async () => {
  valid = await buildBundle();
});

const copy = (): EvidenceBundle => structuredClone(valid);
const failed = async (bundle: unknown, options?: Parameters<typeof verifyEvidence>[1]) => {
  const r = await verifyEvidence(bundle, options);
  return r.checks.filter((c) => !c.ok).map((c) => `${c.check}: ${c.detail}`);
};

describe('verifyEvidence offline', () => {
  it('passes a valid bundle, naming every check it ran', async () => {
    const r = await verifyEvidence(valid, { ledgerAddress: LEDGER, requireAnchors: true });
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r).toMatchObject({ valid: true, chainChecked: false });
    expect(r.checks.map((c) => c.check)).toEqual([
      'bundle.shape',
      'contract.contentHash',
      'signatures[0].signature',
      'signatures[0].payload',
      'signatures[0].event',
      'signatures[1].signature',
      'signatures[1].payload',
      'signatures[1].event',
      ...[0, 1, 2, 3, 4].flatMap((i) => [`events[${i}].hash`, `events[${i}].contract`]),
      'events.chain',
      'events.revisions',
      'events.transitions',
      'events.signatures',
      'contract.status',
      ...[0, 1, 2, 3].flatMap((i) => [`anchors[${i}].proof`, `anchors[${i}].record`]),
      'anchors.coverage',
      'anchors.batches',
      ...[0, 1, 2, 3].map((i) => `anchors[${i}].ledger`),
    ]);
    expect(r.checks.find((c) => c.check === 'events.transitions')?.detail).toBe(
      'draft → pending → partially_signed → executed',
    );
    expect(r.checks.find((c) => c.check === 'contract.status')?.detail).toBe(
      'executed at version 1, 2 of 2 signers and approvers signed',
    );
  });

  it('refuses anything that is not a bundle, naming the fields', async () => {
    expect(await failed(null)).toEqual(['bundle.shape: bundle: expected an object, found null']);
    // biome-ignore lint/suspicious/noExplicitAny: the test deletes a required field the type forbids deleting
    const b: any = copy();
    delete b.contract.content.parties[0].name;
    b.anchors[0].extra = 1;
    b.events[0].hash = b.events[0].hash.toUpperCase().replace('0X', '0x');
    expect(await failed(b)).toEqual([
      'bundle.shape: bundle.contract.content.parties[0].name: missing; bundle.events[0].hash: expected 0x and 64 lower-case hex digits, found ' +
        JSON.stringify(b.events[0].hash) +
        '; bundle.anchors[0].extra: unexpected field',
    ]);
  });

  it('names the content hash when the terms were changed', async () => {
    const b = copy();
    b.contract.content.terms = { rate: 1, remote: true };
    expect(await failed(b)).toEqual([
      expect.stringMatching(/^contract\.contentHash: the content hashes to 0x[0-9a-f]{64}, not 0x/),
    ]);
  });

  it('rejects a signature by another key, or in another spelling of the same bytes', async () => {
    const other = copy();
    const mallory = await didKeySigner((await generateDidKey()).privateKey);
    const forged = await signPayload(
      { ...mallory, did: valid.signatures[0]!.payload.signer },
      valid.signatures[0]!.payload as SigningPayload,
    );
    other.signatures[0]!.signature = forged.signature;
    expect(await failed(other)).toEqual([
      expect.stringMatching(
        /^signatures\[0\]\.signature: the Ed25519 signature does not verify with the key of did:key:/,
      ),
      expect.stringContaining('contract.status: executed, but without a valid signature of did:key:'),
    ]);

    // The last base64url character of a 64-byte signature has 4 unused bits: same bytes, other text.
    const spelled = copy();
    const [h, p, s] = spelled.signatures[0]!.signature.split('.') as [string, string, string];
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = s.slice(0, -1) + last[last.indexOf(s.at(-1)!) ^ 1];
    expect(base64urlToBytes(twin)).toEqual(base64urlToBytes(s));
    spelled.signatures[0]!.signature = `${h}.${p}.${twin}`;
    expect((await failed(spelled))[0]).toBe('signatures[0].signature: the JWS signature is not canonical base64url');

    const upper = copy();
    upper.signatures[1]!.signature = upper.signatures[1]!.signature.replace(/[a-f]/, (c) => c.toUpperCase());
    expect((await failed(upper))[0]).toBe(
      'signatures[1].signature: an EIP-712 signature is 0x and 130 lower-case hex digits',
    );
  });

  it('rejects a JWS whose payload is not the canonical JSON of the bundle’s payload', async () => {
    const b = copy();
    b.signatures[0]!.payload = { ...b.signatures[0]!.payload, signedAt: '2026-03-01T10:00:31.000Z' };
    expect(await failed(b)).toContain(
      'signatures[0].signature: the JWS payload is not the canonical JSON (RFC 8785) of the bundle’s payload',
    );
  });

  it('binds each signature to the event that recorded it', async () => {
    const b = copy();
    b.signatures[1]!.recordedAt = '2026-03-01T10:00:52.000Z';
    expect(await failed(b)).toEqual([
      'signatures[1].event: recordedAt 2026-03-01T10:00:52.000Z is not the event’s time 2026-03-01T10:00:51.000Z',
      expect.stringContaining('contract.status: executed, but without a valid signature of did:pkh:eip155:1:'),
    ]);
    const dropped = copy();
    dropped.signatures.pop();
    expect(await failed(dropped)).toEqual([
      'events.signatures: events[4] (contract.sign) references a signature the bundle holds 0 times',
      expect.stringContaining('contract.status: executed, but without a valid signature of did:pkh:'),
    ]);
  });

  it('notices a missing event, even one that is not anchored', async () => {
    const b = copy();
    b.events.splice(2, 1); // contract.viewed
    expect(await failed(b)).toEqual([
      'events.revisions: events[2] records revision 4, expected 3; events[3] records revision 5, expected 4',
    ]);
  });

  it('checks the status against the history and the signatures', async () => {
    const b = copy();
    b.contract.status = 'partially_signed';
    expect(await failed(b)).toEqual([
      'contract.status: the last change (contract.sign) left the contract "executed", not partially_signed; a partially signed contract has between 1 and 1 signatures, not 2',
    ]);
  });

  it('checks every proof, and anchors when required', async () => {
    const b = copy();
    b.anchors[1]!.proof = [b.anchors[2]!.leaf!];
    expect(await failed(b)).toEqual([
      expect.stringMatching(/^anchors\[1\]\.proof: the proof folds to 0x[0-9a-f]{64}, not the root 0x/),
    ]);
    const unanchored = copy();
    unanchored.anchors.pop();
    expect(await failed(unanchored)).toEqual([]);
    expect(await failed(unanchored, { requireAnchors: true })).toEqual([
      'anchors.coverage: not anchored: contract.sign (seq 5)',
    ]);
    expect(await failed(valid, { ledgerAddress: '0x0000000000000000000000000000000000000001' })).toHaveLength(4);
  });

  it('binds each anchor’s batch id to its root', async () => {
    const b = copy();
    // Both anchors of the pair's root renamed alike: no other anchor contradicts them, the root does.
    const other = '01020304-0506-8708-890a-0b0c0d0e0f10';
    b.anchors[0]!.batchId = other;
    b.anchors[1]!.batchId = other;
    const batch = ledgerBatchIdOf(b.anchors[0]!.root as `0x${string}`);
    expect(await failed(b)).toEqual([
      `anchors[0].record: batch ${other} is not the batch of root ${b.anchors[0]!.root} (${batch})`,
      `anchors[1].record: batch ${other} is not the batch of root ${b.anchors[0]!.root} (${batch})`,
    ]);
  });

  it('throws only on misuse', async () => {
    await expect(verifyEvidence(valid, { rpcUrl: 'x' } as never)).rejects.toThrow(
      'Unknown verifyEvidence option(s): rpcUrl',
    );
    await expect(verifyEvidence(valid, { client: {} as never })).rejects.toThrow(
      'verifyEvidence needs the ledgerAddress you trust',
    );
    await expect(verifyEvidence(valid, { ledgerAddress: '0x12' as never })).rejects.toThrow(
      'ledgerAddress must be a 0x address',
    );
    await expect(verifyEvidence('not json at all')).resolves.toMatchObject({
      valid: false,
      checks: [{ check: 'bundle.shape', ok: false }],
    });
  });

  it('without @cms/sdk/evm, refuses EIP-712 signatures and chain checks with a typed error naming it', async () => {
    const error = await verifyEvidenceCore(valid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvmVerifierRequiredError);
    expect(error).toMatchObject({ code: 'evm_verifier_required', name: 'EvmVerifierRequiredError' });
    expect((error as Error).message).toContain('@cms/sdk/evm');
    await expect(verifyEvidenceCore(valid, { client: {} } as never)).rejects.toThrow(EvmVerifierRequiredError);
    await expect(verifyEvidenceCore(valid, { evm: {} as never })).rejects.toThrow('evmEvidenceVerifier');
  });

  it('with the evm verifier plugged in, the main entry checks the same as @cms/sdk/evm', async () => {
    expect(await verifyEvidenceCore(valid, { evm: evmEvidenceVerifier() })).toEqual(await verifyEvidence(valid));
  });

  it('verifies a did:key-only bundle without @cms/sdk/evm', async () => {
    const b = structuredClone(valid);
    const i = b.signatures.findIndex((s) => s.format === 'eip712');
    const result = await verifyEvidenceCore({ ...b, signatures: b.signatures.filter((_, j) => j !== i) });
    expect(result.chainChecked).toBe(false);
    expect(result.checks.find((c) => c.check === 'signatures[0].signature')).toMatchObject({ ok: true });
  });
});
