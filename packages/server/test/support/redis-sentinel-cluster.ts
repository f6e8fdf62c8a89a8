// A Redis master, one replica and three sentinels as real processes on free loopback ports, in a
// temporary directory (the fault tests' Redis; never the shared one). `redis-server --sentinel` is the
// sentinel (Debian's redis-sentinel is the same binary). Every process started here is stopped by `stop()`.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export const SENTINEL_MASTER_NAME = 'cms';

export interface SentinelCluster {
  sentinels: { host: string; port: number }[];
  /** Port of the current master, as the sentinels see it. */
  masterPort(): Promise<number>;
  /** `kill -9` of the process serving `port`. */
  kill(port: number): void;
  /** Starts the Redis that served `port` again, with its data directory (it rejoins as a replica). */
  restart(port: number): Promise<void>;
  /** Resolves when the sentinels name a master other than `port`. */
  waitForFailover(from: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

export async function startSentinelCluster(): Promise<SentinelCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'cms-sentinel-'));
  const children = new Map<number, ChildProcess>();
  const [masterPort, replicaPort, ...sentinelPorts] = await Promise.all([0, 1, 2, 3, 4].map(() => freePort()));
  const redisArgs = (port: number, replicaOf?: number) => {
    const data = join(dir, `redis-${port}`);
    mkdirSync(data, { recursive: true });
    return [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      data,
      '--appendonly',
      'yes',
      '--save',
      '',
      '--daemonize',
      'no',
      '--logfile',
      join(data, 'log'),
      ...(replicaOf ? ['--replicaof', '127.0.0.1', String(replicaOf)] : []),
    ];
  };
  const argsByPort = new Map<number, string[]>();
  const start = async (port: number, args: string[]) => {
    argsByPort.set(port, args);
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    children.set(port, child);
    await waitForPing(port);
  };
  await start(masterPort!, redisArgs(masterPort!));
  await start(replicaPort!, redisArgs(replicaPort!, masterPort));
  for (const port of sentinelPorts) {
    const conf = join(dir, `sentinel-${port}.conf`);
    // Sentinel rewrites its config file, so each gets its own.
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `logfile ${join(dir, `sentinel-${port}.log`)}`,
        `sentinel monitor ${SENTINEL_MASTER_NAME} 127.0.0.1 ${masterPort} 2`,
        `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} 1000`,
        `sentinel failover-timeout ${SENTINEL_MASTER_NAME} 5000`,
        `sentinel parallel-syncs ${SENTINEL_MASTER_NAME} 1`,
        '',
      ].join('\n'),
    );
    await start(port, [conf, '--sentinel']);
  }
  const sentinels = sentinelPorts.map((port) => ({ host: '127.0.0.1', port }));

  const masterPortNow = async (): Promise<number> => {
    for (const s of sentinels) {
      const client = new Redis({ ...s, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      client.on('error', () => {});
      try {
        await client.connect();
        const addr = (await client.call('SENTINEL', 'get-master-addr-by-name', SENTINEL_MASTER_NAME)) as
          | string[]
          | null;
        if (addr) return Number(addr[1]);
      } catch {
        // the next sentinel
      } finally {
        client.disconnect();
      }
    }
    throw new Error('no sentinel answers');
  };
  // Until the sentinels have seen the replica (INFO every 10 s at first), a failover has nowhere to go.
  await waitFor(
    async () => {
      const client = new Redis({ ...sentinels[0]!, lazyConnect: true });
      await client.connect();
      const replicas = (await client.call('SENTINEL', 'replicas', SENTINEL_MASTER_NAME)) as string[][];
      const sentinelsSeen = (await client.call('SENTINEL', 'sentinels', SENTINEL_MASTER_NAME)) as string[][];
      client.disconnect();
      return replicas.length === 1 && sentinelsSeen.length === 2;
    },
    30_000,
    'the sentinels to discover the replica and each other',
  );

  return {
    sentinels,
    masterPort: masterPortNow,
    kill(port) {
      children.get(port)?.kill('SIGKILL');
    },
    async restart(port) {
      const args = argsByPort.get(port)!;
      await start(port, args);
    },
    async waitForFailover(from, timeoutMs = 30_000) {
      let now = from;
      await waitFor(async () => (now = await masterPortNow()) !== from, timeoutMs, `a new master instead of ${from}`);
      return now;
    },
    async stop() {
      await Promise.all(
        [...children.values()].map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null) return resolve();
              c.once('exit', () => resolve());
              c.kill('SIGKILL');
            }),
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPing(port: number): Promise<void> {
  await waitFor(
    async () => {
      const client = new Redis({
        port,
        host: '127.0.0.1',
        lazyConnect: true,
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
      });
      client.on('error', () => {});
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } finally {
        client.disconnect();
      }
    },
    10_000,
    `redis on port ${port}`,
  );
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
