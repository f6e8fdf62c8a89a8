// Real AWS Nitro attestation documents (test/fixtures/nitro, README there) verified at their own times,
// and refused when tampered with, expired, for another nonce, or from a debug enclave.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'cborg';
import { describe, expect, it } from 'vitest';
import { AttestationError } from './attestation-error.js';
import { AWS_NITRO_ROOT_CERTIFICATE } from './nitro-root.js';
import { verifyAttestation } from './verify-attestation.js';

const dir = join(import.meta.dirname, '../../test/fixtures/nitro');
const load = (file: string) => {
  const raw = readFileSync(join(dir, file));
  return new Uint8Array(file.endsWith('.b64') ? Buffer.from(raw.toString('utf8').trim(), 'base64') : raw);
};
const VECTORS = [
  {
    file: 'blocky-nitro_attestation.b64',
    time: '2024-09-07T14:37:39.545Z',
    pcr0: 'e72a46ca',
    nonce: new Uint8Array(1024).fill(1),
  },
  { file: 'marlin-sample_attestation.bin', time: '2024-02-26T07:02:01.439Z', pcr0: '17bf8f04', nonce: undefined },
  { file: 'marlin-sample_attestation2.bin', time: '2024-04-03T13:08:22.338Z', pcr0: 'ea6ff0cc', nonce: undefined },
] as const;
const reason = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e, 'expected a rejection').toBeInstanceOf(AttestationError);
  return (e as AttestationError).reason;
};

describe('verifyAttestation: real Nitro documents', () => {
  it('pins the AWS root AWS documents (its SHA-256 fingerprint)', () => {
    const der = Buffer.from(AWS_NITRO_ROOT_CERTIFICATE.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    expect(createHash('sha256').update(der).digest('hex')).toBe(
      '641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b',
    );
  });

  for (const v of VECTORS) {
    it(`${v.file} verifies at its time, as hardware-backed, with its PCRs`, async () => {
      const doc = load(v.file);
      const now = new Date(v.time);
      const result = await verifyAttestation(doc, { now, nonce: v.nonce });
      expect(result.hardwareBacked).toBe(true);
      expect(result.timestamp.toISOString()).toBe(v.time);
      expect(result.pcrs[0]!.startsWith(v.pcr0)).toBe(true);
      expect(
        await verifyAttestation(doc, {
          now,
          expectedPcrs: { 0: result.pcrs[0]!, 1: [`0x${'ab'.repeat(48)}`, result.pcrs[1]!] },
        }),
      ).toMatchObject({ moduleId: result.moduleId });
    });

    it(`${v.file} is refused at the current time (expired chain), with a wrong nonce, other PCRs or another root`, async () => {
      const doc = load(v.file);
      const now = new Date(v.time);
      expect(await reason(verifyAttestation(doc, { maxAgeMs: Number.MAX_SAFE_INTEGER }))).toBe('expired');
      expect(
        await reason(
          verifyAttestation(doc, { now: new Date(now.getTime() + 4 * 3600_000), maxAgeMs: Number.MAX_SAFE_INTEGER }),
        ),
      ).toBe('expired');
      expect(await reason(verifyAttestation(doc, { now, nonce: new Uint8Array(32).fill(7) }))).toBe('nonce_mismatch');
      expect(await reason(verifyAttestation(doc, { now: new Date(now.getTime() + 10 * 60_000) }))).toBe('stale');
      expect(await reason(verifyAttestation(doc, { now, expectedPcrs: { 0: 'ab'.repeat(48) } }))).toBe('pcr_mismatch');
      expect(await reason(verifyAttestation(doc, { now, expectedPcrs: { 3: '00'.repeat(48) } }))).toBe('debug_pcrs');
      expect(await reason(verifyAttestation(doc, { now, roots: [] }))).toBe('untrusted_root');
    });
  }

  it('refuses a debug enclave (all-zero PCR0) even with a valid chain', async () => {
    const doc = load('blocky-nitro_attestation_debug.b64');
    expect(await reason(verifyAttestation(doc, { now: new Date('2024-09-07T14:38:06.508Z') }))).toBe('debug_pcrs');
  });

  it('refuses single-byte changes: every byte of one document, every third byte of the others', {
    timeout: 600_000,
  }, async () => {
    // Each byte XORed with 0x01 (a one-bit change keeps most CBOR structure intact, so the flip reaches
    // the signature and chain checks rather than only the decoder). Every byte of all three documents
    // passed once (≈100 s here); the suite samples every third byte of the larger two to stay quick.
    let checked = 0;
    let expected = 0;
    const accepted: string[] = [];
    for (const [n, v] of VECTORS.entries()) {
      const doc = load(v.file);
      const now = new Date(v.time);
      const step = n === 1 ? 1 : 3;
      expected += Math.ceil(doc.length / step);
      for (let i = 0; i < doc.length; i += step) {
        const copy = doc.slice();
        copy[i]! ^= 0x01;
        const ok = await verifyAttestation(copy, { now, nonce: v.nonce }).then(
          () => true,
          (e: unknown) =>
            e instanceof AttestationError ? false : (accepted.push(`${v.file}@${i}: threw ${String(e)}`), false),
        );
        if (ok) accepted.push(`${v.file}@${i}`);
        checked++;
      }
    }
    expect(accepted).toEqual([]);
    expect(checked).toBe(expected);
  });

  it('refuses a document whose signed payload is re-encoded around a changed field', async () => {
    const doc = load('marlin-sample_attestation.bin');
    const [prot, unprot, payload, sig] = decode(doc, { useMaps: true }) as [
      Uint8Array,
      Map<never, never>,
      Uint8Array,
      Uint8Array,
    ];
    const fields = decode(payload, { useMaps: true }) as Map<string, unknown>;
    fields.set('timestamp', (fields.get('timestamp') as number) + 1);
    const { encode } = await import('cborg');
    const forged = encode([prot, unprot, encode(fields), sig]);
    expect(await reason(verifyAttestation(forged, { now: new Date('2024-02-26T07:02:01.439Z') }))).toBe(
      'bad_signature',
    );
  });
});
