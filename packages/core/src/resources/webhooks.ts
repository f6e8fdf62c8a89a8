// `cms.webhooks`: the organization's webhook endpoints (signed deliveries of its events), their secrets,
// delivery log, retries and replay, and the server's JWKS for `v1a` signatures (docs/webhooks.md).
// Check deliveries on the receiving side with `verifyWebhook`.
import type { components, paths } from '../generated/schema.js';
import type { RequestOptions } from '../transport/request-options.js';
import type { Api } from './api.js';
import { type PagePromise, pagePromise } from './page-promise.js';

type S = components['schemas'];
export type WebhookEndpoint = S['WebhookEndpoint'];
export type WebhookEndpointCreate = S['WebhookEndpointCreate'];
export type WebhookEndpointUpdate = S['WebhookEndpointUpdate'];
export type WebhookEndpointWithSecret = S['WebhookEndpointWithSecret'];
export type WebhookSecret = S['WebhookSecret'];
export type WebhookSecretRotation = S['WebhookSecretRotation'];
export type WebhookDelivery = S['WebhookDelivery'];
export type WebhookDeliveryDetail = S['WebhookDeliveryDetail'];
export type WebhookDeliveryList = S['WebhookDeliveryList'];
export type WebhookDeliveryStatus = S['WebhookDeliveryStatus'];
export type WebhookAttempt = S['WebhookAttempt'];
export type WebhookReplay = S['WebhookReplay'];
export type WebhookReplayResult = S['WebhookReplayResult'];
export type ListWebhookDeliveriesParams = NonNullable<
  paths['/v1/webhooks/{webhookId}/deliveries']['get']['parameters']['query']
>;

export interface WebhookResources {
  /** Registers an endpoint; the answer holds its signing secret (`whsec_…`), shown only this once. */
  create(input: WebhookEndpointCreate, options?: RequestOptions): Promise<WebhookEndpointWithSecret>;
  /** The organization's endpoints (without secrets). */
  list(options?: RequestOptions): Promise<WebhookEndpoint[]>;
  get(webhookId: string, options?: RequestOptions): Promise<WebhookEndpoint>;
  /** Changes the URL, description, event types or `enabled` (enabling again resets the failure count). */
  update(webhookId: string, changes: WebhookEndpointUpdate, options?: RequestOptions): Promise<WebhookEndpoint>;
  /** Removes the endpoint and its delivery log. */
  delete(webhookId: string, options?: RequestOptions): Promise<void>;
  /** A new secret (shown once); the older ones keep signing beside it for `graceSeconds` (default a day). */
  rotateSecret(webhookId: string, input?: WebhookSecretRotation, options?: RequestOptions): Promise<WebhookSecret>;
  /** Queues a `webhook.ping` to the endpoint (sent even when it is disabled). */
  test(webhookId: string, options?: RequestOptions): Promise<WebhookDelivery>;
  /** The delivery log, newest first; `for await` walks every page. */
  deliveries(
    webhookId: string,
    params?: ListWebhookDeliveriesParams,
    options?: RequestOptions,
  ): PagePromise<WebhookDeliveryList, WebhookDelivery>;
  /** One delivery with its body and every attempt (status, latency, first bytes of the answer). */
  delivery(webhookId: string, deliveryId: string, options?: RequestOptions): Promise<WebhookDeliveryDetail>;
  /** Sends a delivery again now, with the same `webhook-id` and a fresh schedule. */
  retry(webhookId: string, deliveryId: string, options?: RequestOptions): Promise<WebhookDelivery>;
  /** Queues the organization's events of `[from, to)` to the endpoint again. */
  replay(webhookId: string, range: WebhookReplay, options?: RequestOptions): Promise<WebhookReplayResult>;
  /** The server's public keys for `v1a` signatures; pass them to `verifyWebhook` instead of a secret. */
  jwks(options?: RequestOptions): Promise<S['WebhookJwks']>;
}

export function createWebhookResources({ raw, unwrap, call }: Api): WebhookResources {
  const path = (webhookId: string) => ({ path: { webhookId } });
  const delivery = (webhookId: string, deliveryId: string) => ({ path: { webhookId, deliveryId } });
  return {
    create: (body, options) => unwrap(raw.POST('/v1/webhooks', { body, ...call(options) })),
    list: async (options) => (await unwrap(raw.GET('/v1/webhooks', call(options)))).data,
    get: (webhookId, options) =>
      unwrap(raw.GET('/v1/webhooks/{webhookId}', { params: path(webhookId), ...call(options) })),
    update: (webhookId, body, options) =>
      unwrap(raw.PATCH('/v1/webhooks/{webhookId}', { params: path(webhookId), body, ...call(options) })),
    delete: async (webhookId, options) => {
      await unwrap(
        raw
          .DELETE('/v1/webhooks/{webhookId}', { params: path(webhookId), ...call(options) })
          .then((r) => ({ ...r, data: r.response.ok ? null : undefined })),
      );
    },
    rotateSecret: (webhookId, body = {}, options) =>
      unwrap(raw.POST('/v1/webhooks/{webhookId}/secrets', { params: path(webhookId), body, ...call(options) })),
    test: (webhookId, options) =>
      unwrap(raw.POST('/v1/webhooks/{webhookId}/test', { params: path(webhookId), ...call(options) })),
    deliveries: (webhookId, query, options) =>
      pagePromise(
        (cursor) =>
          unwrap(
            raw.GET('/v1/webhooks/{webhookId}/deliveries', {
              params: { ...path(webhookId), query: { ...query, cursor } },
              ...call(options),
            }),
          ),
        query?.cursor,
      ),
    delivery: (webhookId, deliveryId, options) =>
      unwrap(
        raw.GET('/v1/webhooks/{webhookId}/deliveries/{deliveryId}', {
          params: delivery(webhookId, deliveryId),
          ...call(options),
        }),
      ),
    retry: (webhookId, deliveryId, options) =>
      unwrap(
        raw.POST('/v1/webhooks/{webhookId}/deliveries/{deliveryId}/retry', {
          params: delivery(webhookId, deliveryId),
          ...call(options),
        }),
      ),
    replay: (webhookId, body, options) =>
      unwrap(raw.POST('/v1/webhooks/{webhookId}/replay', { params: path(webhookId), body, ...call(options) })),
    jwks: (options) => unwrap(raw.GET('/.well-known/webhook-keys.json', call(options))),
  };
}
