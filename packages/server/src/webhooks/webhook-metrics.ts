// Prometheus metrics of webhook delivery (GET /metrics): attempts and their latency by outcome, and
// the backlog of deliveries waiting.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** `delivered` (2xx), `retry` (failed, another attempt scheduled), `failed` (last attempt), `gone` (410), `blocked` (address refused). */
export type AttemptOutcomeLabel = 'delivered' | 'retry' | 'failed' | 'gone' | 'blocked';

export interface WebhookMetrics {
  attempts: Counter<'outcome'>;
  duration: Histogram<'outcome'>;
  disabled: Counter<'reason'>;
}

export function createWebhookMetrics(registry: Registry, backlog: () => Promise<number>): WebhookMetrics {
  new Gauge({
    name: 'cms_webhook_backlog',
    help: 'Webhook deliveries pending or in flight.',
    registers: [registry],
    async collect() {
      this.set(await backlog().catch(() => 0));
    },
  });
  return {
    attempts: new Counter({
      name: 'cms_webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'cms_webhook_attempt_duration_seconds',
      help: 'Latency of webhook delivery attempts by outcome.',
      labelNames: ['outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    disabled: new Counter({
      name: 'cms_webhook_endpoints_disabled_total',
      help: 'Endpoints disabled by delivery failures or 410 Gone.',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}
