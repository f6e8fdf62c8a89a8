// Helpers for API tests: an SDK client logged in as a fresh did:key, and raw JSON requests (whose
// status must be one the spec declares for the operation). Each takes the server's URL (requests over
// HTTP) or an `ApiTarget` whose `fetch` answers in process (`inProcessFetch` of @cms/server/testing).
import { type CmsClient, createCmsClient, didKeySigner, generateDidKey, type Role } from '@cms/sdk';
import { assertDeclaredStatus } from './support/declared-statuses.js';

/** A server's URL, or its URL with the `fetch` to reach it by (e.g. in process, without a socket). */
export type ApiTarget = string | { url: string; fetch: typeof fetch };
const urlOf = (target: ApiTarget) => (typeof target === 'string' ? target : target.url);
const fetchOf = (target: ApiTarget) => (typeof target === 'string' ? globalThis.fetch : target.fetch);

/** An SDK client of the target, logged out. */
export function clientOf(target: ApiTarget): CmsClient {
  return createCmsClient({ baseUrl: urlOf(target), ...(typeof target === 'string' ? {} : { fetch: target.fetch }) });
}

export async function loggedInClient(target: ApiTarget) {
  const key = await generateDidKey();
  const signer = await didKeySigner(key.privateKey);
  const client = clientOf(target);
  const token = await client.auth.login(signer);
  return { client, key, signer, token };
}

/** A fresh user invited into `organizationId` with `role` by `inviter`, logged in to that organization. */
export async function memberOf(target: ApiTarget, inviter: CmsClient, organizationId: string, role: Role) {
  const user = await loggedInClient(target);
  const invitation = await inviter.invitations.create(organizationId, { did: user.key.did, role });
  await user.client.invitations.accept(invitation.id, user.signer);
  const token = await user.client.auth.refresh({ organizationId });
  return { ...user, token };
}

export async function request(
  target: ApiTarget,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; token?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] ??= 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetchOf(target)(`${urlOf(target)}${path}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  // An event stream never ends by itself: callers of this helper only look at its status and headers.
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
    await res.body?.cancel();
    assertDeclaredStatus(method, path, res.status, '');
    // biome-ignore lint/suspicious/noExplicitAny: the body of any operation, read by the test's assertions
    return { status: res.status, headers: res.headers, json: undefined as any, text: '' };
  }
  const text = await res.text();
  assertDeclaredStatus(method, path, res.status, text);
  // biome-ignore lint/suspicious/noExplicitAny: the body of any operation, read by the test's assertions
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}
