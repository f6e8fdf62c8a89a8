// Helpers for API tests: an SDK client logged in as a fresh did:key, and raw JSON requests.
import { createCmsClient, didKeySigner, generateDidKey, type CmsClient, type Role } from '@cms/sdk';

export async function loggedInClient(baseUrl: string) {
  const key = await generateDidKey();
  const signer = await didKeySigner(key.privateKey);
  const client = createCmsClient({ baseUrl });
  const token = await client.auth.login(signer);
  return { client, key, signer, token };
}

/** A fresh user invited into `organizationId` with `role` by `inviter`, logged in to that organization. */
export async function memberOf(baseUrl: string, inviter: CmsClient, organizationId: string, role: Role) {
  const user = await loggedInClient(baseUrl);
  const invitation = await inviter.invitations.create(organizationId, { did: user.key.did, role });
  await user.client.invitations.accept(invitation.id, user.signer);
  const token = await user.client.auth.refresh({ organizationId });
  return { ...user, token };
}

export async function request(baseUrl: string, method: string, path: string, options: { body?: unknown; rawBody?: string; token?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] ??= 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  // An event stream never ends by itself: callers of this helper only look at its status and headers.
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, headers: res.headers, json: undefined as any, text: '' };
  }
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}
