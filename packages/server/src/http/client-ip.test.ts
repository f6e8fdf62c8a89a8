import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientIp, isLoopbackPeer } from './client-ip.js';

/** Asks a Hono app, as @hono/node-server would call it: the socket is in `env.incoming`. */
async function seen(peer: string, options: { hops?: number; xff?: string } = {}) {
  const app = new Hono();
  app.get('/', (c) => c.json({ ip: clientIp(c, options.hops ?? 0), loopback: isLoopbackPeer(c) }));
  const headers = options.xff ? { 'x-forwarded-for': options.xff } : undefined;
  const res = await app.request(
    '/',
    { headers },
    {
      incoming: { socket: { remoteAddress: peer, remotePort: 1, remoteFamily: peer.includes(':') ? 'IPv6' : 'IPv4' } },
    },
  );
  return (await res.json()) as { ip: string; loopback: boolean };
}

describe('clientIp', () => {
  it('uses the socket address and ignores X-Forwarded-For unless proxies are trusted', async () => {
    expect(await seen('198.51.100.7', { xff: '203.0.113.1' })).toEqual({ ip: '198.51.100.7', loopback: false });
    expect((await seen('::ffff:198.51.100.7')).ip).toBe('198.51.100.7');
  });

  it('behind N trusted proxies, takes the Nth entry from the right', async () => {
    expect((await seen('10.0.0.2', { hops: 1, xff: '203.0.113.1' })).ip).toBe('203.0.113.1');
    expect((await seen('10.0.0.2', { hops: 1, xff: 'forged, 203.0.113.1' })).ip).toBe('203.0.113.1');
    expect((await seen('10.0.0.3', { hops: 2, xff: 'forged, 203.0.113.1, 10.0.0.2' })).ip).toBe('203.0.113.1');
    // A request that did not pass through every proxy is counted against its peer.
    expect((await seen('10.0.0.3', { hops: 2, xff: '203.0.113.1' })).ip).toBe('10.0.0.3');
    expect((await seen('10.0.0.2', { hops: 1 })).ip).toBe('10.0.0.2');
  });

  it('counts an IPv6 client by its /64', async () => {
    expect((await seen('2001:db8:0:1:aaaa::1')).ip).toBe('2001:db8:0:1::/64');
    expect((await seen('2001:db8:0:1:bbbb:cccc:dddd:eeee')).ip).toBe('2001:db8:0:1::/64');
    expect((await seen('2001:db8::1')).ip).toBe('2001:db8:0:0::/64');
  });

  it('recognises loopback peers only by socket address', async () => {
    expect((await seen('127.0.0.1')).loopback).toBe(true);
    expect((await seen('::1')).loopback).toBe(true);
    expect((await seen('198.51.100.7', { hops: 1, xff: '127.0.0.1' })).loopback).toBe(false);
  });
});
