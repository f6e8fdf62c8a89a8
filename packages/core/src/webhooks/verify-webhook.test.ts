// verifyWebhook against deliveries signed by the `standardwebhooks` reference package (v1 HMAC) and by
// @noble/ed25519 (v1a, the server's JWKS key), and against every kind of tampering.
import * as ed from '@noble/ed25519';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { bytesToBase64url, utf8ToBytes } from '../bytes.js';
import { verifyWebhook, WebhookVerificationError } from './verify-webhook.js';

const secret = `whsec_${btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => i * 7)))}`;
const other = `whsec_${btoa('another secret of thirty-two byt')}`;
const body = JSON.stringify({
  type: 'contract.signed',
  timestamp: '2026-12-03T12:00:00.000Z',
  data: { id: '42', type: 'contract.signed', contractId: 'c', organizationId: 'o', occurredAt: 'x', data: {} },
});
const id = 'msg_evt_42';
const now = new Date();

function signed(secrets: string[], at = now) {
  const timestamp = Math.floor(at.getTime() / 1000);
  const signature = secrets.map((s) => new Webhook(s).sign(id, new Date(timestamp * 1000), body)).join(' ');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
}

const rejects = (p: Promise<unknown>, message: RegExp) =>
  expect(p).rejects.toSatisfy((e) => e instanceof WebhookVerificationError && message.test((e as Error).message));

describe('verifyWebhook with a secret', () => {
  it('accepts a delivery signed by the reference signer and returns the typed body', async () => {
    const event = await verifyWebhook(body, signed([secret]), secret);
    expect(event.type).toBe('contract.signed');
    if (event.type === 'contract.signed') expect(event.data.id).toBe('42');
    // Bytes, a Headers object, and the secret without its prefix work too.
    await verifyWebhook(utf8ToBytes(body), new Headers(signed([secret])), secret.slice('whsec_'.length));
  });

  it('accepts any of the signatures of a rotation, and any of several secrets', async () => {
    const headers = signed([other, secret]);
    await verifyWebhook(body, headers, secret);
    await verifyWebhook(body, headers, other);
    await verifyWebhook(body, signed([secret]), [other, secret]);
  });

  it('rejects a changed byte anywhere, a wrong secret and a timestamp outside the tolerance', async () => {
    const headers = signed([secret]);
    for (let i = 0; i < body.length; i += 17) {
      const changed = body.slice(0, i) + String.fromCharCode(body.charCodeAt(i) ^ 1) + body.slice(i + 1);
      expect(() => new Webhook(secret).verify(changed, headers)).toThrow();
      await rejects(verifyWebhook(changed, headers, secret), /no matching signature/);
    }
    await rejects(verifyWebhook(body, { ...headers, 'webhook-id': 'msg_evt_43' }, secret), /no matching signature/);
    await rejects(verifyWebhook(body, headers, other), /no matching signature/);
    const sig = headers['webhook-signature'];
    const flipped = sig.slice(0, 5) + (sig[5] === 'A' ? 'B' : 'A') + sig.slice(6);
    await rejects(verifyWebhook(body, { ...headers, 'webhook-signature': flipped }, secret), /no matching signature/);
    // Against the same clock the deliveries were signed at (the real one moves on while the suite runs).
    await rejects(verifyWebhook(body, signed([secret], new Date(now.getTime() - 301_000)), secret, { now }), /too old/);
    await rejects(verifyWebhook(body, signed([secret], new Date(now.getTime() + 301_000)), secret, { now }), /future/);
    await verifyWebhook(body, signed([secret], new Date(now.getTime() - 3600_000)), secret, {
      toleranceSeconds: 3601,
      now,
    });
    const { 'webhook-signature': _, ...unsigned } = headers;
    await rejects(verifyWebhook(body, unsigned, secret), /missing webhook-signature header/);
  });
});

describe('verifyWebhook with the server JWKS (v1a)', () => {
  it('accepts an Ed25519 signature by a published key and rejects a changed byte or an unknown key', async () => {
    const key = ed.utils.randomSecretKey();
    const jwks = {
      keys: [{ kty: 'OKP' as const, crv: 'Ed25519' as const, x: bytesToBase64url(await ed.getPublicKeyAsync(key)) }],
    };
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const v1a = async (b: string, k = key) =>
      `v1a,${btoa(String.fromCharCode(...(await ed.signAsync(utf8ToBytes(`${id}.${timestamp}.${b}`), k))))}`;
    // The v1 signature next to it does not matter to a JWKS check.
    const headers = { ...signed([secret]), 'webhook-timestamp': timestamp };
    headers['webhook-signature'] =
      `${new Webhook(secret).sign(id, new Date(Number(timestamp) * 1000), body)} ${await v1a(body)}`;
    expect((await verifyWebhook(body, headers, jwks)).type).toBe('contract.signed');
    await rejects(verifyWebhook(`${body} `, headers, jwks), /no matching signature/);
    const stranger = { ...headers, 'webhook-signature': await v1a(body, ed.utils.randomSecretKey()) };
    await rejects(verifyWebhook(body, stranger, jwks), /no matching signature/);
    // A secret-only check ignores v1a entries.
    await rejects(verifyWebhook(body, { ...headers, 'webhook-signature': await v1a(body) }, secret), /no matching/);
  });
});
