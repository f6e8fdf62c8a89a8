// Confidential terms end to end, with a real enclave process: sealed in the client to the attested
// enclave key, stored as ciphertext, read by parties (did:key and did:pkh) re-sealed to their own keys,
// signed by both, verified from the evidence bundle; and the plaintext is nowhere the operator looks:
// not in the database, not in the logs, not in any file the server or the enclave wrote.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type CmsClient, computeContentHash, contractContent, createCmsClient } from '@cms/sdk';
import {
  attestEnclave,
  readConfidentialTerms,
  sealConfidentialTerms,
  verifyAttestation,
  verifyConfidentialTermsSeal,
} from '@cms/sdk/enclave';
import { verifyEvidence } from '@cms/sdk/evm';
import { sql } from 'drizzle-orm';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, testEnclave } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';

const SECRET = 'Zanzibar-price-7741-CONFIDENTIAL';
const TERMS = { price: { amount: 7741, currency: 'EUR' }, clause: `Royalty schedule ${SECRET}`, rebate: 0.125 };

let server: TestServer;
let dir: string;
const logLines: string[] = [];
let owner: Awaited<ReturnType<typeof loggedInClient>>;
let alice: Awaited<ReturnType<typeof loggedInClient>>;
let bob: CmsClient;
const bobAccount = privateKeyToAccount(generatePrivateKey());
let root: string;
let pcr0: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'confidential-'));
  server = await startTestServer({
    enclave: testEnclave(join(dir, 'enclave')),
    log: {
      level: 'debug',
      destination: new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) }) as never,
    },
  });
  [owner, alice] = await Promise.all([loggedInClient(server.url), loggedInClient(server.url)]);
  bob = createCmsClient({ baseUrl: server.url });
  await bob.auth.login(bobAccount);
  const info = (await request(server.url, 'GET', '/v1/enclave')).json;
  root = info.rootCertificate;
  pcr0 = info.pcrs['0'];
}, 120_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const bobDid = () => `did:pkh:eip155:1:${bobAccount.address}`;

async function confidentialContract() {
  const enclave = await attestEnclave(owner.client, { roots: [root], expectedPcrs: { 0: pcr0 } });
  const confidentialTerms = await sealConfidentialTerms(TERMS, enclave, owner.token.organizationId);
  return owner.client.contracts.create({
    title: 'Licence with confidential royalties',
    terms: { public: 'the rest' },
    confidentialTerms,
    parties: [
      { did: alice.key.did, role: 'signer' },
      { did: bobDid(), role: 'signer' },
    ],
  });
}

