// A failure injected in the middle of a change (after the contract, its parties and its audit event
// were written, when the outbox insert fails) leaves no partial rows behind.
import { generateDidKey } from '@cms/sdk';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/start-test-server.js';
import { loggedInClient, request } from './api-helpers.js';

let server: TestServer;
let owner: Awaited<ReturnType<typeof loggedInClient>>;

beforeAll(async () => {
  server = await startTestServer();
  owner = await loggedInClient(server.url);
});
afterAll(() => server?.close());

const TABLES = [
  'contracts',
  'contract_parties',
  'contract_transitions',
  'audit_events',
  'ledger_outbox',
  'audit_chain_heads',
];

async function snapshot() {
  const db = server.services.database.db;
  const rows = async (query: string) =>
    ((await db.execute(sql.raw(query))) as unknown as { rows: Record<string, unknown>[] }).rows;
  const counts: Record<string, unknown> = {};
  for (const t of TABLES) counts[t] = (await rows(`select count(*)::int as n from ${t}`))[0];
  counts.heads = await rows('select organization_id, seq, head_hash from audit_chain_heads order by 1');
  counts.contracts = await rows('select id, status, revision, version, title from contracts order by id');
  return counts;
}

async function withFailingOutbox<T>(fn: () => Promise<T>): Promise<T> {
  const db = server.services.database.db;
  await db.execute(
    sql.raw(
      `create or replace function cms_test_fail() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`,
    ),
  );
  await db.execute(
    sql.raw(
      'create trigger cms_test_fail before insert on ledger_outbox for each row execute function cms_test_fail()',
    ),
  );
  try {
    return await fn();
  } finally {
    await db.execute(sql.raw('drop trigger cms_test_fail on ledger_outbox'));
  }
}

it('create, update and send each leave nothing behind when a late write fails', async () => {
  const signer = await generateDidKey();
  const draft = await owner.client.contracts.create({
    title: 'Before',
    parties: [{ did: signer.did, role: 'signer' }],
  });
  const token = owner.client.auth.accessToken;
  const before = await snapshot();
  const results = await withFailingOutbox(() =>
    Promise.all([
      request(server.url, 'POST', '/v1/contracts', {
        token,
        body: { title: 'Never', parties: [{ did: signer.did, role: 'signer' }] },
      }),
      request(server.url, 'PATCH', `/v1/contracts/${draft.id}`, { token, body: { title: 'Never', parties: [] } }),
      request(server.url, 'POST', `/v1/contracts/${draft.id}/send`, { token }),
    ]),
  );
  for (const r of results) {
    expect(r.status).toBe(500);
    expect(r.json).toMatchObject({ code: 'internal_error' });
    expect(r.text).not.toContain('injected failure'); // internals stay in the server log
  }
  expect(await snapshot()).toEqual(before);
  // The same requests succeed once the fault is gone.
  expect((await owner.client.contracts.send(draft.id)).status).toBe('pending');
});
