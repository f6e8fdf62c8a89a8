// SSRF guard for webhook URLs: `https` only (plain `http` only to an allowed host), no credentials,
// and every address the host resolves to must be public unicast (no loopback, private, link-local,
// metadata or other special-purpose range) unless the host is in `CMS_WEBHOOK_ALLOW_HOSTS`. Checked
// when an endpoint is saved and again at every attempt, whose connection is pinned to the checked address.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPublicAddress } from '../auth/public-address.js';

export class WebhookAddressError extends Error {
  override name = 'WebhookAddressError';
}

export interface PinnedAddress {
  address: string;
  family: number;
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();

/** Throws a `WebhookAddressError` (safe to show) when the URL itself is not deliverable. */
export function checkWebhookUrl(raw: string, allowHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookAddressError('The URL is not valid.');
  }
  const allowed = allowHosts.includes(hostOf(url));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowed))
    throw new WebhookAddressError('Webhook URLs must be https (http only to hosts in CMS_WEBHOOK_ALLOW_HOSTS).');
  if (url.username || url.password) throw new WebhookAddressError('Webhook URLs must not carry credentials.');
  return url;
}

/**
 * The address to connect to: resolved now, every answer checked. `unresolvable: 'allow'` accepts a
 * host that does not resolve (yet) when an endpoint is saved; attempts refuse it.
 */
export async function resolveWebhookAddress(
  url: URL,
  allowHosts: readonly string[],
  options: { unresolvable?: 'allow' | 'refuse' } = {},
): Promise<PinnedAddress | undefined> {
  const host = hostOf(url);
  const literal = isIP(host);
  let addresses: PinnedAddress[];
  if (literal) addresses = [{ address: host, family: literal }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      addresses = [];
    }
  }
  if (addresses.length === 0) {
    if (options.unresolvable === 'allow') return undefined;
    throw new WebhookAddressError(`cannot resolve ${host}`);
  }
  if (!allowHosts.includes(host) && !addresses.every((a) => isPublicAddress(a.address))) {
    throw new WebhookAddressError(`${host} resolves to a loopback, private, link-local or reserved address`);
  }
  return addresses.find((a) => a.family === 4) ?? addresses[0]!;
}
