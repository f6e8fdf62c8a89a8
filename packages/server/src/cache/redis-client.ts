// Every Redis connection of the server is made here: straight to `REDIS_URL`, or through Redis Sentinel
// (`REDIS_SENTINELS`), in which case ioredis asks the sentinels for the current master, reconnects to the
// new one after a failover, and drops a connection that finds itself talking to a demoted master.
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisTarget {
  /** redis:// or rediss:// URL. With `sentinel` only its user, password, database number and TLS are used. */
  url: string;
  /** Find the master through these sentinels instead of connecting to `url`'s host. */
  sentinel?: RedisSentinelTarget;
}

export interface RedisSentinelTarget {
  nodes: { host: string; port: number }[];
  /** The master group name the sentinels monitor (`sentinel monitor <name> …`). */
  name: string;
  /** A function so it never shows up when the config is logged. */
  password?: () => string;
}

/** A new ioredis client for `target` with `options` (timeouts, prefix, queueing). */
export function createRedisClient(target: RedisTarget, options: RedisOptions): Redis {
  if (!target.sentinel) return new Redis(target.url, options);
  const u = new URL(target.url);
  return keptConnected(
    new Redis({
      ...options,
      sentinels: target.sentinel.nodes,
      name: target.sentinel.name,
      sentinelPassword: target.sentinel.password?.(),
      username: u.username ? decodeURIComponent(u.username) : undefined,
      password: u.password ? decodeURIComponent(u.password) : undefined,
      db: Number(u.pathname.slice(1) || 0),
      tls: u.protocol === 'rediss:' ? {} : undefined,
      enableTLSForSentinelMode: u.protocol === 'rediss:',
      // Subscribes to the sentinels' +switch-master, so a failover moves connections at once instead of
      // after the old master's TCP timeout.
      failoverDetector: true,
      // A master that was demoted answers writes with READONLY: reconnect (and ask the sentinels again).
      reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
      // Keep asking the sentinels while none knows a master (the failover window).
      sentinelRetryStrategy: (times) => Math.min(100 * times, 1000),
    }),
  );
}

/**
 * Reconnects a sentinel client that ioredis gave up on. ioredis 6 ends a client for good (status `end`, every
 * command "Connection is closed.") when the failover detector of its lost connection fires while a reconnect is
 * asking the sentinels for the new master: a race of the failover window, seen under load. Only `disconnect()` or
 * `quit()` ends it here.
 */
function keptConnected(client: Redis): Redis {
  let closing = false;
  const disconnect = client.disconnect.bind(client);
  client.disconnect = (reconnect = false) => {
    if (!reconnect) closing = true;
    disconnect(reconnect);
  };
  const quit = client.quit.bind(client);
  client.quit = ((...args: Parameters<Redis['quit']>) => {
    closing = true;
    return quit(...args);
  }) as Redis['quit'];
  client.on('end', () => {
    if (closing) return;
    setTimeout(() => {
      if (!closing && client.status === 'end') client.connect().catch(() => {});
    }, 500).unref();
  });
  return client;
}

/** Where `target` points, without any password, for messages. */
export function describeRedis(target: RedisTarget): string {
  if (target.sentinel) {
    return `Redis master "${target.sentinel.name}" via sentinels ${target.sentinel.nodes.map((n) => `${n.host}:${n.port}`).join(',')}`;
  }
  return `Redis at ${redactUrl(target.url)}`;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured URL';
  }
}
