// The bodies of webhook deliveries, from the OpenAPI document (`WebhookMessage`): narrow on `type`.
import type { components } from '../generated/schema.js';

type S = components['schemas'];

/** A contract event (`contract.created` … `contract.anchored`); `data` is the `ContractEvent` of `/v1/events`. */
export type WebhookContractEventMessage = S['WebhookContractEventMessage'];
/** Another endpoint of the organization was disabled (410 Gone or too many failed deliveries). */
export type WebhookDisabledMessage = S['WebhookDisabledMessage'];
/** The test message of `POST /v1/webhooks/{webhookId}/test`. */
export type WebhookPingMessage = S['WebhookPingMessage'];
/** A security alert from the audit service. */
export type WebhookSecurityAlertMessage = S['WebhookSecurityAlertMessage'];
/** Any delivery's body; `switch (event.type)` narrows it. */
export type WebhookEvent =
  | WebhookContractEventMessage
  | WebhookDisabledMessage
  | WebhookPingMessage
  | WebhookSecurityAlertMessage;
/** What an endpoint can subscribe to. */
export type WebhookEventType = S['WebhookEventType'];
