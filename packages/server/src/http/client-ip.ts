// The address a request is counted against: the TCP peer, or — behind `trustProxyHops` reverse proxies
// that append to X-Forwarded-For — the address the outermost trusted proxy received the request from.
// Entries further left are whatever the client chose to send, so they are never used.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

export function clientIp(c: Context, trustProxyHops: number): string {
  const peer = peerAddress(c);
  if (trustProxyHops === 0) return peer;
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // Fewer entries than trusted proxies: the request skipped one of them; count it against the peer.
  const address = forwarded.length >= trustProxyHops ? forwarded[forwarded.length - trustProxyHops] : undefined;
  return address ? normalize(address) : peer;
}

/** Whether the TCP peer is this machine (X-Forwarded-For is never consulted). */
export function isLoopbackPeer(c: Context): boolean {
  const peer = socketAddress(c);
  return peer === '::1' || /^(::ffff:)?127\./i.test(peer);
}

function peerAddress(c: Context): string {
  return normalize(socketAddress(c));
}

function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // Not served by @hono/node-server: no socket to read.
    return 'unknown';
  }
}

/** IPv4-mapped IPv6 as plain IPv4; other IPv6 addresses as their /64, which one host usually owns whole. */
function normalize(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
