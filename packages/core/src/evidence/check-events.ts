// Checks of the bundle's audit events: each hashes to its stated hash and belongs to this contract, and
// together they form the contract's complete history (consecutive revisions, hash-linked where the
// organization's chain is consecutive, legal transitions in signing order).
import { computeAuditEventHash, GENESIS_HASH } from '../audit/audit-event-hash.js';
import { actsOnContract } from './check-signatures.js';
import type { Outcome } from './evidence-check.js';
import type { CheckedBundle } from './evidence-shape.js';

type Event = CheckedBundle['events'][number];
type Data = Record<string, unknown>;

/** `events[i].hash`: SHA-256 of the canonical event is the stated hash. */
export async function eventHashCheck(event: Event): Promise<Outcome> {
  const computed = await computeAuditEventHash(event);
  return {
    problems: computed === event.hash ? [] : [`the event hashes to ${computed}, not ${event.hash}`],
    detail: `${event.action} hashes to ${computed}`,
  };
}

/** `events[i].contract`: the event is about this contract, in its organization. */
export function eventContractCheck(bundle: CheckedBundle, index: number): Outcome {
  const event = bundle.events[index]!;
  const problems: string[] = [];
  if (event.resource.type !== 'contract' || event.resource.id !== bundle.contract.id)
    problems.push(`the event is about ${event.resource.type} ${event.resource.id}, not this contract`);
  if (event.organizationId !== bundle.contract.organizationId)
    problems.push(`the event is in organization ${event.organizationId}, not the contract’s`);
  return { problems, detail: `${event.action} of contract ${event.resource.id}` };
}

/** `events.chain`: ordered by the organization's audit chain, each event linked to its predecessor where both are here. */
export function eventChainCheck(bundle: CheckedBundle): Outcome {
  const problems: string[] = [];
  const { events } = bundle;
  if (new Set(events.map((e) => e.id)).size !== events.length) problems.push('an event appears twice');
  let links = 0;
  events.forEach((e, i) => {
    if (e.seq === 1 && e.prevHash !== GENESIS_HASH)
      problems.push(`events[${i}] is the first of its chain but its prevHash is not ${GENESIS_HASH}`);
    const prev = events[i - 1];
    if (!prev) return;
    if (e.seq <= prev.seq) problems.push(`events[${i}] (seq ${e.seq}) does not follow seq ${prev.seq}`);
    if (e.occurredAt < prev.occurredAt) problems.push(`events[${i}] occurred before events[${i - 1}]`);
    // The organization's other events sit between non-consecutive ones; consecutive ones must link.
    if (e.seq === prev.seq + 1) {
      links++;
      if (e.prevHash !== prev.hash) problems.push(`events[${i}].prevHash is not the hash of events[${i - 1}]`);
    }
  });
  return { problems, detail: `${events.length} events in chain order, ${links} hash links` };
}

/** `events.revisions`: every change of the contract is here, revision 1, 2, 3, … without a gap. */
export function eventRevisionsCheck(bundle: CheckedBundle): Outcome {
  const problems: string[] = [];
  bundle.events.forEach((e, i) => {
    const revision = (e.data as Data).revision;
    if (revision !== i + 1)
      problems.push(`events[${i}] records revision ${JSON.stringify(revision)}, expected ${i + 1}`);
  });
  if (bundle.events.length === 0) problems.push('the bundle has no events');
  return { problems, detail: `revisions 1 to ${bundle.events.length}, none missing` };
}

const TO_STATUS: Record<string, readonly string[]> = {
  'contract.created': ['draft'],
  'contract.update': ['draft'],
  'contract.send': ['pending'],
  'contract.sign': ['partially_signed', 'executed'],
  'contract.decline': ['declined'],
  'contract.void': ['voided'],
  'contract.terminate': ['terminated'],
  'contract.expire': ['expired'],
};

/** The events that changed the contract's status or content (they carry `toStatus`), in order. */
export const transitionsOf = (bundle: CheckedBundle): Event[] =>
  bundle.events.filter((e) => 'toStatus' in (e.data as Data));

/**
 * `events.transitions`: the lifecycle as the events tell it is legal: created as a draft at version 1,
 * each change from the status the previous one left, the version rising only on update, signatures in
 * signing order, and `executed` exactly when the last signer or approver has signed.
 */
export function transitionsCheck(bundle: CheckedBundle): Outcome {
  const problems: string[] = [];
  const acting = bundle.contract.content.parties.filter((p) => actsOnContract(p.role));
  const signed = new Set<string>();
  let prev: Data | undefined;
  for (const event of transitionsOf(bundle)) {
    const d = event.data as Data;
    const at = `${event.action} (seq ${event.seq})`;
    const allowed = TO_STATUS[event.action];
    if (!allowed || !allowed.includes(d.toStatus as string))
      problems.push(`${at} cannot lead to ${JSON.stringify(d.toStatus)}`);
    if (!prev) {
      if (event.action !== 'contract.created' || d.fromStatus !== null || d.version !== 1)
        problems.push(`the history starts with ${at}, not the creation of a draft at version 1`);
    } else {
      if (d.fromStatus !== prev.toStatus)
        problems.push(
          `${at} is from ${JSON.stringify(d.fromStatus)}, but the contract was ${JSON.stringify(prev.toStatus)}`,
        );
      const expectedVersion = event.action === 'contract.update' ? (prev.version as number) + 1 : prev.version;
      if (d.version !== expectedVersion)
        problems.push(`${at} is at version ${JSON.stringify(d.version)}, expected ${expectedVersion}`);
      if (event.action !== 'contract.update' && d.contentHash !== prev.contentHash)
        problems.push(`${at} changes the content hash`);
    }
    if (event.action === 'contract.sign' || event.action === 'contract.decline') {
      const party = acting.find((p) => p.did === d.partyDid);
      if (!party) problems.push(`${at} is by ${JSON.stringify(d.partyDid)}, not a signer or approver`);
      else if (signed.has(party.did)) problems.push(`${at}: ${party.did} had already signed`);
      else if (event.action === 'contract.sign') {
        const group = Math.min(...acting.filter((p) => !signed.has(p.did)).map((p) => p.signingOrder));
        if (party.signingOrder !== group)
          problems.push(`${at}: ${party.did} (order ${party.signingOrder}) signed before group ${group} finished`);
        signed.add(party.did);
        const expected = signed.size === acting.length ? 'executed' : 'partially_signed';
        if (d.toStatus !== expected)
          problems.push(`${at} leads to ${JSON.stringify(d.toStatus)}, expected ${expected}`);
      }
    }
    prev = d;
  }
  return {
    problems,
    detail: `${transitionsOf(bundle)
      .map((e) => (e.data as Data).toStatus)
      .join(' → ')}`,
  };
}
