// Contract storage at scale: seeds N contracts (default 1,000,000) into a scratch PostgreSQL database,
// then measures get/list latency at 10k and at N against a raw primary-key SELECT baseline measured
// in the same run, and the bytes each contract costs on disk (rows + indexes).
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres BENCH_CONTRACTS=1000000 tsx bench/contracts.ts
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Principal } from '../src/auth/principal.js';
import { getContract } from '../src/contracts/get-contract.js';
import { listContracts } from '../src/contracts/list-contracts.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { ms, type Summary, sample, table } from './stats.js';

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TOTAL = Number(process.env.BENCH_CONTRACTS ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const ORG = '01900000-0000-7000-8000-000000000001';

// Seeding generates rows inside PostgreSQL (INSERT … SELECT generate_series): client round trips
// would dominate otherwise. Rows mirror what the API writes per contract: the contract, two
// parties, its creation transition, its audit event and its outbox row.
async function seed(db: Database, from: number, to: number) {
  await db.db.execute(
    sql.raw(`
    insert into contracts (id, organization_id, title, description, terms, documents, status, version, revision, content_hash, external_id, metadata, created_by, created_at, updated_at)
    select bench_uuidv7(now() - make_interval(secs => ${TOTAL} - i)), '${ORG}', 'Contract ' || i || ' ' || md5(i::text),
           'Standard terms for customer ' || (i % 5000), jsonb_build_object('price', i % 1000, 'currency', 'EUR', 'termMonths', 12 + i % 24),
           '[]'::jsonb, (array['draft','pending','partially_signed','executed','voided'])[1 + i % 5], 1, 1,
           '0x' || encode(sha256(i::text::bytea), 'hex'), 'ext-' || i, '{"source":"bench"}'::jsonb,
           'did:key:z6MkBench', now() - make_interval(secs => ${TOTAL} - i), now()
    from generate_series(${from}, ${to - 1}) as i`),
  );
  await db.db.execute(
    sql.raw(`
    insert into contract_parties (contract_id, position, organization_id, did, role, name, signing_order, status)
    select c.id, p, c.organization_id, 'did:key:z6MkParty' || (abs(hashtext(c.id::text)) % 100000) || '_' || p, 'signer', 'Party ' || p, 1 + p, 'waiting'
    from contracts c cross join generate_series(0, 1) p
    where c.organization_id = '${ORG}' and not exists (select 1 from contract_parties x where x.contract_id = c.id)`),
  );
  await db.db.execute(
    sql.raw(`
    with fresh as (
      select c.id, c.created_at, row_number() over (order by c.id) + coalesce((select max(seq) from audit_events where organization_id = '${ORG}'), 0) as seq
      from contracts c where c.organization_id = '${ORG}' and not exists (select 1 from contract_transitions t where t.contract_id = c.id)
    ), events as (
      insert into audit_events (id, organization_id, seq, occurred_at, actor_did, action, resource_type, resource_id, data, prev_hash, hash)
      select bench_uuidv7(created_at), '${ORG}', seq, created_at, 'did:key:z6MkBench', 'contract.created', 'contract', id::text,
             jsonb_build_object('toStatus', 'draft', 'revision', 1, 'version', 1), '0x' || encode(sha256((seq - 1)::text::bytea), 'hex'),
             '0x' || encode(sha256(seq::text::bytea), 'hex')
      from fresh returning id, resource_id, hash, occurred_at
    ), outbox as (
      insert into ledger_outbox (id, organization_id, audit_event_id, event_hash, contract_id, created_at)
      select bench_uuidv7(occurred_at), '${ORG}', id, hash, resource_id::uuid, occurred_at from events returning 1
    )
    insert into contract_transitions (contract_id, seq, organization_id, action, from_status, to_status, actor_did, revision, version, occurred_at)
    select id, 1, '${ORG}', 'create', null, 'draft', 'did:key:z6MkBench', 1, 1, created_at from fresh`),
  );
  await db.db.execute(sql.raw('analyze'));
}

async function measure(db: Database, label: string) {
  const principal: Principal = {
    userId: 'bench',
    did: 'did:key:z6MkBench',
    organizationId: ORG,
    roles: ['owner'],
  } as Principal;
  const ids = (
    await db.db.execute(sql.raw(`select id from contracts tablesample system (1) limit ${SAMPLES}`))
  ).rows.map((r) => r.id as string);
  const pool = new pg.Pool({ connectionString: (db as unknown as { url: string }).url, max: 1 });
  const raw = await sample(SAMPLES, (i) => pool.query('select * from contracts where id = $1', [ids[i % ids.length]]));
  await pool.end();
  const get = await sample(SAMPLES, (i) => getContract(db.db, principal, ids[i % ids.length]!));
  const first = await sample(SAMPLES, () => listContracts(db.db, principal, { limit: 20 }));
  const cursors = (
    await Promise.all(
      ids.slice(0, 50).map(
        async (id) =>
          (
            await listContracts(db.db, principal, {
              limit: 1,
              createdBefore: undefined,
              cursor: Buffer.from(`c1:${id}`).toString('base64url'),
            })
          ).nextCursor,
      ),
    )
  ).filter(Boolean) as string[];
  const deep = await sample(SAMPLES, (i) =>
    listContracts(db.db, principal, { limit: 20, cursor: cursors[i % cursors.length] }),
  );
  const status = await sample(SAMPLES, () => listContracts(db.db, principal, { limit: 20, status: 'executed' }));
  const search = await sample(Math.min(SAMPLES, 100), (i) =>
    listContracts(db.db, principal, { limit: 20, q: `ontract ${1000 + (i % 3000)} ` }),
  );
  return { label, raw, get, first, deep, status, search };
}

async function main() {
  const name = `cms_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  const db = await openDatabase({ engine: 'postgres', url, poolSize: 4 });
  Object.assign(db, { url });
  try {
    await db.db.execute(sql.raw(`insert into organizations (id, name) values ('${ORG}', 'Bench')`));
    await db.db.execute(
      sql.raw(`create function bench_uuidv7(ts timestamptz) returns uuid language sql volatile as $$
      select (lpad(to_hex((extract(epoch from ts) * 1000)::bigint), 12, '0') || '7' || substr(md5(random()::text), 1, 3) || '8' || substr(md5(random()::text), 1, 15))::uuid $$`),
    );
    const results = [];
    let seeded = 0;
    for (const size of [10_000, TOTAL].filter((s, i, a) => a.indexOf(s) === i && s <= TOTAL)) {
      const t = Date.now();
      for (let from = seeded; from < size; from += 200_000) await seed(db, from, Math.min(size, from + 200_000));
      console.error(`seeded ${size.toLocaleString()} contracts (+${((Date.now() - t) / 1000).toFixed(1)} s)`);
      seeded = size;
      results.push(await measure(db, `${size.toLocaleString()} contracts`));
    }
    const bytes = (
      await db.db.execute(
        sql.raw(
          `select sum(pg_total_relation_size(t))::bigint as b from unnest(array['contracts','contract_parties','contract_transitions','audit_events','ledger_outbox']) t`,
        ),
      )
    ).rows[0]!.b as string;
    const rows: string[][] = [
      ['operation', ...results.flatMap((r) => [`p50 @ ${r.label}`, `p99 @ ${r.label}`]), 'p50 ratio (largest/10k)'],
    ];
    const ops: [string, keyof (typeof results)[number]][] = [
      ['raw SELECT by id (baseline)', 'raw'],
      ['getContract', 'get'],
      ['list, first page (20)', 'first'],
      ['list, deep page via cursor', 'deep'],
      ['list, status filter', 'status'],
      ['list, title search (trigram)', 'search'],
    ];
    for (const [name, key] of ops) {
      const s = results.map((r) => r[key] as Summary);
      rows.push([name, ...s.flatMap((x) => [ms(x.p50), ms(x.p99)]), (s.at(-1)!.p50 / s[0]!.p50).toFixed(2)]);
    }
    const get = results.map((r) => r.get.p50 / r.raw.p50);
    console.log(`\n## Contract storage (PostgreSQL, ${SAMPLES} samples per cell)\n`);
    console.log(table(rows));
    console.log(`\ngetContract / raw SELECT (p50): ${get.map((g) => g.toFixed(2)).join(' → ')}`);
    console.log(
      `bytes per contract (contract + 2 parties + history + audit event + outbox, with indexes): ${Math.round(Number(bytes) / seeded)}`,
    );
  } finally {
    await db.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