describe('the enclave over HTTP', () => {
  it('publishes its root and PCRs, and answers fresh software attestations that verify only to that root', async () => {
    const info = (await request(server.url, 'GET', '/v1/enclave')).json;
    expect(info).toMatchObject({
      mode: 'software',
      hardwareBacked: false,
      sealingKey: { suite: 'DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM' },
    });
    expect(info.rootCertificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(Object.keys(info.pcrs)).toHaveLength(16);
    expect(info.pcrs['0']).toMatch(/^[0-9a-f]{96}$/);
    expect(info.pcrs['3']).toBe('0'.repeat(96));
    const nonce = 'ab'.repeat(32);
    const res = await request(server.url, 'GET', `/v1/enclave/attestation?nonce=${nonce}`);
    expect(res.json).toMatchObject({ mode: 'software', hardwareBacked: false });
    const doc = new Uint8Array(Buffer.from(res.json.document, 'base64'));
    const verified = await verifyAttestation(doc, {
      roots: [root],
      nonce,
      expectedPcrs: { 0: pcr0, 2: info.pcrs['2'] },
    });
    expect(verified).toMatchObject({
      hardwareBacked: false,
      moduleId: expect.stringMatching(/^cms-enclave-software-/),
    });
    expect(Buffer.from(verified.publicKey!).toString('base64url')).toBe(info.sealingKey.publicKey);
    // Not to the AWS root (the default), not with another nonce or another code measurement.
    await expect(verifyAttestation(doc)).rejects.toMatchObject({ reason: 'untrusted_root' });
    await expect(verifyAttestation(doc, { roots: [root], nonce: 'cd'.repeat(32) })).rejects.toMatchObject({
      reason: 'nonce_mismatch',
    });
    await expect(verifyAttestation(doc, { roots: [root], expectedPcrs: { 0: 'ee'.repeat(48) } })).rejects.toMatchObject(
      { reason: 'pcr_mismatch' },
    );
    expect((await request(server.url, 'GET', '/v1/enclave/attestation?nonce=ab')).status).toBe(422);
  });
});

describe('confidential terms', () => {
  it('are created, read by both parties, signed by both and verified from the bundle, never seen by the server', async () => {
    const created = await confidentialContract();
    const commitment = created.confidentialTerms!.commitment;
    expect(commitment).toMatch(/^0x[0-9a-f]{64}$/);
    expect(JSON.stringify(created)).not.toContain(SECRET);
    // The content hash binds the commitment: recomputed by anyone from the contract alone.
    expect(created.contentHash).toBe(await computeContentHash(contractContent(created)));
    expect(created.contentHash).not.toBe(
      await computeContentHash({ ...contractContent(created), confidentialTerms: null }),
    );

    const byAlice = await readConfidentialTerms(alice.client, created.id, alice.signer, commitment);
    expect(byAlice.terms).toEqual(TERMS);
    const byBob = await readConfidentialTerms(bob, created.id, bobAccount, commitment);
    expect(byBob.terms).toEqual(TERMS);
    const byOwner = await readConfidentialTerms(owner.client, created.id, owner.signer, commitment);
    expect(byOwner.salt).toBe(byAlice.salt);

    await owner.client.contracts.send(created.id);
    await alice.client.contracts.sign(created.id, { signer: alice.signer });
    const executed = await bob.contracts.sign(created.id, { signer: bobAccount });
    expect(executed.status).toBe('executed');
    const bundle = await owner.client.contracts.evidence(created.id);
    expect(bundle.contract.content.confidentialTerms).toEqual({ commitment });
    expect(await verifyEvidence(bundle)).toMatchObject({ valid: true });
    // The create event records the enclave's attestation of the seal; it verifies at its own time.
    const seal = await verifyConfidentialTermsSeal(bundle, { roots: [root], expectedPcrs: { 0: pcr0 } });
    expect(seal.hardwareBacked).toBe(false);
    // Changing the commitment in the bundle breaks the content hash and the seal check.
    const forged = structuredClone(bundle);
    (forged.contract.content.confidentialTerms as { commitment: string }).commitment = `0x${'1'.repeat(64)}`;
    expect((await verifyEvidence(forged)).valid).toBe(false);
    await expect(verifyConfidentialTermsSeal(forged, { roots: [root] })).rejects.toThrow('commitment');
  });

  it('are refused to outsiders, to a key the reader did not sign for, and when not sealed to this enclave', async () => {
    const created = await confidentialContract();
    const commitment = created.confidentialTerms!.commitment;
    const outsider = await loggedInClient(server.url);
    await expect(readConfidentialTerms(outsider.client, created.id, outsider.signer, commitment)).rejects.toMatchObject(
      { status: 404 },
    );
    // The server swapping in its own key for Alice's request: her proof names another key.
    const proofFor = async (recipientPublicKey: string) => {
      const { signCompactJws } = await import('@cms/sdk');
      const payload = {
        type: 'cms.confidential-read.v1',
        contractId: created.id,
        recipientPublicKey,
        did: alice.key.did,
        iat: Math.floor(Date.now() / 1000),
      };
      return signCompactJws(Buffer.from(JSON.stringify(payload)), alice.signer, { typ: 'cms-confidential-read+jws' });
    };
    const res = await request(server.url, 'POST', `/v1/contracts/${created.id}/confidential-terms/read`, {
      token: alice.token.accessToken,
      body: { recipientPublicKey: 'A'.repeat(43), proof: await proofFor('B'.repeat(43)) },
    });
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('invalid_reader_proof');
    // Bob's proof presented by Alice's session: signed by another DID.
    const bobProof = await request(server.url, 'POST', `/v1/contracts/${created.id}/confidential-terms/read`, {
      token: bob.auth.accessToken,
      body: { recipientPublicKey: 'A'.repeat(43), proof: await proofFor('A'.repeat(43)) },
    });
    expect(bobProof.json.code).toBe('invalid_reader_proof');
    // Sealed for another organization (or to another key): the enclave cannot open it.
    const enclave = await attestEnclave(owner.client, { roots: [root] });
    const elsewhere = await sealConfidentialTerms(TERMS, enclave, alice.token.organizationId);
    const wrongOrg = await request(server.url, 'POST', '/v1/contracts', {
      token: owner.token.accessToken,
      body: { title: 'x', confidentialTerms: elsewhere },
    });
    expect(wrongOrg.status).toBe(422);
    expect(wrongOrg.json).toMatchObject({
      code: 'invalid_confidential_terms',
      errors: [{ path: '/body/confidentialTerms' }],
    });
    const wrongKid = await request(server.url, 'POST', '/v1/contracts', {
      token: owner.token.accessToken,
      body: { title: 'x', confidentialTerms: { ...elsewhere, kid: '0123456789abcdef' } },
    });
    expect(wrongKid.json.code).toBe('invalid_confidential_terms');
    const plain = await owner.client.contracts.create({ title: 'No secrets' });
    expect(plain.confidentialTerms).toBeUndefined();
    expect(
      (
        await request(server.url, 'POST', `/v1/contracts/${plain.id}/confidential-terms/read`, {
          token: owner.token.accessToken,
          body: { recipientPublicKey: 'A'.repeat(43), proof: 'x'.repeat(20) },
        })
      ).status,
    ).toBe(404);
  });

  it('leave no plaintext in the database, the logs or any file', async () => {
    const created = await confidentialContract();
    await readConfidentialTerms(alice.client, created.id, alice.signer, created.confidentialTerms!.commitment);
    const needles = [SECRET, Buffer.from(SECRET).toString('hex'), Buffer.from(SECRET).toString('base64').slice(0, 24)];
    const db = server.services.database.db;
    const tables = (await db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public'`,
    )) as unknown as { rows: { table_name: string }[] };
    let dump = '';
    for (const { table_name } of tables.rows) {
      const rows = (await db.execute(
        sql.raw(`select row_to_json(t)::text as r from "${table_name}" t`),
      )) as unknown as { rows: { r: string }[] };
      dump += rows.rows.map((r) => r.r).join('\n');
    }
    expect(dump).toContain(created.confidentialTerms!.commitment);
    expect(dump).toContain('\\\\x'); // bytea ciphertext is there, hex-encoded
    for (const n of needles) expect(dump.includes(n), `database holds ${n}`).toBe(false);
    const raw =
      server.engine === 'pglite'
        ? Buffer.from(await (await server.services.database.dumpDataDir!()).arrayBuffer())
        : Buffer.alloc(0);
    expect(raw.includes(SECRET)).toBe(false);
    expect(logLines.length).toBeGreaterThan(10);
    for (const n of needles)
      expect(
        logLines.some((l) => l.includes(n)),
        `logs hold ${n}`,
      ).toBe(false);
    const files = walk(dir);
    expect(files.some((f) => f.endsWith('confidential-reads.log'))).toBe(true);
    for (const f of files) expect(readFileSync(f).includes(SECRET), `${f} holds the secret`).toBe(false);
    expect(readFileSync(join(dir, 'enclave/confidential-reads.log'), 'utf8')).toContain(alice.key.did);
  });
});

function walk(d: string): string[] {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
