// The Standard Webhooks headers of one attempt: `webhook-id`, `webhook-timestamp` and a space-separated
// `webhook-signature` with one `v1` HMAC-SHA256 per active secret (the reference `standardwebhooks`
// signer) and one `v1a` Ed25519 signature by the server's key.
import { Webhook } from 'standardwebhooks';
import type { WebhookSigningKey } from './signing-keys.js';

export function deliveryHeaders(input: {
  messageId: string;
  body: string;
  secrets: readonly string[];
  signingKey?: WebhookSigningKey;
  now: Date;
}): Record<string, string> {
  const timestamp = Math.floor(input.now.getTime() / 1000);
  const at = new Date(timestamp * 1000);
  const signatures = input.secrets.map((secret) => new Webhook(secret).sign(input.messageId, at, input.body));
  if (input.signingKey) signatures.push(input.signingKey.sign(`${input.messageId}.${timestamp}.${input.body}`));
  return {
    'content-type': 'application/json',
    'user-agent': 'cms-webhooks/1',
    'webhook-id': input.messageId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatures.join(' '),
  };
}
