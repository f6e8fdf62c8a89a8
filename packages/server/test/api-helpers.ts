// Helpers for API tests: an SDK client logged in as a fresh did:key, and raw JSON requests.
import { createCmsClient, didKeySigner, generateDidKey } from '@cms/sdk';

export async function loggedInClient(baseUrl: string) {
  const key = await generateDidKey();
  const client = createCmsClient({ baseUrl });
  const token = await client.auth.login(await didKeySigner(key.privateKey));
  return { client, key, token };
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
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}
