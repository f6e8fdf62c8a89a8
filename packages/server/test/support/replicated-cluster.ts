// A private PostgreSQL primary with streaming replicas, for tests of replica routing. Needs the
// PostgreSQL server binaries (Debian's postgresql package); runs them as the `postgres` user, on free
// ports of its own — never the shared server on 5432.
import { execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = (tool: string) =>
  join('/usr/lib/postgresql', readdirSync('/usr/lib/postgresql').sort().at(-1)!, 'bin', tool);
const asPostgres = (tool: string, args: string[]) =>
  execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', [bin(tool), ...args].map((a) => `'${a}'`).join(' ')], {
    stdio: 'pipe',
    timeout: 60_000,
  });

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export interface ReplicatedCluster {
  primaryUrl: string;
  /** The first replica's URL. */
  replicaUrl: string;
  replicaUrls: string[];
  /** Kills replica `i` (`pg_ctl stop -m immediate`: no shutdown checkpoint, clients cut at once). */
  killReplica(i: number): void;
  /** Starts replica `i` again; it reconnects to the primary and catches up. */
  startReplica(i: number): void;
  stop(): void;
}

export async function startReplicatedCluster(options: { replicas?: number } = {}): Promise<ReplicatedCluster> {
  const count = options.replicas ?? 1;
  const dir = mkdtempSync(join(tmpdir(), 'cms-replicas-'));
  chownSync(dir, ...uid('postgres'));
  const primaryPort = await freePort();
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  const primary = join(dir, 'primary');
  const replicas = ports.map((_, i) => join(dir, `replica-${i + 1}`));
  const settings = (port: number) =>
    `\nport = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\nfsync = off\n`;
  const start = (dataDir: string) => asPostgres('pg_ctl', ['-D', dataDir, '-l', `${dataDir}.log`, '-w', 'start']);
  const kill = (dataDir: string) => asPostgres('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
  asPostgres('initdb', ['-D', primary, '-A', 'trust', '-U', 'postgres']);
  // WAL kept for a replica that is down for a while, so it catches up when it comes back.
  appendFileSync(
    join(primary, 'postgresql.conf'),
    `${settings(primaryPort)}wal_level = replica\nmax_wal_senders = 8\nwal_keep_size = '256MB'\n`,
  );
  start(primary);
  const stop = () => {
    for (const d of [...replicas, primary]) {
      try {
        kill(d);
      } catch {
        // not running
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const [i, replica] of replicas.entries()) {
      asPostgres('pg_basebackup', [
        '-h',
        '127.0.0.1',
        '-p',
        String(primaryPort),
        '-U',
        'postgres',
        '-D',
        replica,
        '-R',
        '-X',
        'stream',
        // Not the default spread checkpoint, paced over checkpoint_timeout (minutes on an idle primary).
        '--checkpoint=fast',
      ]);
      appendFileSync(join(replica, 'postgresql.conf'), settings(ports[i]!));
      start(replica);
    }
  } catch (e) {
    stop();
    throw e;
  }
  const replicaUrls = ports.map((p) => `postgres://postgres@127.0.0.1:${p}/postgres`);
  return {
    primaryUrl: `postgres://postgres@127.0.0.1:${primaryPort}/postgres`,
    replicaUrl: replicaUrls[0]!,
    replicaUrls,
    killReplica: (i) => void kill(replicas[i]!),
    startReplica: (i) => void start(replicas[i]!),
    stop,
  };
}

function uid(user: string): [number, number] {
  return [Number(execFileSync('id', ['-u', user])), Number(execFileSync('id', ['-g', user]))];
}
