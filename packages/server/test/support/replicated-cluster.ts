// A private PostgreSQL primary with one streaming replica, for tests of replica routing. Needs the
// PostgreSQL server binaries (Debian's postgresql package); runs them as the `postgres` user.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, appendFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = (tool: string) => join('/usr/lib/postgresql', readdirSync('/usr/lib/postgresql').sort().at(-1)!, 'bin', tool);
const asPostgres = (tool: string, args: string[]) =>
  execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', [bin(tool), ...args].map((a) => `'${a}'`).join(' ')], { stdio: 'pipe', timeout: 60_000 });

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export interface ReplicatedCluster {
  primaryUrl: string;
  replicaUrl: string;
  stop(): void;
}

export async function startReplicatedCluster(): Promise<ReplicatedCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'cms-replicas-'));
  chownSync(dir, ...uid('postgres'));
  const [p1, p2] = [await freePort(), await freePort()];
  const primary = join(dir, 'primary');
  const replica = join(dir, 'replica');
  const settings = (port: number) => `\nport = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\nfsync = off\n`;
  asPostgres('initdb', ['-D', primary, '-A', 'trust', '-U', 'postgres']);
  appendFileSync(primary + '/postgresql.conf', `${settings(p1)}wal_level = replica\nmax_wal_senders = 4\n`);
  asPostgres('pg_ctl', ['-D', primary, '-l', join(dir, 'primary.log'), '-w', 'start']);
  const stop = () => {
    for (const d of [replica, primary]) {
      try {
        asPostgres('pg_ctl', ['-D', d, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // not started
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    asPostgres('pg_basebackup', ['-h', '127.0.0.1', '-p', String(p1), '-U', 'postgres', '-D', replica, '-R', '-X', 'stream']);
    appendFileSync(replica + '/postgresql.conf', settings(p2));
    asPostgres('pg_ctl', ['-D', replica, '-l', join(dir, 'replica.log'), '-w', 'start']);
  } catch (e) {
    stop();
    throw e;
  }
  return { primaryUrl: `postgres://postgres@127.0.0.1:${p1}/postgres`, replicaUrl: `postgres://postgres@127.0.0.1:${p2}/postgres`, stop };
}

function uid(user: string): [number, number] {
  return [Number(execFileSync('id', ['-u', user])), Number(execFileSync('id', ['-g', user]))];
}
