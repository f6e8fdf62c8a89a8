// Random sequences of operations by random actors, checked against an independent model of the
// lifecycle: every outcome (new state or error code) must match, no sequence reaches a forbidden
// state, and the history, audit trail and outbox are complete and ordered.

import { asc, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '../src/auth/principal.js';
import { createContract } from '../src/contracts/create-contract.js';
import { expireContract } from '../src/contracts/expire-contracts.js';
import { getContract } from '../src/contracts/get-contract.js';
import { recordSignature } from '../src/contracts/sign-contract.js';
import {
  declineContract,
  sendContract,
  terminateContract,
  voidContract,
} from '../src/contracts/transition-contract.js';
import { updateContract } from '../src/contracts/update-contract.js';
import { auditEvents, contractTransitions, ledgerOutbox } from '../src/db/schema/index.js';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient } from './api-helpers.js';

type Actor = 'owner' | 'A' | 'B' | 'C' | 'D' | 'outsider';
type Op =
  | { kind: 'update'; actor: Actor; ccOnly: boolean }
  | { kind: 'send' | 'void' | 'terminate'; actor: Actor }
  | { kind: 'sign' | 'decline' | 'view'; actor: Actor }
  | { kind: 'expire' };

// The parties: A and B act in group 1, C in group 2, D receives a copy.
const PARTIES = [
  { actor: 'A', role: 'signer', signingOrder: 1 },
  { actor: 'B', role: 'approver', signingOrder: 1 },
  { actor: 'C', role: 'signer', signingOrder: 2 },
  { actor: 'D', role: 'cc', signingOrder: 1 },
] as const;

// ── The model ────────────────────────────────────────────────────────────────────────────────────
interface ModelParty {
  actor: Actor;
  role: string;
  signingOrder: number;
  status: string;
}
interface Model {
  status: string;
  parties: ModelParty[];
  mutations: number;
  views: number;
}
type Outcome = { ok: true } | { error: string };

const acting = (p: ModelParty) => p.role === 'signer' || p.role === 'approver';
const group = (m: Model) =>
  Math.min(...m.parties.filter((p) => acting(p) && p.status !== 'signed').map((p) => p.signingOrder));
const notify = (m: Model, sending: boolean) => {
  const g = group(m);
  for (const p of m.parties)
    if (p.status === 'waiting' && ((sending && !acting(p)) || (acting(p) && p.signingOrder === g))) p.status = 'sent';
};

function step(m: Model, op: Op): Outcome {
  const isParty = (a: Actor) => m.parties.some((p) => p.actor === a);
  const member = (a: Actor) => a === 'owner';
  const ok = (): Outcome => (m.mutations++, { ok: true });
  switch (op.kind) {
    case 'update':
    case 'send':
    case 'void':
    case 'terminate': {
      if (!member(op.actor)) return { error: 'not_found' };
      const from = {
        update: ['draft'],
        send: ['draft'],
        void: ['draft', 'pending', 'partially_signed'],
        terminate: ['executed'],
      }[op.kind];
      if (!from.includes(m.status)) return { error: 'invalid_transition' };
      if (op.kind === 'update') {
        m.parties = PARTIES.filter((p) => !op.ccOnly || p.role === 'cc').map((p) => ({ ...p, status: 'waiting' }));
      } else if (op.kind === 'send') {
        if (!m.parties.some((p) => p.role === 'signer')) return { error: 'missing_signer' };
        m.status = 'pending';
        notify(m, true);
      } else {
        m.status = op.kind === 'void' ? 'voided' : 'terminated';
      }
      return ok();
    }
    case 'sign':
    case 'decline': {
      if (!member(op.actor) && !isParty(op.actor)) return { error: 'not_found' };
      const party = m.parties.find((p) => p.actor === op.actor && acting(p));
      if (!party) return { error: 'not_a_party' };
      if (!['pending', 'partially_signed'].includes(m.status)) return { error: 'invalid_transition' };
      if (party.status === 'signed') return { error: 'already_signed' };
      if (op.kind === 'decline') {
        party.status = 'declined';
        m.status = 'declined';
        return ok();
      }
      if (party.signingOrder !== group(m)) return { error: 'out_of_order' };
      party.status = 'signed';
      notify(m, false);
      m.status = m.parties.some((p) => acting(p) && p.status !== 'signed') ? 'partially_signed' : 'executed';
      return ok();
    }
    case 'view': {
      if (!member(op.actor) && !isParty(op.actor)) return { error: 'not_found' };
      const party = m.parties.find((p) => p.actor === op.actor);
      if (party?.status === 'sent') (party.status = 'viewed'), m.views++;
      return { ok: true };
    }
    case 'expire':
      if (m.status !== 'executed') return { ok: true };
      m.status = 'expired';
      return ok();
  }
}

const ALLOWED = new Set([
  'create:null>draft',
  'update:draft>draft',
  'send:draft>pending',
  'sign:pending>partially_signed',
  'sign:pending>executed',
  'sign:partially_signed>partially_signed',
  'sign:partially_signed>executed',
  'decline:pending>declined',
  'decline:partially_signed>declined',
  'void:draft>voided',
  'void:pending>voided',
  'void:partially_signed>voided',
  'terminate:executed>terminated',
  'expire:executed>expired',
]);

// ── The system under test ───────────────────────────────────────────────────────────────────────
let server: TestServer;
const actors = {} as Record<Actor, { principal: Principal; did: string }>;

