// The example's whole job, independent of the page: a did:key in the browser logs in, creates a
// contract naming itself as the signer, sends it, signs it on this device, fetches the evidence bundle
// and verifies it here, without trusting the server. Each step reports what it found.
import {
  createCmsClient,
  didKeySigner,
  type EvidenceBundle,
  type EvidenceVerification,
  verifyEvidence,
} from '@cms/sdk';
import { loadOrCreateDidKey } from './did-key-store.js';

export type StepName = 'key' | 'login' | 'create' | 'send' | 'sign' | 'evidence' | 'verify';

export interface FlowReport {
  /** A step starts (`running`), then ends `ok` with what it found, or `failed` with the error's message. */
  step(name: StepName, status: 'running' | 'ok' | 'failed', detail: string): void;
}

export interface FlowResult {
  did: string;
  contractId: string;
  evidence: EvidenceBundle;
  verification: EvidenceVerification;
}

export async function runSigningFlow(baseUrl: string, report: FlowReport): Promise<FlowResult> {
  const step = async <T>(name: StepName, run: () => Promise<T>, describe: (value: T) => string): Promise<T> => {
    report.step(name, 'running', '…');
    try {
      const value = await run();
      report.step(name, 'ok', describe(value));
      return value;
    } catch (error) {
      report.step(name, 'failed', error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      throw error;
    }
  };

  const { key } = await step(
    'key',
    () => loadOrCreateDidKey(),
    (k) => `${k.created ? 'generated' : 'loaded'} ${k.key.did}`,
  );
  const signer = await didKeySigner(key.privateKey);
  const cms = createCmsClient({ baseUrl });

  const token = await step(
    'login',
    () => cms.auth.login(signer),
    (t) => `logged in as ${t.did}`,
  );
  const draft = await step(
    'create',
    () =>
      cms.contracts.create({
        title: 'Signed in the browser',
        terms: { signedWith: 'a did:key that never left this page' },
        parties: [{ did: token.did, role: 'signer', name: 'This browser' }],
      }),
    (c) => `${c.id} ${c.status}`,
  );
  await step(
    'send',
    () => cms.contracts.send(draft.id),
    (c) => c.status,
  );
  await step(
    'sign',
    () => cms.contracts.sign(draft.id, { signer }),
    (c) => c.status,
  );
  const evidence = await step(
    'evidence',
    () => cms.contracts.evidence(draft.id),
    (e) => `${e.signatures.length} signature(s), ${e.events.length} event(s)`,
  );
  const verification = await step(
    'verify',
    () => verifiedEvidence(evidence),
    (v) => `valid: ${v.checks.length} checks passed`,
  );
  return { did: key.did, contractId: draft.id, evidence, verification };
}

/** `verifyEvidence`, failing with the checks that did not pass. */
async function verifiedEvidence(bundle: EvidenceBundle): Promise<EvidenceVerification> {
  const verification = await verifyEvidence(bundle);
  const failed = verification.checks.filter((c) => !c.ok);
  if (failed.length) throw new Error(`not valid: ${failed.map((c) => `${c.check} (${c.detail})`).join('; ')}`);
  return verification;
}
