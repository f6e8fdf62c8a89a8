// Checks of the bundle's signatures: each verifies against its signer's DID, signs this contract's
// current content as a party with its role, and is the signature its audit event records.
import { canonicalJson } from '../canonical/canonical-json.js';
import type { SigningPayload } from '../signing/signing-payload.js';
import type { Outcome } from './evidence-check.js';
import type { CheckedBundle } from './evidence-shape.js';
import type { EvmEvidenceVerifier } from './evm-verifier.js';
import { jwsSignatureProblems } from './verify-jws-signature.js';

type Signature = CheckedBundle['signatures'][number];
type Event = CheckedBundle['events'][number];

/** How far a signature's `signedAt` may be from when the server recorded it (the server's own limit). */
const MAX_SKEW_MS = 5 * 60_000;

export const actsOnContract = (role: string) => role === 'signer' || role === 'approver';

/** `signatures[i].signature`: the signature verifies with the signer's DID. */
export async function signatureCryptoCheck(sig: Signature, evm: EvmEvidenceVerifier | undefined): Promise<Outcome> {
  const payload = sig.payload as SigningPayload;
  const problems =
    sig.format === 'jws'
      ? await jwsSignatureProblems(sig.signature, payload)
      : evm
        ? await evm.eip712SignatureProblems(sig.signature, payload)
        : ['an EIP-712 signature needs the verifier from @cms/sdk/evm'];
  return { problems, detail: `${sig.format === 'jws' ? 'EdDSA JWS' : 'EIP-712'} signature by ${payload.signer}` };
}

/** `signatures[i].payload`: the signed payload binds this contract, its current version and content, and a party in its role. */
export function signaturePayloadCheck(bundle: CheckedBundle, index: number): Outcome {
  const { payload } = bundle.signatures[index]!;
  const { contract } = bundle;
  const problems: string[] = [];
  if (payload.contractId !== contract.id) problems.push(`signs contract ${payload.contractId}, not ${contract.id}`);
  if (payload.version !== contract.version)
    problems.push(`signs version ${payload.version}, not the contract’s ${contract.version}`);
  if (payload.contentHash !== contract.contentHash)
    problems.push(`signs content ${payload.contentHash}, not the contract’s ${contract.contentHash}`);
  const party = contract.content.parties.find((p) => p.did === payload.signer);
  if (!party || !actsOnContract(party.role))
    problems.push(`${payload.signer} is not a signer or approver of the contract`);
  else if (party.role !== payload.role)
    problems.push(`signs as ${payload.role}, but the party’s role is ${party.role}`);
  if (payload.intent === 'decline' && payload.reason === undefined) problems.push('a decline carries its reason');
  if (bundle.signatures.findIndex((s) => s.payload.signer === payload.signer) !== index)
    problems.push(`${payload.signer} has more than one signature`);
  return {
    problems,
    detail: `${payload.intent} as ${payload.role} of version ${payload.version}, content ${payload.contentHash}`,
  };
}

/** The audit event that records a signature: its action, party and signature reference. */
export function recordsSignature(event: Event, sig: Signature): boolean {
  const data = event.data as Record<string, unknown>;
  const { payload } = sig;
  return (
    event.action === `contract.${payload.intent}` &&
    data.partyDid === payload.signer &&
    canonicalJson(data.signature ?? null) ===
      canonicalJson({ format: sig.format, intent: payload.intent, signedAt: payload.signedAt })
  );
}

/** `signatures[i].event`: exactly one audit event records this signature, at the time it was recorded. */
export function signatureEventCheck(bundle: CheckedBundle, index: number): Outcome {
  const sig = bundle.signatures[index]!;
  const matches = bundle.events.filter((e) => recordsSignature(e, sig));
  if (matches.length !== 1)
    return {
      problems: [
        `${matches.length} audit events record this signature; expected one contract.${sig.payload.intent} event`,
      ],
      detail: '',
    };
  const event = matches[0]!;
  const data = event.data as Record<string, unknown>;
  const problems: string[] = [];
  if (event.actorDid !== sig.payload.signer) problems.push(`the event’s actor is ${event.actorDid}, not the signer`);
  if (data.version !== sig.payload.version || data.contentHash !== sig.payload.contentHash)
    problems.push('the event records another version or content hash');
  if (sig.payload.intent === 'decline' && data.reason !== sig.payload.reason)
    problems.push('the event records another reason');
  if (sig.recordedAt !== event.occurredAt)
    problems.push(`recordedAt ${sig.recordedAt} is not the event’s time ${event.occurredAt}`);
  if (Math.abs(Date.parse(sig.payload.signedAt) - Date.parse(sig.recordedAt)) > MAX_SKEW_MS)
    problems.push('signedAt is more than five minutes from when the signature was recorded');
  return { problems, detail: `recorded by event ${event.id} (seq ${event.seq}) at ${event.occurredAt}` };
}

/** `events.signatures`: every event that references a signature has it in the bundle; every sign event references one. */
export function eventSignaturesCheck(bundle: CheckedBundle): Outcome {
  const problems: string[] = [];
  let referenced = 0;
  bundle.events.forEach((event, i) => {
    const data = event.data as Record<string, unknown>;
    if (data.signature === undefined) {
      if (event.action === 'contract.sign') problems.push(`events[${i}] (contract.sign) references no signature`);
      return;
    }
    referenced++;
    const n = bundle.signatures.filter((s) => recordsSignature(event, s)).length;
    if (n !== 1) problems.push(`events[${i}] (${event.action}) references a signature the bundle holds ${n} times`);
  });
  return { problems, detail: `${referenced} events reference signatures; each is in the bundle` };
}
