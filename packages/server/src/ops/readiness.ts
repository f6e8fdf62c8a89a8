// What /readyz reports: each dependency of this instance and whether the instance can work without it.
// The primary database and the session store are required (every request, every authenticated request);
// read replicas, the chain and the file store are not: reads then go to the primary, writes keep landing in
// the outbox, and only file uploads and downloads fail while the file store is away.
import type { DependencyCheck, ReadinessChecks } from '../generated/schemas.js';
import type { Services } from '../services.js';

const PING_TIMEOUT_MS = 2_000;

export interface ReadinessReport {
  /** Every required dependency is up. */
  ready: boolean;
  /** Something optional is not up. */
  degraded: boolean;
  checks: ReadinessChecks;
  /** Why the instance is not ready (the required dependencies that are down). */
  detail: string | null;
}

export async function checkReadiness(
  s: Pick<Services, 'database' | 'store' | 'ledger' | 'files'>,
): Promise<ReadinessReport> {
  const [database, keyValueStore, fileStorage] = await Promise.all([
    ping(() => s.database.ping(), s.database.engine === 'pglite' ? 'embedded PGlite' : 'primary PostgreSQL'),
    ping(() => s.store.ping(), s.store.kind === 'redis' ? 'Redis' : 'in-process'),
    ping(() => s.files.blobs.ping(), s.files.blobs.driver === 's3' ? 'S3 bucket' : 'local directory'),
  ]);
  const checks: ReadinessChecks = {
    database,
    replicas: (s.database.replicas?.states() ?? []).map((r) => ({
      name: r.name,
      status: r.status,
      required: false,
      detail: r.reason ?? `${r.address}, replay ${r.replayPosition}`,
      lagMs: r.lagMs === null ? null : Math.round(r.lagMs),
    })),
    keyValueStore,
    chain: chainCheck(s.ledger),
    fileStorage: { ...fileStorage, required: false },
  };
  const down = [
    database.status === 'down' && 'the database is unreachable',
    keyValueStore.status === 'down' && 'the session store is unreachable',
  ].filter(Boolean) as string[];
  const optional = [...checks.replicas, checks.chain, checks.fileStorage];
  return {
    ready: down.length === 0,
    degraded: optional.some((c) => c.status !== 'up' && c.status !== 'disabled'),
    checks,
    detail: down.length ? `Not ready: ${down.join('; ')}.` : null,
  };
}

async function ping(run: () => Promise<void>, what: string): Promise<DependencyCheck> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise<never>(
        (_, reject) =>
          (timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS)),
      ),
    ]);
    return { status: 'up', required: true, detail: what };
  } catch (error) {
    // Driver messages name hosts and ports, never passwords.
    return {
      status: 'down',
      required: true,
      detail: `${what}: ${String((error as Error)?.message ?? error)
        .split('\n')[0]!
        .slice(0, 200)}`,
    };
  } finally {
    clearTimeout(timer);
  }
}

function chainCheck(ledger: Services['ledger']): DependencyCheck {
  const info = ledger.info();
  if (info.mode === 'disabled') return { status: 'disabled', required: false, detail: null };
  const where = `${info.mode} chain ${info.chainId ?? '?'}, ledger ${info.ledgerAddress}`;
  const error = ledger.worker?.lastError() ?? null;
  if (error !== null) return { status: 'down', required: false, detail: `${where}: ${error}` };
  const state = ledger.chainState();
  if (state.state === 'ledger_missing') return { status: 'degraded', required: false, detail: state.detail };
  if (state.state === 'reanchoring')
    return {
      status: 'degraded',
      required: false,
      detail: `${where}: ${state.lostBatches} batches whose anchors vanished are being anchored again`,
    };
  return { status: 'up', required: false, detail: where };
}
