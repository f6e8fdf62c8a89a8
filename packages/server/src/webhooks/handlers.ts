import type { OperationHandlers } from '../http/operations.js';
import type { Services } from '../services.js';
import { getDelivery, listDeliveries, replayEvents, retryDelivery } from './delivery-log.js';
import {
  createEndpoint,
  deleteEndpoint,
  endpointView,
  findEndpoint,
  listEndpoints,
  pingEndpoint,
  rotateSecret,
  updateEndpoint,
} from './endpoints.js';
import { webhookJwks } from './signing-keys.js';

type WebhookHandlers = Pick<
  OperationHandlers,
  | 'createWebhookEndpoint'
  | 'listWebhookEndpoints'
  | 'getWebhookEndpoint'
  | 'updateWebhookEndpoint'
  | 'deleteWebhookEndpoint'
  | 'rotateWebhookSecret'
  | 'testWebhookEndpoint'
  | 'listWebhookDeliveries'
  | 'getWebhookDelivery'
  | 'retryWebhookDelivery'
  | 'replayWebhookEvents'
  | 'getWebhookJwks'
>;

export function webhookHandlers(s: Services): WebhookHandlers {
  const db = () => s.database.db;
  const deps = () => ({ db: s.database.db, enclave: s.enclave, allowHosts: s.webhooks.config.allowHosts });
  const wake = () => s.webhooks.worker?.wake();
  return {
    createWebhookEndpoint: async (c) =>
      c.json(await createEndpoint(deps(), c.get('principal'), c.req.valid('json')), 201),
    listWebhookEndpoints: async (c) => c.json({ data: await listEndpoints(db(), c.get('principal')) }, 200),
    getWebhookEndpoint: async (c) =>
      c.json(endpointView(await findEndpoint(db(), c.get('principal'), c.req.valid('param').webhookId)), 200),
    updateWebhookEndpoint: async (c) => {
      const endpoint = await updateEndpoint(
        deps(),
        c.get('principal'),
        c.req.valid('param').webhookId,
        c.req.valid('json'),
      );
      wake();
      return c.json(endpoint, 200);
    },
    deleteWebhookEndpoint: async (c) => (
      await deleteEndpoint(db(), c.get('principal'), c.req.valid('param').webhookId), c.body(null, 204)
    ),
    rotateWebhookSecret: async (c) => {
      const { webhookId } = c.req.valid('param');
      const secret = await rotateSecret(
        deps(),
        c.get('principal'),
        webhookId,
        c.req.valid('json').graceSeconds ?? 86_400,
      );
      s.webhooks.worker?.forgetSecrets(webhookId);
      return c.json(secret, 201);
    },
    testWebhookEndpoint: async (c) => {
      const delivery = await pingEndpoint(db(), c.get('principal'), c.req.valid('param').webhookId);
      wake();
      return c.json(delivery, 202);
    },
    listWebhookDeliveries: async (c) =>
      c.json(await listDeliveries(db(), c.get('principal'), c.req.valid('param').webhookId, c.req.valid('query')), 200),
    getWebhookDelivery: async (c) => {
      const { webhookId, deliveryId } = c.req.valid('param');
      return c.json(await getDelivery(db(), c.get('principal'), webhookId, deliveryId), 200);
    },
    retryWebhookDelivery: async (c) => {
      const { webhookId, deliveryId } = c.req.valid('param');
      const delivery = await retryDelivery(db(), c.get('principal'), webhookId, deliveryId);
      wake();
      return c.json(delivery, 202);
    },
    replayWebhookEvents: async (c) => {
      const result = await replayEvents(db(), c.get('principal'), c.req.valid('param').webhookId, c.req.valid('json'));
      wake();
      return c.json(result, 202);
    },
    getWebhookJwks: async (c) => c.json(await webhookJwks(db()), 200),
  };
}
