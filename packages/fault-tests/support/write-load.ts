// The write load of the fault runs and the checks after it: creates through the SDK from several
// did:key users with some concurrency, then what the database and the chain hold compared with what
// the clients were told.

import { randomUUID } from 'node:crypto';
import { type CmsClient, type CmsClientOptions, createCmsClient, didKeySigner, generateDidKey } from '@cms/sdk';
import { contractLedgerAbi } from '@cms/sdk/evm';
import { createPublicClient, type Hex, http } from 'viem';
import type { FaultStack } from './fault-stack.js';

export interface Outcome {
  title: string;
  /** Set when the client was told the contract was created. */
  id?: string;
  /** Set when the client was told the create failed. */
  error?: string;
  /** When the create started and ended, ms since the epoch. */
  startedAt: number;
  endedAt: number;
  /** Its Idempotency-Key (see `attempts`). */
  key: string;
}

/** Every attempt the clients sent, by `Idempotency-Key`: what came back (a status, or the error). */
export const attempts = new Map<string, { at: number; answer: string }[]>();

/** `fetch` that notes every attempt of a keyed write in `attempts`. */
const recordingFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const key = request.headers.get('idempotency-key');
  const note = (answer: string) => key && attempts.set(key, [...(attempts.get(key) ?? []), { at: Date.now(), answer }]);
  try {
    const response = await fetch(request);
    let code = '';
    if (response.status >= 400)
      code = ` ${
        (
          (await response
            .clone()
            .json()
            .catch(() => ({}))) as { code?: string }
        ).code ?? ''
      }`;
    note(`${response.status}${code}${response.headers.get('idempotent-replayed') ? ' replayed' : ''}`);
    return response;
  } catch (error) {
    note(`network error (${(error as Error).message})`);
    throw error;
  }
};

/** `users` fresh did:key users logged in through `url`, each with its own client. */
export async function loggedInUsers(
  url: string,
  users: number,
  options: Omit<CmsClientOptions, 'baseUrl'> = {},
): Promise<CmsClient[]> {
  return Promise.all(
    Array.from({ length: users }, async () => {
      const client = createCmsClient({ baseUrl: url, fetch: recordingFetch, ...options });
      await client.auth.login(await didKeySigner((await generateDidKey()).privateKey));
      return client;
    }),
  );
}

export interface LoadOptions {
  clients: CmsClient[];
  prefix: string;
  /** Creates at least this many… */
  count: number;
  /** …and keeps creating while this says so (faults still to come), up to `max`. */
  keepGoing?: () => boolean;
  max?: number;
  concurrency: number;
  /** Told after every finished create, with how many have finished. */
  onProgress?: (finished: number) => void;
}

export interface Load {
  outcomes: Promise<Outcome[]>;
  /** When the oldest create still running started (Infinity when none runs). */
  oldestRunning(): number;
}

export function createContracts(o: LoadOptions): Load {
  const outcomes: Outcome[] = [];
  const running = new Map<number, number>();
  let issued = 0;
  const more = () => issued < (o.max ?? o.count) && (issued < o.count || (o.keepGoing?.() ?? false));
  const worker = async () => {
    while (more()) {
      const i = issued++;
      const title = `${o.prefix}-${i}`;
      const key = randomUUID();
      const startedAt = Date.now();
      running.set(i, startedAt);
      try {
        const contract = await o.clients[i % o.clients.length]!.contracts.create({ title }, { idempotencyKey: key });
        outcomes.push({ title, id: contract.id, startedAt, endedAt: Date.now(), key });
      } catch (error) {
        const e = error as { name?: string; code?: string; message?: string };
        outcomes.push({
          title,
          error: `${e.name ?? 'Error'} ${e.code ?? ''}: ${e.message ?? String(error)}`,
          startedAt,
          endedAt: Date.now(),
          key,
        });
      } finally {
        running.delete(i);
      }
      o.onProgress?.(outcomes.length);
    }
  };
  return {
    outcomes: Promise.all(Array.from({ length: o.concurrency }, worker)).then(() => outcomes),
    oldestRunning: () => Math.min(Infinity, ...running.values()),
  };
}

export interface WriteCheck {
  writes: number;
  acknowledged: number;
  failed: number;
  /** Titles stored more than once. */
  duplicates: number;
  /** Creates the client was told succeeded that the database does not hold (by id). */
  lost: number;
  /** Creates the client was told failed that happened anyway (allowed: it may retry them). */
  failedButStored: number;
}

export async function checkWrites(stack: FaultStack, prefix: string, outcomes: Outcome[]): Promise<WriteCheck> {
  const { rows } = await stack.db.query<{ title: string; ids: string[] }>(
    'select title, array_agg(id::text) as ids from contracts where title like $1 group by title',
    [`${prefix}-%`],
  );
  const stored = new Map(rows.map((r) => [r.title, r.ids]));
  const acked = outcomes.filter((o) => o.id !== undefined);
  return {
    writes: outcomes.length,
    acknowledged: acked.length,
    failed: outcomes.length - acked.length,
    duplicates: rows.filter((r) => r.ids.length > 1).length,
    lost: acked.filter((o) => !stored.get(o.title)?.includes(o.id!)).length,
    failedButStored: outcomes.filter((o) => o.error !== undefined && stored.has(o.title)).length,
  };
}

/** Audit events not yet in a confirmed batch. */
export async function unanchoredEvents(stack: FaultStack): Promise<number> {
  const { rows } = await stack.db.query<{ n: string }>(
    `select count(*) as n from ledger_outbox o left join ledger_batches b on b.id = o.batch_id where o.batch_id is null or b.status <> 'confirmed'`,
  );
  return Number(rows[0]!.n);
}

/** Confirmed batches whose root the chain does not hold: "anchored" in the database only. */
export async function confirmedButNotOnChain(stack: FaultStack): Promise<number> {
  const { rows } = await stack.db.query<{ root: string }>(`select root from ledger_batches where status = 'confirmed'`);
  const client = createPublicClient({ transport: http(stack.anvil.url) });
  let missing = 0;
  for (const { root } of rows) {
    const [anchoredAt] = await client.readContract({
      address: stack.ledgerAddress,
      abi: contractLedgerAbi,
      functionName: 'anchors',
      args: [root as Hex],
    });
    if (anchoredAt === 0n) missing++;
  }
  return missing;
}
