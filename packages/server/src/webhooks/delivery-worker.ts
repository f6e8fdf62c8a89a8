// The delivery worker of one instance: claims due deliveries (any number of instances share the
// outbox, see db/claim-webhook-deliveries.ts), signs and sends each, and records the attempt and what
// follows from it in one transaction. A worker that dies mid-delivery leaves its claim to expire;
// another sends the same `webhook-id` again (at least once; receivers deduplicate on the id).
import { and, eq, sql } from 'drizzle-orm';
import type { WebhooksConfig } from '../config.js';
import { type ClaimedDelivery, claimWebhookDeliveries } from '../db/claim-webhook-deliveries.js';
import type { Database } from '../db/database.js';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '../db/schema/index.js';
import type { Enclave } from '../enclave/client/enclave-service.js';
import { announceEvents } from '../events/announce-events.js';
import type { EventNotice } from '../events/event-bus.js';
import type { Logger } from '../observability/logger.js';
import { disableEndpoint } from './disable-endpoint.js';
import { type AttemptOutcome, postWebhook } from './post-webhook.js';
import { nextAttemptDelay, retryAfterMs } from './retry-schedule.js';
import { deliveryHeaders } from './sign-delivery.js';
import { loadWebhookSigningKey, type WebhookSigningKey } from './signing-keys.js';
import { checkWebhookUrl, resolveWebhookAddress, WebhookAddressError } from './webhook-address.js';
import type { AttemptOutcomeLabel, WebhookMetrics } from './webhook-metrics.js';
import { activeWebhookSecrets } from './webhook-secrets.js';

/** Secrets are decrypted (an enclave call) at most this often per endpoint and instance. */
const SECRET_CACHE_MS = 30_000;

export interface DeliveryWorker {
  /** Looks for due deliveries now instead of at the next poll. */
  wake(): void;
  /** Forgets an endpoint's cached secrets (after a rotation on this instance). */
  forgetSecrets(endpointId: string): void;
  stop(): Promise<void>;
}

