// `services.webhooks`: what the handlers need (the SSRF allow-list, the worker to wake) and the
// delivery worker of this instance, started with the server and stopped before the database.
import { inArray, sql } from 'drizzle-orm';
import type { Registry } from 'prom-client';
import type { WebhooksConfig } from '../config.js';
import type { Database } from '../db/database.js';
import { webhookDeliveries } from '../db/schema/index.js';
import type { Enclave } from '../enclave/client/enclave-service.js';
import type { Logger } from '../observability/logger.js';
import { type DeliveryWorker, startDeliveryWorker } from './delivery-worker.js';
import { createWebhookMetrics } from './webhook-metrics.js';

export interface Webhooks {
  config: WebhooksConfig;
  /** Undefined when this instance does not deliver (`CMS_WEBHOOKS=off`); other instances then do. */
  worker: DeliveryWorker | undefined;
  stop(): Promise<void>;
}

export function startWebhooks(
  database: Database,
  enclave: Enclave,
  config: WebhooksConfig,
  deps: { logger: Logger; registry: Registry },
): Webhooks {
  const metrics = createWebhookMetrics(deps.registry, async () => {
    const [row] = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(webhookDeliveries)
      .where(inArray(webhookDeliveries.status, ['pending', 'delivering']));
    return row?.n ?? 0;
  });
  const worker = config.enabled
    ? startDeliveryWorker(database, enclave, config, { logger: deps.logger, metrics })
    : undefined;
  return { config, worker, stop: async () => worker?.stop() };
}