beforeAll(async () => {
  server = await startTestServer();
  for (const a of ['owner', 'A', 'B', 'C', 'D', 'outsider'] as Actor[]) {
    const u = await loggedInClient(server.url);
    actors[a] = { principal: server.services.tokens.verify(u.client.auth.accessToken!), did: u.key.did };
  }
});
afterAll(() => server?.close());

const partiesInput = (ccOnly: boolean) =>
  PARTIES.filter((p) => !ccOnly || p.role === 'cc').map((p) => ({
    did: actors[p.actor].did,
    role: p.role,
    signingOrder: p.signingOrder,
  }));

async function apply(id: string, op: Op): Promise<Outcome> {
  const db = server.services.database.db;
  const who = 'actor' in op ? actors[op.actor].principal : undefined;
  const run = {
    update: () =>
      updateContract(db, who!, id, { title: 'Changed', parties: partiesInput((op as { ccOnly: boolean }).ccOnly) }),
    send: () => sendContract(db, who!, id),
    void: () => voidContract(db, who!, id, { reason: 'random void' }),
    terminate: () => terminateContract(db, who!, id, { reason: 'random termination' }),
    sign: () => recordSignature(db, who!, id),
    decline: () => declineContract(db, who!, id, { reason: 'random decline' }),
    view: () => getContract(db, who!, id, () => db),
    expire: () => expireContract(db, id),
  }[op.kind];
  return run().then(
    () => ({ ok: true }),
    (e: { code?: string }) => ({ error: e.code ?? String(e) }),
  );
}

const actor = fc.constantFrom<Actor>('owner', 'A', 'B', 'C', 'D', 'outsider');
const rec = <K extends Op['kind']>(kind: K, actors: Actor[]) =>
  fc.record({ kind: fc.constant(kind), actor: fc.constantFrom(...actors) });
const ownerMostly: Actor[] = ['owner', 'owner', 'owner', 'outsider'];
// Weighted so that runs often get sent, signed through to executed, and then meet what may follow.
const opArb = fc.oneof(
  { weight: 3, arbitrary: rec('send', ownerMostly) },
  { weight: 12, arbitrary: rec('sign', ['A', 'B', 'C', 'A', 'B', 'C', 'A', 'B', 'C', 'D', 'owner', 'outsider']) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('update' as const),
      actor: fc.constantFrom(...ownerMostly),
      ccOnly: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: rec('void', ownerMostly) },
  { weight: 1, arbitrary: rec('terminate', ownerMostly) },
  { weight: 1, arbitrary: rec('decline', ['A', 'B', 'C', 'D', 'owner', 'outsider']) },
  { weight: 2, arbitrary: rec('view', ['A', 'B', 'C', 'D', 'owner', 'outsider']) },
  { weight: 1, arbitrary: fc.constant({ kind: 'expire' as const }) },
) as fc.Arbitrary<Op>;

it('no operation sequence escapes the lifecycle, and the history is complete and ordered', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30, size: 'max' }), async (ops) => {
      const db = server.services.database.db;
      const created = await createContract(db, actors.owner.principal, {
        title: 'Property',
        parties: partiesInput(false),
      });
      const model: Model = {
        status: 'draft',
        parties: PARTIES.map((p) => ({ ...p, status: 'waiting' })),
        mutations: 0,
        views: 0,
      };
      for (const op of ops) {
        const expected = step(model, op);
        expect(await apply(created.id, op), JSON.stringify(op)).toEqual(expected);
      }
      const actual = await getContract(db, actors.owner.principal, created.id);
      expect(actual.status).toBe(model.status);
      expect(actual.parties.map((p) => p.status)).toEqual(model.parties.map((p) => p.status));

      const history = await db
        .select()
        .from(contractTransitions)
        .where(eq(contractTransitions.contractId, created.id))
        .orderBy(asc(contractTransitions.seq));
      expect(history.map((h) => h.seq)).toEqual(history.map((_, i) => i + 1));
      expect(history).toHaveLength(1 + model.mutations);
      history.forEach((h, i) => {
        expect(
          ALLOWED.has(`${h.action}:${h.fromStatus}>${h.toStatus}`),
          `${h.action}:${h.fromStatus}>${h.toStatus}`,
        ).toBe(true);
        if (i > 0) expect(h.fromStatus).toBe(history[i - 1]!.toStatus);
        if (i > 0) expect(h.revision).toBeGreaterThan(history[i - 1]!.revision);
      });
      expect(history.at(-1)!.toStatus).toBe(model.status);
      const events = await db.select().from(auditEvents).where(eq(auditEvents.resourceId, created.id));
      expect(events).toHaveLength(history.length + model.views);
      const outbox = await db.select().from(ledgerOutbox).where(eq(ledgerOutbox.contractId, created.id));
      expect(outbox).toHaveLength(history.length);
    }),
    {
      numRuns: 60,
      // Full paths, always run: executed and then every action that may or may not follow.
      examples: (['void', 'terminate', 'decline', 'sign', 'update', 'expire'] as const).map((last) => [
        [
          { kind: 'send', actor: 'owner' },
          { kind: 'sign', actor: 'C' },
          { kind: 'view', actor: 'A' },
          { kind: 'sign', actor: 'B' },
          { kind: 'sign', actor: 'A' },
          { kind: 'view', actor: 'C' },
          { kind: 'sign', actor: 'C' },
          last === 'expire' || last === 'update'
            ? ({ kind: last, actor: 'owner', ccOnly: false } as Op)
            : ({ kind: last, actor: last === 'sign' || last === 'decline' ? 'C' : 'owner' } as Op),
          { kind: 'terminate', actor: 'owner' },
        ] as Op[],
      ]),
    },
  );
});