export function startDeliveryWorker(
  database: Database,
  enclave: Enclave,
  config: WebhooksConfig,
  deps: { logger: Logger; metrics: WebhookMetrics },
): DeliveryWorker {
  const log = deps.logger.child({ component: 'webhooks' });
  // The lease outlives the attempt's timeout, so a live worker never loses its claim.
  const leaseMs = config.timeoutMs + 20_000;
  const secrets = new Map<string, { at: number; values: Promise<string[]> }>();
  let signingKey: Promise<WebhookSigningKey> | undefined;
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  let wokenWhilePolling = false;

  const secretsOf = (d: ClaimedDelivery) => {
    const cached = secrets.get(d.endpointId);
    if (cached && Date.now() - cached.at < SECRET_CACHE_MS) return cached.values;
    const values = activeWebhookSecrets(database.db, enclave, { id: d.endpointId, organizationId: d.organizationId });
    secrets.set(d.endpointId, { at: Date.now(), values });
    values.catch(() => secrets.delete(d.endpointId));
    return values;
  };
  const keyOf = () => {
    signingKey ??= loadWebhookSigningKey(database.db, enclave);
    signingKey.catch(() => (signingKey = undefined));
    return signingKey;
  };

  async function attempt(d: ClaimedDelivery): Promise<void> {
    const startedAt = new Date();
    let outcome: AttemptOutcome;
    try {
      const url = checkWebhookUrl(d.url, config.allowHosts);
      const pinned = (await resolveWebhookAddress(url, config.allowHosts))!;
      const body = JSON.stringify(d.payload);
      const headers = deliveryHeaders({
        messageId: d.messageId,
        body,
        secrets: await secretsOf(d),
        signingKey: await keyOf(),
        now: new Date(),
      });
      outcome = await postWebhook(url, pinned, headers, body, config.timeoutMs);
    } catch (err) {
      if (!(err instanceof WebhookAddressError)) {
        // Not the receiver's fault (enclave or database down): give the claim back without counting it.
        log.warn(
          { err: { message: (err as Error).message }, deliveryId: d.id },
          'could not prepare a webhook delivery; retrying later',
        );
        await database.db
          .update(webhookDeliveries)
          .set({
            status: 'pending',
            attempts: sql`${webhookDeliveries.attempts} - 1`,
            nextAttemptAt: new Date(Date.now() + 5000),
            leaseUntil: null,
          })
          .where(
            and(
              eq(webhookDeliveries.id, d.id),
              eq(webhookDeliveries.attempts, d.attempts),
              eq(webhookDeliveries.status, 'delivering'),
            ),
          )
          .catch(() => {});
        return;
      }
      outcome = {
        kind: 'error',
        error: `address not allowed: ${err.message}`,
        durationMs: Date.now() - startedAt.getTime(),
      };
    }
    const label = await record(d, startedAt, outcome);
    deps.metrics.attempts.inc({ outcome: label });
    deps.metrics.duration.observe({ outcome: label }, outcome.durationMs / 1000);
  }

  async function record(d: ClaimedDelivery, startedAt: Date, outcome: AttemptOutcome): Promise<AttemptOutcomeLabel> {
    const status = outcome.kind === 'response' ? outcome.status : null;
    const ok = status !== null && status >= 200 && status < 300;
    const gone = status === 410;
    const now = new Date();
    const delay =
      ok || gone
        ? undefined
        : nextAttemptDelay(
            config.retryScheduleMs,
            d.attempts,
            outcome.kind === 'response' ? retryAfterMs(outcome.retryAfter, now.getTime()) : undefined,
          );
    const label: AttemptOutcomeLabel = ok
      ? 'delivered'
      : gone
        ? 'gone'
        : outcome.kind === 'error' && outcome.error.startsWith('address not allowed')
          ? 'blocked'
          : delay === undefined
            ? 'failed'
            : 'retry';
    let disabled: EventNotice | undefined;
    await database.db.transaction(async (tx) => {
      await tx.insert(webhookAttempts).values({
        deliveryId: d.id,
        organizationId: d.organizationId,
        attempt: d.attempts,
        startedAt,
        durationMs: outcome.durationMs,
        statusCode: status,
        error: outcome.kind === 'error' ? outcome.error : null,
        responseBody: outcome.kind === 'response' ? outcome.body : null,
      });
      // Fenced by the attempt count: a worker whose claim expired and was taken over changes nothing.
      const [updated] = await tx
        .update(webhookDeliveries)
        .set(
          ok
            ? { status: 'delivered', deliveredAt: now, leaseUntil: null, nextAttemptAt: null, lastStatusCode: status }
            : delay === undefined
              ? { status: 'failed', leaseUntil: null, nextAttemptAt: null, lastStatusCode: status }
              : {
                  status: 'pending',
                  leaseUntil: null,
                  nextAttemptAt: new Date(now.getTime() + delay),
                  lastStatusCode: status,
                },
        )
        .where(
          and(
            eq(webhookDeliveries.id, d.id),
            eq(webhookDeliveries.attempts, d.attempts),
            eq(webhookDeliveries.status, 'delivering'),
          ),
        )
        .returning({ id: webhookDeliveries.id });
      if (!updated) return;
      const endpoint = { id: d.endpointId, organizationId: d.organizationId };
      const scope = and(eq(webhookEndpoints.id, d.endpointId), eq(webhookEndpoints.organizationId, d.organizationId));
      if (ok) {
        await tx
          .update(webhookEndpoints)
          .set({ consecutiveFailures: 0 })
          .where(and(scope, sql`${webhookEndpoints.consecutiveFailures} <> 0`));
      } else if (gone) {
        disabled = await disableEndpoint(tx, endpoint, 'gone', now);
        if (disabled) deps.metrics.disabled.inc({ reason: 'gone' });
      } else if (delay === undefined) {
        const [row] = await tx
          .update(webhookEndpoints)
          .set({ consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1` })
          .where(scope)
          .returning({ failures: webhookEndpoints.consecutiveFailures });
        if (row && row.failures >= config.disableAfterFailures) {
          disabled = await disableEndpoint(tx, endpoint, 'failures', now);
          if (disabled) deps.metrics.disabled.inc({ reason: 'failures' });
        }
      }
    });
    announceEvents(database.db, disabled);
    return label;
  }

  async function poll(): Promise<void> {
    const free = config.maxInFlight - inFlight.size;
    if (free <= 0) return;
    const claimed = await claimWebhookDeliveries(database.db, {
      limit: free,
      endpointConcurrency: config.endpointConcurrency,
      leaseMs,
    });
    for (const d of claimed) {
      const running: Promise<void> = attempt(d)
        .catch((err) => log.error({ err, deliveryId: d.id }, 'recording a webhook attempt failed'))
        .finally(() => {
          inFlight.delete(running);
          // A finished attempt may unblock the next delivery of the same contract.
          if (!stopped) wake();
        });
      inFlight.add(running);
    }
    // A full claim: there may be more waiting.
    if (claimed.length === free && !stopped) wake();
  }

  function schedule(ms: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(run, ms);
  }
  function run() {
    if (polling) {
      wokenWhilePolling = true;
      return;
    }
    wokenWhilePolling = false;
    polling = poll()
      .catch((err) => log.warn({ err: { message: (err as Error).message } }, 'claiming webhook deliveries failed'))
      .finally(() => {
        polling = undefined;
        schedule(wokenWhilePolling ? 0 : config.pollMs);
      });
  }
  function wake() {
    schedule(0);
  }
  schedule(0);

  return {
    wake,
    forgetSecrets: (endpointId) => secrets.delete(endpointId),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await polling;
      // Attempts in flight finish (each is bounded by the timeout) and are recorded.
      await Promise.allSettled([...inFlight]);
    },
  };
}
