// Server-side signature verification (verifyContractSignature: decode the JWS, validate the payload
// against the spec, check its canonical form, resolve the did:key (cached), verify EdDSA) against a raw
// `crypto.verify` of the same signature with the same key, measured in the same run.
import { verify } from 'node:crypto';
import { decodeCompactJws, didKeySigner, generateDidKey, type SigningPayload, signPayload } from '@cms/sdk';
import { Bench } from 'tinybench';
import { didKeyVerificationKey } from '../src/auth/did-key.js';
import { createDidResolver } from '../src/auth/did-resolver.js';
import { verifyContractSignature } from '../src/signing/verify-contract-signature.js';
import { table } from './stats.js';

const key = await generateDidKey();
const signer = await didKeySigner(key.privateKey);
const payload: SigningPayload = {
  type: 'cms.signature.v1',
  contractId: '01900000-0000-7000-8000-000000000001',
  version: 1,
  contentHash: `0x${'ab'.repeat(32)}`,
  signer: signer.did,
  role: 'signer',
  intent: 'sign',
  signedAt: new Date().toISOString(),
};
const submission = await signPayload(signer, payload);
const resolver = createDidResolver({ didWeb: { enabled: false, privateHosts: [], ca: undefined } });
const { signingInput, signature } = decodeCompactJws(submission.signature);
const publicKey = didKeyVerificationKey(signer.did);

const bench = new Bench({ time: Number(process.env.BENCH_SIGNING_MS ?? 2000) });
bench
  .add('raw crypto.verify (baseline)', () => {
    if (!verify(null, signingInput, publicKey, signature)) throw new Error('baseline failed');
  })
  .add('verifyContractSignature (server)', async () => {
    await verifyContractSignature(submission, resolver);
  });
await bench.run();

const rows = bench.tasks.map((t) => {
  const r = t.result as unknown as { throughput?: { mean: number }; hz?: number; latency?: { p50?: number } };
  return { name: t.name, hz: r.throughput?.mean ?? r.hz ?? 0, p50: r.latency?.p50 ?? 0 };
});
const base = rows[0]!.hz;
console.log('\n## Signature verification (Ed25519 JWS, one core)\n');
console.log(
  table([
    ['operation', 'verifications/s', 'p50', 'ratio to raw crypto.verify'],
    ...rows.map((r) => [r.name, r.hz.toFixed(0), `${(r.p50 * 1000).toFixed(1)} µs`, (r.hz / base).toFixed(3)]),
  ]),
);
